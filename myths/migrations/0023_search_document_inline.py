"""A revision's search vector is kept in its row (STORAGE MAIN), on PostgreSQL only: a search for a
common word checks and ranks the vectors of the newest matches one by one (myths/public/search.py),
and a vector stored apart (TOAST, where a typical release's 2-3 kB vector went) cost two more index
reads per match; in the row it takes a third of the time. PostgreSQL may still compress it, and
moves it out only if the row could not fit a page otherwise.

Rows keep their place until written again (every publication writes a new revision);
`UPDATE myths_revision SET search_text = search_text` moves an existing archive at once (about 15 s
per 20,000 revisions).
"""

from django.db import migrations


def _storage(strategy: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = apps.get_model("myths", "Revision")._meta.db_table
            schema_editor.execute(
                f"ALTER TABLE {schema_editor.quote_name(table)} "
                f"ALTER COLUMN search_document SET STORAGE {strategy}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("myths", "0022_register_walk_index")]

    operations = [migrations.RunPython(_storage("MAIN"), _storage("EXTENDED"), elidable=False)]
