"""Revision.search_document kept in the revision's row, on PostgreSQL only (STORAGE MAIN).

A search for a common word matches and ranks the stored vector of each of its MAX_RANKED newest
matches (myths/public/search.py). A release's vector is 2-3 kB, which the default storage
(EXTENDED) cannot compress (PostgreSQL gives up on a tsvector) and so moves out of the row into
TOAST: each match then cost a TOAST index lookup and a chunk read, and at 100,000 releases the
1,000 rows took 8 ms where reading the same vectors from their rows takes under 4 ms. MAIN keeps
a vector in its row (PostgreSQL moves it out only if the row could not fit a page otherwise); the
search text, which compresses, goes to TOAST instead, read only for the snippets of a page.

Existing rows are written again so their vectors move in (PostgreSQL computes the stored vector
again on every update): about a minute per 100,000 revisions.
"""

from django.db import migrations


def _storage(setting: str, *, rewrite: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("myths", "Revision")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN search_document {setting}")
        if rewrite:
            schema_editor.execute("SET LOCAL statement_timeout = 0")  # a long archive
            schema_editor.execute(f"UPDATE {table} SET search_config = search_config")

    return run


class Migration(migrations.Migration):
    dependencies = [("myths", "0023_public_index_no_parallel_scan")]

    operations = [
        migrations.RunPython(
            _storage("SET STORAGE MAIN", rewrite=True),
            _storage("SET STORAGE EXTENDED", rewrite=False),
            elidable=False,
        )
    ]
