"""System checks for settings that production must not leave at their development defaults."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    """`check --deploy` fails while the public development key is in use."""
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return [
            Error(
                "DJANGO_SECRET_KEY is not set, so the public development key is in use.",
                hint="Set DJANGO_SECRET_KEY to a long random value (see README, Configuration).",
                id="pressdesk.E001",
            )
        ]
    return []
