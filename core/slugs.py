"""Readable, unique slugs in Latin letters for any model with a `slug` field, whatever the script.

Used by myths (topics, claims, releases) and contacts (press contacts) alike. Transliteration is
`anyascii` (ISC licence; Unidecode would do as well but is GPL, which this project does not take).
"""

import hashlib

from anyascii import anyascii
from django.utils.text import slugify

# Room left at the end of a slug for the "-N" that makes it unique.
SUFFIX_ROOM = 6


def latin_slug(value: str, *, max_length: int = 200) -> str:
    """`value` transliterated to Latin and slugified ("Выборы в Украине" → "vybory-v-ukraine").

    Empty when nothing of `value` survives (only punctuation, say); `unique_slug` then falls back.
    """
    return slugify(anyascii(value or ""))[:max_length].strip("-")


def unique_slug(instance, value: str, *, max_length: int = 200, fallback: str = "") -> str:
    """A slug from `value` (else from `fallback`) that no other row of the instance's model uses.

    Never empty and never a placeholder: when neither text leaves a Latin letter or digit, the
    slug is the model's name and a digest of the text, which stays the same for the same text.
    """
    room = max_length - SUFFIX_ROOM
    base = latin_slug(value, max_length=room) or latin_slug(fallback, max_length=room)
    if not base:
        digest = hashlib.blake2s((value or fallback or "").encode()).hexdigest()[:8]
        base = f"{slugify(type(instance)._meta.model_name)}-{digest}"[:room]
    candidate, number = base, 2
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    while others.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate
