"""No parallel scan of the public index (PublicRelease), on PostgreSQL only.

A search for a common word walks the date index from the newest entry and stops at its
MAX_RANKED-th match (myths/public/search.py). With a language, topic, verdict or date filter too,
PostgreSQL's cost model, which ignores reading each match's vector from TOAST, prefers the same
walk split over two parallel workers: at 100,000 releases that took 23-42 ms instead of 10-14 ms,
the workers' start-up dominating a bounded walk, on a server whose cores serve other requests.
Every read of the public index is such a bounded walk or a lookup by key.
"""

from django.db import migrations


def _parallel_workers(setting: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = apps.get_model("myths", "PublicRelease")._meta.db_table
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} {setting}")

    return run


class Migration(migrations.Migration):
    dependencies = [("myths", "0022_register_walk_index")]

    operations = [
        migrations.RunPython(
            _parallel_workers("SET (parallel_workers = 0)"),
            _parallel_workers("RESET (parallel_workers)"),
            elidable=False,
        )
    ]
