"""Atom and RSS feeds of the latest published releases, from their published revisions.

Every address in a feed is absolute on settings.PRESSDESK_SITE_URL (core.site): the syndication
framework would otherwise take the host from the request, and the cached feed would keep it.
`?language=ru` narrows a feed to the releases written in one language (an unknown code is
ignored); the page cache keys on the query string, so each language's feed is cached apart.

A release corrected or clarified since its publication is marked in its entry: `updated` is the
date of its latest public notice, the entry is in the category of its kind, and its summary starts
with the notice ("Corrected on 3 April 2017: …"), in the release's language.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import typography
from core.page_cache import public_cache, skeleton_get, skeleton_put
from core.prepared import prepared
from core.site import absolute_url, canonical_path
from core.typography import long_date

from ..models import Release, ReleaseNotice

FEED_LENGTH = 20
# The release's own columns an entry prints (item_link, item_description: Release.issued_date);
# a column read but not loaded would cost a query per entry, and be missing from the body's key.
FEED_RELEASE_FIELDS = (
    "slug",
    "reference",
    "issued_on",
    "issued_at",
    "first_published_at",
    "publish_at",
    "office__time_zone",
)


@dataclass(frozen=True)
class FeedSubject:
    """What a feed shows: its language (None: all) and its releases, read once per request."""

    language: str | None
    items: list

    def __str__(self):
        return self.language or ""


def _row_state(row) -> list:
    """Every value a model row holds (its fields and annotations, and those of the rows selected
    with it), for a key that changes whenever anything the feed could print changes."""
    state = sorted((k, v) for k, v in vars(row).items() if not k.startswith("_"))
    related = row._state.fields_cache
    return [state, [(name, _row_state(other)) for name, other in sorted(related.items()) if other]]


def feed_releases(now: datetime):
    """What a feed lists, public at `now`: the latest releases with their notices and
    datelines, and of the working copy's row only what an entry prints (its address, reference
    and date of issue): the other columns would only be read, and keyed in the kept body."""
    return (
        Release.objects.published(now)
        .with_public_text()
        .with_public_notice(now)
        .with_public_place()
        .select_related("office")
        .only(*FEED_RELEASE_FIELDS)
        .newest_first()
    )


# A cold feed's one query, compiled once per process (core/prepared.py).


@prepared
def feed_entries(now: datetime):
    """The FEED_LENGTH latest releases public at `now`."""
    return feed_releases(now)[:FEED_LENGTH]


@prepared
def feed_entries_in(language: str, now: datetime):
    """The FEED_LENGTH latest releases in `language` public at `now`."""
    return feed_releases(now).filter(public_language=language)[:FEED_LENGTH]


class LatestReleasesFeed(Feed):
    """RSS 2.0; the Atom feed below shares everything but the format.

    A feed's body is kept per version of what it shows (the releases it lists, each with every
    value it holds, its language, its format, the site), not per public generation: right after a
    publication that changes none of its entries, a cold request costs its one query and no
    render (core/page_cache.py, skeletons; here without slots).
    """

    description = _("The latest myth-busting releases of the press office.")
    url_name = "myths:feed-rss"

    def __call__(self, request, *args, **kwargs):
        subject = self.get_object(request)
        version = repr(
            (
                "feed",
                self.url_name,
                subject.language,
                [_row_state(item) for item in subject.items],
                settings.PRESSDESK_SITE_NAME,
                settings.PRESSDESK_SITE_URL,
            )
        )
        body = skeleton_get(version)
        if body is None:
            response = super().__call__(request, *args, **kwargs)
            skeleton_put(version, response.content.decode())
            return response
        response = HttpResponse(body, content_type=self.feed_type.content_type)
        if subject.items:  # as the syndication framework sets it: the latest entry's date
            latest = max(self.item_updateddate(item) for item in subject.items)
            response.headers["Last-Modified"] = http_date(latest.timestamp())
        return response

    def get_object(self, request, *args, **kwargs):
        """The language asked for with `?language=`, if the site offers it, else None (all), and
        the releases to list (read once per request: __call__ keys the body on them)."""
        subject = getattr(request, "_pressdesk_feed_subject", None)
        if subject is None:
            language = request.GET.get("language", "")
            language = language if language in dict(settings.LANGUAGES) else None
            subject = FeedSubject(language, list(self._releases(language)))
            request._pressdesk_feed_subject = subject
        return subject

    def title(self, subject):
        title = _("%(site)s — latest releases") % {"site": settings.PRESSDESK_SITE_NAME}
        return f"{title} ({subject.language})" if subject.language else title

    def _address(self, name, language):
        query = f"?{urlencode({'language': language})}" if language else ""
        return absolute_url(canonical_path(name) + query)

    def link(self, subject):
        return self._address("myths:release-list", subject.language)

    def feed_url(self, subject):
        return self._address(self.url_name, subject.language)

    def items(self, subject):
        return subject.items

    def _releases(self, language):
        now = timezone.now()
        if language:
            return feed_entries_in(language=language, now=now)
        return feed_entries(now=now)

    def item_title(self, item):
        return item.public_title

    def item_description(self, item):
        """The lede after its dateline, and the reference, as the release opens (issue 13):
        "BRUSSELS, 12 March 2017 — The lede. Ref. PR/2017/014", in the release's language; a
        revised release's latest notice before it."""
        language = item.public_language or settings.LANGUAGE_CODE
        with translation.override(language):
            dateline = typography.dateline(item.public_place, item.issued_date(), language)
            reference = f"{gettext('Ref.')} {item.reference}" if item.reference else ""
        text = f"{dateline} — {item.public_lede}".strip() if dateline else item.public_lede
        text = " ".join(part for part in (text, reference) if part)
        if not item.public_modified:
            return text
        return f"{notice_line(item)}\n\n{text}"

    def item_categories(self, item):
        # A machine-readable marker of a revised entry: the kind of its latest public notice.
        return [item.public_notice_kind] if item.public_modified else []

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        # Stable across edits and slug changes: the release, not its current address.
        return absolute_url(f"/releases/id/{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.public_date

    def item_updateddate(self, item):
        return item.public_modified or item.public_date


def notice_line(item) -> str:
    """The latest public notice of a feed's release, dated, in the release's language."""
    with translation.override(item.public_language or settings.LANGUAGE_CODE):
        date = long_date(timezone.localtime(item.public_modified))
        if item.public_notice_kind == ReleaseNotice.Kind.CORRECTION:
            line = gettext("Corrected on %(date)s:") % {"date": date}
        else:
            line = gettext("Clarified on %(date)s:") % {"date": date}
    return f"{line} {item.public_notice_note}"


class LatestReleasesAtomFeed(LatestReleasesFeed):
    feed_type = Atom1Feed
    url_name = "myths:feed-atom"
    subtitle = LatestReleasesFeed.description


rss_feed = public_cache(LatestReleasesFeed())
atom_feed = public_cache(LatestReleasesAtomFeed())
