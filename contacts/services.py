"""What must happen when a press contact changes."""

from django.db import transaction

from core.cache import public_cache_bump


def contact_changed() -> None:
    """A contact was added, edited or deleted: the contacts page and its vCards are stale.

    The bump waits for the commit: bumped earlier, a request between the bump and the commit
    would cache the old contact under the new generation and keep serving it.
    """
    transaction.on_commit(public_cache_bump)
