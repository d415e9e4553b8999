from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from myths.demo import DEMO_PASSWORD, database_is_empty, load_demo


class Command(BaseCommand):
    help = (
        "Load Pressdesk's demo content and one account per role into an empty database. "
        "Does nothing when the database already has content; refuses to run with DEBUG off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts have well-known passwords: load_demo only runs with DJANGO_DEBUG=1."
            )
        if not database_is_empty():
            self.stdout.write("The database already has content: demo content not loaded.")
            return
        # The demo walks releases through the workflow, which e-mails reviewers and authors:
        # those messages would only flood the console here.
        dummy = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        with override_settings(MAILERS=dummy):
            users = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded. Accounts (password for all: {DEMO_PASSWORD!r}):"
            )
        )
        for user in users:
            self.stdout.write(f"  {user.username:<10} {user.get_full_name()}")
