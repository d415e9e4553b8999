"""The public generation: one number for everything the public sees, kept in the cache.

Public pages, feeds and the sitemap put `public_generation()` in their cache keys and ETags. Any
change to what is public (a transition that publishes, withdraws or expires; a contact edit) calls
`public_cache_bump()`, so every cached public response is stale at once and none is served again.
"""

from django.core.cache import cache

GENERATION_KEY = "pressdesk:public-generation"


def public_generation() -> int:
    """The current generation; starts at 1 in an empty cache."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def public_cache_bump() -> int:
    """Make every cached public response stale. Returns the new generation."""
    public_generation()
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:  # evicted between the two calls
        cache.set(GENERATION_KEY, 2, timeout=None)
        return 2
