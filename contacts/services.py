"""What must happen when a press contact changes."""

from myths.cache import public_cache_bump


def contact_changed() -> None:
    """A contact was added, edited or deleted: the contacts page and its vCards are stale."""
    public_cache_bump()
