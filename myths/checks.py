"""System checks for settings and data that production must not leave at their development defaults.

All are deploy checks (`manage.py check --deploy`): a secret key from the environment, a public
site address that is not this machine, the page cache's client library, and no demo accounts or
demo content (myths/demo.py, loaded only with DEBUG) in the database.
"""

import importlib.util
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError, connection

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


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


def is_loopback_url(url: str) -> bool:
    """True when `url` names this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0) or no host."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    if not host or host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Feeds, the sitemap, structured data and e-mails print PRESSDESK_SITE_URL: not loopback."""
    if is_loopback_url(settings.PRESSDESK_SITE_URL):
        return [
            Error(
                f"PRESSDESK_SITE_URL is {settings.PRESSDESK_SITE_URL!r}, an address of this "
                "machine: feeds, the sitemap and e-mails would link readers to it.",
                hint="Set PRESSDESK_SITE_URL to the public address, e.g. https://press.example.org",
                id="pressdesk.E002",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def redis_client_is_installed(app_configs, **kwargs):
    """With REDIS_URL set, Django's Redis cache needs the `redis` package, or every page 500s."""
    if settings.REDIS_URL and importlib.util.find_spec("redis") is None:
        return [
            Error(
                "REDIS_URL is set but the 'redis' package is not installed.",
                hint="Install the project's dependencies again (pip install -e .).",
                id="pressdesk.E003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def no_demo_accounts_or_content(app_configs, **kwargs):
    """The demo's accounts have a published password and its releases are invented: neither
    may be in a production database."""
    try:
        # A database not migrated yet holds no demo either (and `check` runs before migrate).
        tables = set(connection.introspection.table_names())
        migrated = get_user_model()._meta.db_table in tables
        accounts = demo_accounts_with_published_password() if migrated else []
        content = demo_content_present() if migrated else []
    except DatabaseError as error:
        return [
            CheckWarning(
                f"Could not look for demo accounts and content in the database: {error}",
                hint="Run the deploy checks against the migrated production database.",
                id="pressdesk.W001",
            )
        ]
    problems = []
    if accounts:
        problems.append(
            Error(
                "Demo accounts with the published demo password exist: " + ", ".join(accounts),
                hint="Delete them, or give each a new password (manage.py changepassword).",
                id="pressdesk.E004",
            )
        )
    if content:
        problems.append(
            Error(
                "The demo content (loaded by load_demo, for DEBUG only) is in the database: "
                + "; ".join(content),
                hint="Start production from an empty database.",
                id="pressdesk.E005",
            )
        )
    return problems


def demo_accounts_with_published_password() -> list[str]:
    """Usernames of the demo's accounts that still accept the password the README prints."""
    from .demo import DEMO_PASSWORD, DEMO_USERS

    usernames = [username for username, *_rest in DEMO_USERS]
    users = get_user_model().objects.filter(username__in=usernames)
    # hashers.check_password, not user.check_password: a check must not rewrite the hash.
    return sorted(u.username for u in users if check_password(DEMO_PASSWORD, u.password))


def demo_content_present() -> list[str]:
    """What of the demo's releases and claims (matched by their invented wording) exists."""
    from .demo import CLAIMS, RELEASES
    from .models import Claim, Release

    found = []
    releases = Release.objects.filter(title__in=[release[0] for release in RELEASES]).count()
    if releases:
        found.append(f"{releases} demo release(s)")
    claims = Claim.objects.filter(wording__in=[c["wording"] for c in CLAIMS.values()]).count()
    if claims:
        found.append(f"{claims} demo claim(s)")
    return found


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
