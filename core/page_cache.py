"""Rendered public responses, cached, with ETag, Last-Modified and Cache-Control.

A cache key holds three things, so no stale page is ever served:
- the public generation (core/cache.py), read from the database on every request: the workflow
  bumps it in the transaction of a publish or withdrawal, contact edits bump it too, so such a
  change makes every cached public page unreachable at once, in every process, whatever the cache
  holds;
- the *horizon*: the next moment something becomes public or stops being public without any
  transition or bump (a scheduled release falling due, a release expiring). The apps that know such
  moments register a function with `register_horizon()` (myths does, from its AppConfig.ready), so
  this module imports no app. The key changes by itself when that moment passes, and the entry's
  lifetime is capped at it as well. Finding it and reading the generation are the two queries a
  cached page costs;
- the language the page was negotiated in, and the full path with its query string.

Only canonical query strings are cached (the view says which, `cacheable`): by default none at
all, a list view its known filters with valid values in sorted order. Anything else is rendered
and answered, but never stored, so junk queries cannot fill the cache. A cache that fails (Redis
down) is skipped, never an error (`cache_get`/`cache_set`).

Browsers and proxies are told to revalidate every time (`max-age=0`): a withdrawn release must
be gone at once, and revalidation is a 304 against the ETag, which costs the same two queries.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .cache import cache_get, cache_set, public_generation

PAGE_TIMEOUT = 60 * 60
CACHE_CONTROL = "public, max-age=0, must-revalidate"
KEPT_HEADERS = ("Content-Disposition", "Content-Language", "X-Robots-Tag")

Horizon = Callable[[datetime], datetime | None]
_horizons: list[Horizon] = []


def register_horizon(horizon: Horizon) -> Horizon:
    """Add a source of "the next time public content changes by itself" (idempotent).

    `horizon(now)` returns that moment, or None when nothing is pending.
    """
    if horizon not in _horizons:
        _horizons.append(horizon)
    return horizon


def public_horizon(now: datetime | None = None) -> datetime | None:
    """The earliest moment any registered source says the public content changes by itself."""
    now = now or timezone.now()
    moments = [moment for horizon in _horizons if (moment := horizon(now)) is not None]
    return min(moments) if moments else None


def cache_key(request, generation: int, horizon: datetime | None) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    language = getattr(request, "LANGUAGE_CODE", "")
    stamp = int(horizon.timestamp()) if horizon else 0
    return f"pressdesk:public-page:{generation}:{stamp}:{language}:{path}"


def bare_url(request) -> bool:
    """The default `cacheable`: only the URL without a query string is cached."""
    return not request.META.get("QUERY_STRING")


def cached_public_response(request, render, cacheable: Callable[[], bool] | None = None):
    """Serve `render()`'s response from the cache when it may be, and revalidate by ETag.

    `cacheable()`, asked after rendering, says whether the request's query string is canonical
    and the response may be stored (default: no query string at all).
    """
    if request.method not in ("GET", "HEAD"):
        return render()
    now = timezone.now()
    horizon = public_horizon(now)
    generation = public_generation()
    key = cache_key(request, generation, horizon)
    entry = cache_get(key)
    if entry is None:
        response = render()
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response = response.render()
        if response.status_code != 200 or response.streaming:
            return response
        body = response.content
        digest = hashlib.sha256(body).hexdigest()[:24]
        entry = {
            "body": body,
            "content_type": response["Content-Type"],
            "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
            "etag": f'"{generation}-{digest}"',
            "last_modified": now.timestamp(),
        }
        timeout = PAGE_TIMEOUT
        if horizon is not None:
            timeout = max(1, min(timeout, int((horizon - now).total_seconds()) + 1))
        if cacheable() if cacheable else bare_url(request):
            cache_set(key, entry, timeout)
    response = get_conditional_response(
        request, etag=entry["etag"], last_modified=int(entry["last_modified"])
    )
    if response is None:
        response = HttpResponse(entry["body"], content_type=entry["content_type"])
        for header, value in entry["headers"].items():
            response[header] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    response["Cache-Control"] = CACHE_CONTROL
    return response


def public_cache(view):
    """Decorator form, for function views (feeds, sitemap, robots.txt)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return cached_public_response(request, lambda: view(request, *args, **kwargs))

    return wrapped


class PublicCacheMixin:
    """For class-based public views. A view that accepts a query string defines
    `query_is_canonical()` to say which ones may be stored; without it only the bare URL is."""

    def dispatch(self, request, *args, **kwargs):
        parent = super().dispatch
        return cached_public_response(
            request,
            lambda: parent(request, *args, **kwargs),
            getattr(self, "query_is_canonical", None),
        )
