"""Rebuild the public index and its counts from the releases (myths/public_index.py).

Idempotent: run it after loading data in bulk (the benchmark does), or to repair the index if
anything ever wrote releases behind the workflow's back.
"""

from django.core.management.base import BaseCommand

from myths.public_index import public_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the public index of releases (lists, feeds, counts) from their revisions."

    def handle(self, *args, **options):
        total = public_index_rebuild()
        self.stdout.write(f"{total} public index entries written.")
