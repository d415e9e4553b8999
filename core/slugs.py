"""Unique slugs for any model with a `slug` field.

Used by myths (topics, claims, releases) and contacts (press contacts) alike.
"""

from django.utils.text import slugify


def unique_slug(instance, value: str, *, max_length: int = 200) -> str:
    """A slug from `value` that no other row of the instance's model uses yet."""
    base = (slugify(value, allow_unicode=False) or "item")[: max_length - 6].strip("-") or "item"
    candidate, number = base, 2
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    while others.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate
