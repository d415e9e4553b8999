"""A database outage answers 503 with Retry-After; the reader's language comes from the URL;
tracking parameters of shared links are dropped.

Down, hung (bounded by the connect and statement timeouts in settings) or refusing connections:
the request fails fast and the client is told when to come back. `ReaderLocaleMiddleware` lets
the public site's address choose its language, and everything else (the admin) the reader's.
"""

import logging
from functools import lru_cache
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.urls import get_urlconf, is_valid_path
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


# What campaign tools and social networks append to a shared link. No page reads them; each click
# brings its own value (fbclid, gclid), so kept in the query they would make every reader of a
# shared release a query string of its own: never served from the page cache, a cold render each.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "ttclid", "li_fat_id"}
    | {"igshid", "mc_cid", "mc_eid", "yclid", "_ga", "_gl", "ref_src", "ref_url"}
)
TRACKING_PREFIXES = ("utm_",)


def _tracking(part: str) -> bool:
    name = unquote_plus(part.partition("=")[0]).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


class TrackingParametersMiddleware:
    """Drops tracking parameters (TRACKING_PARAMETERS, `utm_*`) from the query string of a GET or
    HEAD request before anything reads it: a release shared as `/releases/x/?fbclid=…` is the page
    `/releases/x/`, served from the page cache like any other reader's. Every other parameter is
    kept as it came, in its order."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if query and request.method in ("GET", "HEAD"):
            parts = query.split("&")
            kept = [part for part in parts if not _tracking(part)]
            if len(kept) != len(parts):
                request.META["QUERY_STRING"] = "&".join(kept)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Turns OperationalError/InterfaceError from a view (or its template) into a 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        # Rendered without the request: context processors might need the database.
        body = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


def language_in_address(path: str) -> bool:
    """Whether `path` is a language-prefixed route (the public site), with or without its prefix."""
    return _language_in_address(get_urlconf(), path)


# The answer depends on the URLconf alone, so it is remembered: every request asks, and finding
# out costs resolving the path a second time. Bounded, since paths are whatever clients send.
@lru_cache(maxsize=4096)
def _language_in_address(urlconf: str | None, path: str) -> bool:
    if translation.get_language_from_path(path):
        return True
    other = next(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    with translation.override(other):
        return is_valid_path(f"/{other}{path}", urlconf)


@receiver(setting_changed)
def _forget_language_routes(*, setting, **kwargs):
    """Tests that change the languages or the URLconf get answers for the new ones."""
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF"):
        _language_in_address.cache_clear()


class ReaderLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but only public pages take their language from the address.

    Django makes every unprefixed path speak settings.LANGUAGE_CODE once i18n_patterns() hides
    the default language's prefix; the admin and other unprefixed routes keep following the
    reader's choice (the set_language cookie, else Accept-Language). Public pages depend on their
    address alone, so they carry no `Vary: Accept-Language` and one cached copy serves everyone.
    """

    def process_request(self, request):
        super().process_request(request)
        request.language_in_address = language_in_address(request.path_info)
        if not request.language_in_address:
            translation.activate(translation.get_language_from_request(request, check_path=False))
            request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if getattr(request, "language_in_address", False):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
