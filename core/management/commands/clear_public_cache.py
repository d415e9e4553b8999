"""Empty the shared cache (REDIS_URL): public pages, skeletons, fragments, stored searches.

scripts/restore runs it. A restored database takes the public generation, revision ids and
numbers back to the backup's, and the servers of the old database may have kept entries under
those same numbers for other content: a page cached at generation 101 of the old database would
answer for generation 101 of the restored one. Entries are rendered again as readers ask for them.
Each app server's own memory is emptied by restarting it, which pointing it at the restored
database does.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Empty the shared cache of public pages (run after restoring a backup)."

    def handle(self, **options):
        cache.clear()
        where = settings.REDIS_URL or "this process's memory (no REDIS_URL)"
        self.stdout.write(f"Emptied the cache at {where}.")
