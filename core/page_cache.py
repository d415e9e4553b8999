"""Rendered public responses, cached, with ETag, Last-Modified and Cache-Control.

A cache key holds three things, so no stale page is ever served:
- the public generation and the *horizon* (the next moment something becomes public or stops
  being public by itself), both from core/public_state.py: a publication or withdrawal bumps the
  generation, so every cached public page becomes unreachable at once in the process that made it
  and within a second in every other process and server; the key changes by itself when the
  horizon passes, and the entry's lifetime is capped at it as well. Reading them costs no query
  while the process's snapshot is fresh, so a cached page or a 304 costs no SQL at all, and at
  most one cache round trip: none when this process served it lately (`RecentPages`);
- the language the page was negotiated in, and the full path with its query string.

Only canonical query strings are cached (the view says which, `cacheable`): by default none at
all, a list view its known filters with valid values, and the release list a search that found
something, kept for a short time and within a per-minute budget (`store_allowed`). A view may
read several spellings of a query as one and keep them under it (`path`). Anything else is
rendered and answered, but never stored, so junk queries cannot fill the cache. A cache that
fails (Redis down) is skipped, never an error (`cache_get`/`cache_set`).

Browsers and proxies are told to revalidate every time (`max-age=0`): a withdrawn release must
be gone at once, and revalidation is a 304 against the ETag, which costs the same as a hit.
"""

import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.translation import get_language

from .cache import cache_get, cache_get_many, cache_set, cache_set_many
from .public_state import PublicState, public_state

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 60 * 60
CACHE_CONTROL = "public, max-age=0, must-revalidate"
KEPT_HEADERS = ("Content-Disposition", "Content-Language", "X-Robots-Tag")
# A request with none of these is answered 200 without asking get_conditional_response.
CONDITIONAL_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class RecentPages:
    """The entries this process served last, in its own memory, so that serving one again costs
    no cache round trip at all (only a page this worker has not served yet costs one).

    Only entries of the current generation and horizon are kept: the first entry stored under a
    newer pair empties the rest, which no request can ask for again (their keys carry the old
    pair). Entries leave after PAGE_TIMEOUT like the shared cache's, and the least recently used
    leave first once their bodies pass settings.PRESSDESK_PAGE_MEMORY_BYTES (0 turns this off).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._entries: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._bytes = 0

    def get(self, key: str, version: tuple) -> dict | None:
        with self._lock:
            if version != self._version or key not in self._entries:
                return None
            expires, entry = self._entries[key]
            if self.clock() >= expires:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, version: tuple, entry: dict, timeout: int = PAGE_TIMEOUT) -> None:
        """Keep `entry` (its "body" counts against the byte limit) for at most `timeout`
        seconds, like the shared cache's copy."""
        limit = settings.PRESSDESK_PAGE_MEMORY_BYTES
        if len(entry["body"]) > limit:
            return
        with self._lock:
            if version != self._version:
                self._clear()
                self._version = version
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (self.clock() + timeout, entry)
            self._bytes += len(entry["body"])
            while self._bytes > limit:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def _drop(self, key: str) -> None:
        _expires, entry = self._entries.pop(key)
        self._bytes -= len(entry["body"])


recent_pages = RecentPages()


def public_key(kind: str, state: PublicState, *parts: str) -> str:
    """A cache key under the public generation and horizon of `state`: unreachable as soon as
    either changes (see the module's docstring)."""
    stamp = int(state.horizon.timestamp()) if state.horizon else 0
    return ":".join((f"pressdesk:{kind}", str(state.generation), str(stamp), *parts))


def public_timeout(state: PublicState, now, timeout: int = PAGE_TIMEOUT) -> int:
    """`timeout`, capped at the horizon of `state` (an entry never outlives its key)."""
    if state.horizon is not None:
        timeout = max(1, min(timeout, int((state.horizon - now).total_seconds()) + 1))
    return timeout


def cache_key(request, state: PublicState, path: str | None = None) -> str:
    """The page's key: the generation and horizon, the language, and `path` (the request's full
    path by default)."""
    digest = hashlib.sha256((path or request.get_full_path()).encode()).hexdigest()[:32]
    language = getattr(request, "LANGUAGE_CODE", "")
    return public_key("public-page", state, language, digest)


def store_allowed(kind: str, per_minute: int) -> bool:
    """Whether one more entry of `kind` may be stored this minute, across every worker.

    For responses to unbounded input (searches): however many different valid queries arrive,
    at most `per_minute` of them are stored each minute, so with a short lifetime the cache holds
    a bounded number of them. Costs a cache round trip (only when about to store); a cache that
    cannot count stores nothing.
    """
    key = f"pressdesk:store-budget:{kind}:{int(time.time() // 60)}"
    try:
        if cache.add(key, 1, 120):
            return per_minute >= 1
        return cache.incr(key) <= per_minute
    except Exception:  # any backend's connection error, or the counter expired meanwhile
        logger.warning("Cache unavailable, %s not counted", key, exc_info=True)
        return False


def bare_url(request) -> bool:
    """The default `cacheable`: only the URL without a query string is cached."""
    return not request.META.get("QUERY_STRING")


def cached_public_response(
    request,
    render,
    cacheable: Callable[[], bool] | None = None,
    *,
    path: str | None = None,
    timeout: Callable[[], int] | None = None,
):
    """Serve `render()`'s response from the cache when it may be, and revalidate by ETag.

    `cacheable()`, asked after rendering, says whether the request's query string is canonical
    and the response may be stored (default: no query string at all). `path` is the path and
    query the entry is kept under (default: the request's own): a view that reads several
    spellings of a query as one names that one, and renders the same page for each. `timeout()`,
    asked when storing, is the entry's lifetime (default PAGE_TIMEOUT).
    """
    if request.method not in ("GET", "HEAD"):
        return render()
    now = timezone.now()
    state = public_state(now)
    key = cache_key(request, state, path)
    version = (state.generation, state.horizon)
    entry = recent_pages.get(key, version)
    if entry is None and (entry := cache_get(key)) is not None:
        recent_pages.put(key, version, entry)
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
            "etag": f'"{state.generation}-{digest}"',
            "last_modified": now.timestamp(),
        }
        if cacheable() if cacheable else bare_url(request):
            lifetime = public_timeout(state, now, timeout() if timeout else PAGE_TIMEOUT)
            cache_set(key, entry, lifetime)
            recent_pages.put(key, version, entry, lifetime)
    response = None
    if any(header in request.META for header in CONDITIONAL_HEADERS):
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
    `query_is_canonical()` to say which ones may be stored; without it only the bare URL is.
    It may also define `cache_path()` (the one spelling its query is kept under, or None for the
    request's own) and `cache_timeout()` (an entry's lifetime); see cached_public_response."""

    def dispatch(self, request, *args, **kwargs):
        parent = super().dispatch
        cache_path = getattr(self, "cache_path", None)
        return cached_public_response(
            request,
            lambda: parent(request, *args, **kwargs),
            getattr(self, "query_is_canonical", None),
            path=cache_path() if cache_path else None,
            timeout=getattr(self, "cache_timeout", None),
        )


# --- Page skeletons ------------------------------------------------------------------------------
# A page whose words change only with a new version of what it shows (a release page: a new
# revision, a notice, an office's letterhead) but which also shows a few things that change with
# every publication (its language versions, its previous and next release) is rendered once per
# version as a *skeleton*: the whole page with a marker in place of each such part, a *slot*. A
# cold request then costs the queries that find the version and fill the slots, and no render of
# the page: right after a publication bumps the generation, every release page whose version did
# not change is filled from its skeleton. Skeleton keys never carry the generation (the caller's
# key names the version), so they outlive publications; they carry `code_stamp()`, so a deploy
# with other templates, catalogues or code renders them again, and the slot token, so a new
# SECRET_KEY does too (its markers would otherwise be left in the page as text).

SKELETON_TIMEOUT = 24 * 60 * 60
_SLOT = re.compile(r"<!--pressdesk-slot ([0-9a-f]{16}) ([\w./-]+) ([\w-]*)-->")

recent_skeletons = RecentPages()
_SKELETON_MEMORY_VERSION = ("skeletons",)


@lru_cache(maxsize=1)
def _slot_token() -> str:
    """A marker no content can forge: derived from SECRET_KEY, the same in every process."""
    return salted_hmac("core.page_cache.slot", "slot", algorithm="sha256").hexdigest()[:16]


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """What identifies the deployed code: the name, size and modification time of every
    template, catalogue and Python file of the project (read once per process)."""
    root = Path(settings.BASE_DIR)
    skip = {".git", ".venv", "node_modules", "__pycache__", "media", "static", "tests"}
    digest = hashlib.sha256()
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in skip and d[0] != ".")
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt", ".mo")):
                stat = os.stat(os.path.join(directory, name))
                relative = os.path.relpath(os.path.join(directory, name), root)
                digest.update(f"{relative}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def skeleton_mark(name: str) -> str:
    """The marker of slot `name` (a template), with the language active where it stands."""
    return format_html("<!--pressdesk-slot {} {} {}-->", _slot_token(), name, get_language() or "")


def _skeleton_key(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"pressdesk:skeleton:{code_stamp()}:{_slot_token()}:{digest}"


def skeleton_get(key: str) -> str | None:
    """The skeleton stored under `key` (the page's version), from this process's memory or the
    shared cache, else None."""
    full_key = _skeleton_key(key)
    entry = recent_skeletons.get(full_key, _SKELETON_MEMORY_VERSION)
    if entry is None and (entry := cache_get(full_key)) is not None:
        recent_skeletons.put(full_key, _SKELETON_MEMORY_VERSION, entry)
    return None if entry is None else entry["body"]


def skeleton_put(key: str, body: str) -> None:
    full_key = _skeleton_key(key)
    entry = {"body": body}
    cache_set(full_key, entry, SKELETON_TIMEOUT)
    recent_skeletons.put(full_key, _SKELETON_MEMORY_VERSION, entry)


def skeleton_fill(body: str, context: dict, versions: dict | None = None) -> str:
    """`body` with each slot rendered: its template, with `context`, in the language that was
    active where the slot stands. Markers of another token are left alone (they are text).

    `versions` may name, per slot template, a hashable value holding everything that slot shows
    of `context`: such a slot is rendered once per version, reader's language and site address,
    and kept in this process's memory (recent_fragments), so filling it again costs no render.
    """
    token = _slot_token()
    versions = versions or {}
    rendered = {}

    def fill(match):
        if match[1] != token:
            return match[0]
        name, language = match[2], match[3]
        if (name, language) not in rendered:
            rendered[name, language] = _slot_render(name, language, context, versions)
        return rendered[name, language]

    return _SLOT.sub(fill, body)


def _slot_render(name: str, language: str, context: dict, versions: dict) -> str:
    key = None
    if name in versions:
        stamp = (name, language, context.get("READER_LANGUAGE"), context.get("SITE_URL"))
        key = "slot:" + repr((*stamp, versions[name]))
        if entry := recent_fragments.get(key, _FRAGMENT_MEMORY_VERSION):
            return entry["body"]
    with translation.override(language or None):
        body = get_template(name).render(context)
    if key is not None:
        recent_fragments.put(key, _FRAGMENT_MEMORY_VERSION, {"body": body}, FRAGMENT_TIMEOUT)
    return body


# --- Fragments -----------------------------------------------------------------------------------
# A list page (home, the release list, the register) shows the same items in page after page and
# generation after generation: a release's card, a claim's row. Right after a publication every
# page is cold, yet almost every item on it is as it was. Each item's HTML is therefore kept per
# *version* of what it shows: the caller names the version with every value the fragment prints
# (and the reader's language), so a new revision, a withdrawal's effect on a count, a renamed
# topic or another office verdict style is another key and renders afresh, while the list itself
# (which items, in which order) is always read from the database. Keys carry `code_stamp()`, the
# slot token (a kept search card holds a marker derived from SECRET_KEY) and the time zone
# (dates are written in it), never the generation, so fragments outlive
# publications; this process's memory answers first, then the shared cache in one round trip for
# all the items memory missed.

FRAGMENT_TIMEOUT = SKELETON_TIMEOUT
recent_fragments = RecentPages()
_FRAGMENT_MEMORY_VERSION = ("fragments",)


def _fragment_key(version) -> str:
    stamp = repr((version, timezone.get_current_timezone_name()))
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:32]
    return f"pressdesk:fragment:{code_stamp()}:{_slot_token()}:{digest}"


def fragments_render(items: list, version, render) -> list[str]:
    """The HTML of each of `items`, in order: `render(item)`, or the copy kept under
    `version(item)` (a hashable value naming everything the fragment shows; None renders the item
    and keeps nothing, for a fragment that shows something per request).

    Costs nothing for items this process rendered or read lately, one cache round trip for the
    others together (get_many), and one more to store the ones rendered (set_many).
    """
    keys = [None if (v := version(item)) is None else _fragment_key(v) for item in items]
    found: dict[str, str] = {}
    for key in keys:
        if key is not None and (entry := recent_fragments.get(key, _FRAGMENT_MEMORY_VERSION)):
            found[key] = entry["body"]
    missing = [key for key in dict.fromkeys(keys) if key is not None and key not in found]
    for key, entry in cache_get_many(missing).items():
        found[key] = entry["body"]
        recent_fragments.put(key, _FRAGMENT_MEMORY_VERSION, entry, FRAGMENT_TIMEOUT)
    rendered, stored = [], {}
    for item, key in zip(items, keys, strict=True):
        if key is None or key not in found:
            body = render(item)
            if key is not None:
                found[key] = body
                stored[key] = {"body": body}
                recent_fragments.put(key, _FRAGMENT_MEMORY_VERSION, stored[key], FRAGMENT_TIMEOUT)
        rendered.append(found[key] if key is not None else body)
    cache_set_many(stored, FRAGMENT_TIMEOUT)
    return rendered
