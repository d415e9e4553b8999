from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MythsConfig(AppConfig):
    name = "myths"
    verbose_name = _("Myth-busting releases")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
