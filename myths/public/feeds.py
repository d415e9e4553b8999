"""Atom and RSS feeds of the latest published releases, from their published revisions.

Every address in a feed is absolute on settings.PRESSDESK_SITE_URL (core.site): the syndication
framework would otherwise take the host from the request, and the cached feed would keep it.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from core.page_cache import public_cache
from core.site import absolute_url

from ..models import Release

FEED_LENGTH = 20


class LatestReleasesFeed(Feed):
    """RSS 2.0; the Atom feed below shares everything but the format."""

    description = _("The latest myth-busting releases of the press office.")
    url_name = "myths:feed-rss"

    def title(self):
        return _("%(site)s — latest releases") % {"site": settings.PRESSDESK_SITE_NAME}

    def link(self):
        return absolute_url(reverse("myths:release-list"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def items(self):
        return Release.objects.published().with_public_text().newest_first()[:FEED_LENGTH]

    def item_title(self, item):
        return item.public_title

    def item_description(self, item):
        return item.public_lede

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        # Stable across edits and slug changes: the release, not its current address.
        return absolute_url(f"/releases/id/{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.public_date

    def item_updateddate(self, item):
        return item.public_date


class LatestReleasesAtomFeed(LatestReleasesFeed):
    feed_type = Atom1Feed
    url_name = "myths:feed-atom"
    subtitle = LatestReleasesFeed.description


rss_feed = public_cache(LatestReleasesFeed())
atom_feed = public_cache(LatestReleasesAtomFeed())
