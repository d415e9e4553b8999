from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MythsConfig(AppConfig):
    name = "myths"
    verbose_name = _("Myth-busting releases")

    def ready(self):
        from django.db.backends.signals import connection_created

        from core.public_state import register_horizon
        from core.text_case import register_sqlite

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .public.cache import release_due_times, release_expiry_times

        # The page cache (core) must not import myths; myths tells it when releases change.
        register_horizon(release_due_times)
        register_horizon(release_expiry_times)
        # Case-insensitive search in any script on SQLite (myths/public/search.py).
        connection_created.connect(register_sqlite, dispatch_uid="core.text_case")
