"""System checks for settings that production must not leave at their development defaults."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    """`check --deploy` fails unless DJANGO_SECRET_KEY comes from the environment."""
    if not settings.SECRET_KEY_FROM_ENVIRONMENT:
        return [
            Error(
                "DJANGO_SECRET_KEY is not set: a development or per-process key is in use.",
                hint="Set DJANGO_SECRET_KEY to a long random value (see README, Configuration).",
                id="pressdesk.E001",
            )
        ]
    return []
