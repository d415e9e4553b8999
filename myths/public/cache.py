"""When public release pages change by themselves, for the page cache (core/page_cache.py).

Registered from MythsConfig.ready(): the neutral page cache learns of releases without importing
myths.
"""

from datetime import datetime

from django.db.models import Min, Q

from myths.models import Release


def release_horizon(now: datetime) -> datetime | None:
    """The next time a scheduled release falls due or a release expires, or None."""
    # Not a public route: this reads the schedule of non-public rows on purpose, and returns
    # only a timestamp.
    due = Q(scheduled_revision__isnull=False, publish_at__gt=now)
    expiring = Q(expire_at__gt=now)
    times = (
        Release.objects.exclude(status=Release.Status.WITHDRAWN)
        .filter(due | expiring)
        .aggregate(publish=Min("publish_at", filter=due), expire=Min("expire_at", filter=expiring))
    )
    candidates = [t for t in times.values() if t is not None]
    return min(candidates) if candidates else None
