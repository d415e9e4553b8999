"""When public release pages change by themselves, for the page cache (core/public_state.py).

Registered from MythsConfig.ready(): the neutral page cache learns of releases without importing
myths. Each source is read as its first row only, through a partial index whose condition is the
source's own (Release.Meta.indexes; tests/myths/test_cache_indexes.py checks PostgreSQL's plan).
"""

from datetime import datetime

from django.db.models import QuerySet

from myths.models import Release

# Not public routes: these read the schedule of non-public rows on purpose, and return only
# timestamps.


def release_due_times(now: datetime) -> QuerySet:
    """The times after `now` at which a scheduled revision falls due, earliest first."""
    return (
        Release.objects.filter(scheduled_revision__isnull=False, publish_at__gt=now)
        .exclude(status=Release.Status.WITHDRAWN)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
    )


def release_expiry_times(now: datetime) -> QuerySet:
    """The times after `now` at which a release expires, earliest first."""
    return (
        Release.objects.filter(expire_at__gt=now)
        .exclude(status=Release.Status.WITHDRAWN)
        .order_by("expire_at")
        .values_list("expire_at", flat=True)
    )
