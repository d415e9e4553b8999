"""Rebuild the myth register's precomputed rows from the releases.

The workflow keeps them up to date in the transaction of every change to what is public; run this
after loading releases by other means (a restore, a bulk import, the benchmark's data):

    .venv/bin/python manage.py refresh_public_register
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.cache import public_cache_bump
from myths.register import register_rebuild


class Command(BaseCommand):
    help = "Rebuild the myth register's rows (each claim's latest published answer)."

    def handle(self, *args, **options):
        with transaction.atomic():
            public_cache_bump()  # cached register pages and sitemaps go with the old rows
            rows = register_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows} register rows written."))
