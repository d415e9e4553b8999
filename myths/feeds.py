"""Atom and RSS feeds of the latest published releases, from their published revisions."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .public import published_releases
from .public_cache import public_cache

FEED_LENGTH = 20


class LatestReleasesFeed(Feed):
    """RSS 2.0; the Atom feed below shares everything but the format."""

    description = _("The latest myth-busting releases of the press office.")

    def title(self):
        return _("%(site)s — latest releases") % {"site": settings.PRESSDESK_SITE_NAME}

    def link(self):
        return reverse("myths:release-list")

    def items(self):
        return published_releases().order_by("-public_date", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.public_title

    def item_description(self, item):
        return item.public_lede

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # Stable across edits and slug changes: the release, not its current address.
        return f"{settings.PRESSDESK_SITE_URL.rstrip('/')}/releases/id/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.public_date

    def item_updateddate(self, item):
        return item.public_date


class LatestReleasesAtomFeed(LatestReleasesFeed):
    feed_type = Atom1Feed
    subtitle = LatestReleasesFeed.description


rss_feed = public_cache(LatestReleasesFeed())
atom_feed = public_cache(LatestReleasesAtomFeed())
