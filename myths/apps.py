from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MythsConfig(AppConfig):
    name = "myths"
    verbose_name = _("Myth-busting releases")

    def ready(self):
        from django.db.backends.signals import connection_created

        from core.page_cache import register_horizon
        from core.text_case import register_sqlite

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .public.cache import release_horizon

        # The page cache (core) must not import myths; myths tells it when releases change.
        register_horizon(release_horizon)
        # Case-insensitive search in any script on SQLite (myths/public/search.py).
        connection_created.connect(register_sqlite, dispatch_uid="core.text_case")
