"""Fill the public index for the releases that exist (myths/public_index.py)."""

from django.db import migrations


def fill(apps, schema_editor):
    from myths.public_index import public_index_rebuild

    public_index_rebuild(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("myths", "0016_public_index")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
