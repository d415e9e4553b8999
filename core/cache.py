"""The public generation, read from and bumped in the database, and a cache that never fails.

Public pages, feeds and the sitemap put `public_generation()` in their cache keys and ETags. Every
change to what is public (a transition that publishes, withdraws or expires; an edit of a public
field; a contact edit) calls `public_cache_bump()` INSIDE its own transaction: the new generation
commits together with the change, or not at all. Requests read it through core/public_state.py,
which keeps it for at most a second per process (and forgets it at once in the process that bumps),
so a stale entry simply has an old key; nothing kept in a cache (a worker's local memory, a Redis
restored from an old snapshot) can bring a page back.

The cache itself is an optimisation: `cache_get`/`cache_set` log its errors (Redis down or hung)
and answer as if the entry were missing, so callers render instead of failing.
"""

import logging

from django.core.cache import cache
from django.db.models import F

from .models import PublicGeneration
from .public_state import public_state_forget

logger = logging.getLogger(__name__)


def public_generation() -> int:
    """The current generation: one primary-key read. 0 while the row does not exist yet."""
    value = PublicGeneration.objects.filter(pk=PublicGeneration.ROW).values_list("value", flat=True)
    return next(iter(value), 0)


def public_cache_bump() -> int:
    """Make every cached public response stale; returns the new generation.

    Call it in the transaction of the change (the row stays locked until that commits, so two
    changes never share a number). Creates the row if a flush removed it.
    """
    rows = PublicGeneration.objects.filter(pk=PublicGeneration.ROW)
    if not rows.update(value=F("value") + 1):
        _, created = PublicGeneration.objects.get_or_create(pk=PublicGeneration.ROW)
        if not created:  # another transaction created it meanwhile
            rows.update(value=F("value") + 1)
    # This process reads the generation again on its next request, so it serves its own change at
    # once (another thread's request meanwhile may still read the old row: it keeps it for at most
    # a second, like every other process). Nothing waits for the commit.
    public_state_forget()
    return public_generation()


def cache_get(key: str, default=None):
    """`cache.get`, or `default` when the cache cannot answer (logged)."""
    try:
        return cache.get(key, default)
    except Exception:  # any backend's connection error: the caller renders instead
        logger.warning("Cache unavailable, reading %s without it", key, exc_info=True)
        return default


def cache_get_many(keys: list[str]) -> dict:
    """`cache.get_many` (one round trip), or {} when the cache cannot answer (logged)."""
    if not keys:
        return {}
    try:
        return cache.get_many(keys)
    except Exception:  # any backend's connection error: the caller renders instead
        logger.warning("Cache unavailable, reading %d keys without it", len(keys), exc_info=True)
        return {}


def cache_set_many(entries: dict, timeout: int | None) -> None:
    """`cache.set_many` (one round trip), skipped when the cache cannot take it (logged)."""
    if not entries:
        return
    try:
        cache.set_many(entries, timeout)
    except Exception:  # any backend's connection error: the entries are rendered again
        logger.warning("Cache unavailable, %d entries not stored", len(entries), exc_info=True)


def cache_delete(key: str) -> None:
    """`cache.delete`, skipped when the cache cannot answer (logged)."""
    try:
        cache.delete(key)
    except Exception:  # any backend's connection error: the entry expires by itself
        logger.warning("Cache unavailable, %s not deleted", key, exc_info=True)


def cache_set(key: str, value, timeout: int | None) -> None:
    """`cache.set`, skipped when the cache cannot take it (logged)."""
    try:
        cache.set(key, value, timeout)
    except Exception:  # any backend's connection error: the response is served uncached
        logger.warning("Cache unavailable, %s not stored", key, exc_info=True)
