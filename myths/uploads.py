"""Writing an uploaded image to the media storage so that a failed write (disk full, read-only
folder) becomes a message for the editor and leaves no partial file behind."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Where a previewed Word file waits in the default storage between an import's two steps
# (importing.preview.docx_keep). Never served by the media view.
IMPORT_PREFIX = "pressdesk-imports/"

MEDIA_WRITE_FAILED = _(
    "The image could not be stored: the media storage is full or read-only. Your text was kept; "
    "try again or ask the administrator."
)


# The files written inside `media_writes_undone_on_error`, as (storage, name) pairs.
_written: ContextVar[list | None] = ContextVar("pressdesk_media_written", default=None)


class MediaWriteError(Exception):
    """The storage refused a file (OSError): raised instead, so callers can re-show their form."""


@contextmanager
def media_write(storage, name: str):
    """Guard a write of `name` to `storage`: an OSError inside becomes MediaWriteError, and
    whatever the failed write left under `name` (an empty or truncated file) is deleted.

    Upload names are random (images.image_validate_and_clean), so a file under `name` that was
    not there before the write can only be this write's remains.
    """
    existed = storage.exists(name)
    try:
        yield
        written = _written.get()
        if written is not None:
            written.append((storage, name))
    except OSError as error:
        logger.error("Could not store %s in the media storage: %s", name, error)
        if not existed:
            try:
                if storage.exists(name):
                    storage.delete(name)
            except OSError:
                logger.exception("Could not remove the partial file %s", name)
        raise MediaWriteError(str(error)) from error


@contextmanager
def media_writes_undone_on_error():
    """Delete the files written (through media_write) inside this block if it raises.

    For a save whose database writes an exception rolls back: the files of that save's other
    figures, already stored, would otherwise stay on disk with no row pointing at them.
    """
    token = _written.set([])
    try:
        yield
    except BaseException:
        for storage, name in _written.get():
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not remove %s after a failed save", name)
        raise
    finally:
        _written.reset(token)
