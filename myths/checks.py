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


@register()
def pdf_timeout_below_worker_timeout(app_configs, **kwargs):
    """A PDF render must be stopped by its own time limit before gunicorn kills the worker.

    Otherwise a long render takes the whole worker (and every request it holds) down with it
    instead of answering one 503 (myths/pdf/worker.py).
    """
    pdf, worker = settings.PRESSDESK_PDF_TIMEOUT, settings.GUNICORN_TIMEOUT
    if pdf >= worker:
        return [
            Error(
                f"PRESSDESK_PDF_TIMEOUT ({pdf} s) is not below the worker timeout, "
                f"GUNICORN_TIMEOUT ({worker} s).",
                hint="Lower PRESSDESK_PDF_TIMEOUT or raise GUNICORN_TIMEOUT (gunicorn.conf.py "
                "reads it); leave a few seconds for the page around the render.",
                id="pressdesk.E090",
            )
        ]
    return []
