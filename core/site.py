"""The public site's own address, from settings.PRESSDESK_SITE_URL and nowhere else.

Absolute links (feeds, sitemap, canonical links, JSON-LD, share links, vCards) never come from
the request's Host header: a forged Host would end up in pages the cache keeps for everyone.
Each public page has one canonical address, without a language prefix (`canonical_path`); the
prefixed /fr/… variants only choose the chrome's language (`path_in_language`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation


def site_url() -> str:
    """The configured base address without a trailing slash, e.g. "https://press.example"."""
    return settings.PRESSDESK_SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (e.g. from reverse() or get_absolute_url()) on the configured site.

    An address that is already absolute (another host, a CDN) is returned unchanged.
    """
    parts = urlsplit(path)
    if parts.scheme:
        return path
    if parts.netloc:  # "//host/path": another host, on the site's scheme
        return f"{site_scheme()}:{path}"
    return site_url() + path


def site_scheme() -> str:
    """The configured scheme, "http" or "https"."""
    return urlsplit(site_url()).scheme or "https"


def site_domain() -> str:
    """The configured address without its scheme: host, port and any path prefix."""
    return site_url().split("://", 1)[-1]


def canonical_path(viewname: str, *args, **kwargs) -> str:
    """reverse() without a language prefix, whatever language is active (e.g. a release's own)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(viewname, args=args or None, kwargs=kwargs or None)


def path_in_language(path: str, language: str) -> str:
    """The canonical `path` with `language`'s prefix (none for the default language).

    The path is resolved in the default language, since canonical paths carry no prefix; a path
    outside the language-prefixed routes (admin, media) comes back unchanged.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)
