"""Fill the myth register's precomputed rows (RegisterEntry, RegisterSummary) from the releases
published so far, with the same code the workflow runs (myths.register, on the historical models).
"""

from django.db import migrations


def fill(apps, schema_editor):
    from myths.register import register_rebuild

    register_rebuild(apps=apps)


def empty(apps, schema_editor):
    apps.get_model("myths", "RegisterEntry").objects.all().delete()
    apps.get_model("myths", "RegisterSummary").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("myths", "0019_search_document_index")]

    operations = [migrations.RunPython(fill, empty)]
