"""Full-text search reads the stored vector Revision.search_document (migration 0010): a GIN index
on that column, on PostgreSQL only, replaces the expression index of 0006, which search no longer
uses (ranking from the expression made PostgreSQL parse every match's text again).
"""

import importlib

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

DOCUMENT_INDEX = "myths_revision_document"
_0006 = importlib.import_module("myths.migrations.0006_langs_slugs_search_translations")


def _document_index():
    return GinIndex(fields=["search_document"], name=DOCUMENT_INDEX)


def _on_postgresql(action):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            action(schema_editor, apps.get_model("myths", "Revision"))

    return run


def forwards(editor, model):
    editor.execute("SET LOCAL statement_timeout = 0")  # a GIN index over a long archive
    editor.remove_index(model, _0006._language_index())
    editor.add_index(model, _document_index())


def backwards(editor, model):
    editor.remove_index(model, _document_index())
    editor.add_index(model, _0006._language_index())


class Migration(migrations.Migration):
    dependencies = [("myths", "0018_public_register_search_document")]

    operations = [
        migrations.RunPython(_on_postgresql(forwards), _on_postgresql(backwards), elidable=False)
    ]
