"""A GIN index for public full-text search, on PostgreSQL only.

The indexed expression is myths.search.search_vector() (title A, lede B, search text C, English
configuration), so `Revision.objects.annotate(document=search_vector()).filter(document=...)` can
use it. On SQLite, which has no tsvector, the migration does nothing.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "myths_revision_search"


def _index():
    return GinIndex(
        SearchVector("title", weight="A", config="english")
        + SearchVector("lede", weight="B", config="english")
        + SearchVector("search_text", weight="C", config="english"),
        name=INDEX_NAME,
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("myths", "Revision"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("myths", "Revision"), _index())


class Migration(migrations.Migration):
    dependencies = [("myths", "0002_roles")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
