"""When public release pages change by themselves, for the page cache (core/page_cache.py).

Registered from MythsConfig.ready(): the neutral page cache learns of releases without importing
myths.
"""

from datetime import datetime

from myths.models import PublicRelease


def release_horizon(now: datetime) -> datetime | None:
    """The next time a scheduled release falls due or a release expires, or None: the next
    bound of the public index (two index scans, whatever the size of the archive)."""
    return PublicRelease.objects.next_change(now)
