"""Record scheduled releases that have gone public, and withdraw expired ones.

Scheduled releases become public at their publish time without this command
(Release.objects.published() includes them); it writes the log entry and moves the scheduled
revision into the live one, and takes down releases past their expiry time. Run it every few
minutes from cron, e.g.:

    */5 * * * *  cd /srv/pressdesk && .venv/bin/python manage.py publish_scheduled
"""

from django.core.management.base import BaseCommand

from myths.workflow import expire_due, publish_due


class Command(BaseCommand):
    help = "Record due scheduled releases as published and withdraw expired ones (for cron)."

    def handle(self, *args, **options):
        published = publish_due()
        expired = expire_due()
        for entry in published:
            self.stdout.write(f"published: {entry.release.title}")
        for entry in expired:
            self.stdout.write(f"expired: {entry.release.title}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(published)} published, {len(expired)} withdrawn (expired).")
        )
