"""Small pictures of stored figures for the editing screens: made once, through the image gate,
and kept in the media storage beside the originals under a name derived from the original's.

A thumbnail is never made from bytes the gate has not accepted; one that cannot be made (the
original is missing, the storage refuses the write) is logged and the original is shown instead.
"""

from __future__ import annotations

import hashlib
import io
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from core.images import PILLOW_PLUGINS, image_validate_and_clean

from .uploads import MediaWriteError, media_write

logger = logging.getLogger(__name__)

THUMBNAIL_BOX = (320, 320)
THUMBNAIL_FOLDER = "thumbnails"


def thumbnail_name(original: str) -> str:
    """The storage name of `original`'s thumbnail: the same original, the same name."""
    digest = hashlib.sha256(original.encode()).hexdigest()[:32]
    return f"{THUMBNAIL_FOLDER}/{digest[:2]}/{digest}.webp"


def thumbnail_url(original: str, storage=None) -> str:
    """The URL of a small WebP of the stored image `original`, made on first use; the
    original's URL when no thumbnail can be made, "" for no image."""
    if not original:
        return ""
    storage = storage or default_storage
    name = thumbnail_name(original)
    if storage.exists(name):
        return storage.url(name)
    try:
        with storage.open(original, "rb") as stored:
            clean = image_validate_and_clean(stored)
        with media_write(storage, name):
            storage.save(name, ContentFile(_shrunk(clean.read())))
    except (OSError, ValidationError, MediaWriteError) as error:
        logger.warning("No thumbnail for %s: %s", original, error)
        return storage.url(original)
    return storage.url(name)


def _shrunk(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data), formats=PILLOW_PLUGINS) as image:
        image.thumbnail(THUMBNAIL_BOX)
        if image.mode not in {"RGB", "RGBA"}:
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        out = io.BytesIO()
        image.save(out, "WEBP", quality=80, method=4)
        return out.getvalue()
