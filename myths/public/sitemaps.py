"""The sitemap: an index at /sitemap.xml (robots.txt names it) of section pages of at most
`limit` addresses each: the public pages, the published releases and the claims of the register.

A section's page N holds the rows whose key (release id, claim id) falls in the N-th block of
`limit` keys, read through the primary-key (or claim) index: a page reads at most `limit` rows
and never counts or skips the archive, however long it is, and a row keeps its page as the
archive grows. A block may hold fewer rows than `limit` (drafts and gaps take keys), never more,
so no address is ever cut (the sitemaps protocol allows 50,000 per file).

Addresses are on settings.PRESSDESK_SITE_URL (core.site), never on the request's host: the
sitemap is cached for every visitor, so a forged Host header must not end up in it. For that
reason the index is our own view (Django's builds its addresses from the request's host) on
Django's template; the section pages are Django's `sitemap` view.
"""

import math
import re

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap, x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.template.response import TemplateResponse
from django.utils.functional import cached_property

from core.page_cache import cached_public_response, public_cache
from core.site import absolute_url, canonical_path, site_domain, site_scheme

from ..models import RegisterEntry, RegisterSummary, Release

URLS_PER_PAGE = 10_000


class ConfiguredSite:
    """What Sitemap.get_urls() needs of a site (its `domain`), from the configured address."""

    @property
    def domain(self) -> str:
        return site_domain()

    @property
    def name(self) -> str:
        return site_domain()


class KeyBlocks:
    """The part of a Paginator the sitemap views use, over blocks of keys rather than offsets:
    page N is `rows` with `key` in ((N-1)·limit, N·limit], and there are as many pages as
    blocks up to the highest key (`last_key`, asked for only when needed)."""

    def __init__(self, rows, *, key: str, limit: int, last_key):
        self.rows, self.key, self.limit, self._last_key = rows, key, limit, last_key

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil((self._last_key() or 0) / self.limit))

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        block = {
            f"{self.key}__gt": (number - 1) * self.limit,
            f"{self.key}__lte": number * self.limit,
        }
        rows = list(self.rows.filter(**block).order_by(self.key))
        if not rows and number > self.num_pages:
            raise EmptyPage("That page contains no results")
        return KeyBlockPage(rows)


class KeyBlockPage:
    def __init__(self, rows):
        self.object_list = rows


class SiteSitemap(Sitemap):
    """Builds every URL on the configured site, whatever site the sitemap view passes in."""

    limit = URLS_PER_PAGE

    def get_urls(self, page=1, site=None, protocol=None):
        return super().get_urls(page=page, site=ConfiguredSite(), protocol=site_scheme())

    def latest(self):
        """The latest `lastmod` of the section, for the index (None: not given)."""
        return None

    def page_count(self) -> int:
        return self.paginator.num_pages


class StaticSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return ["myths:home", "myths:release-list", "myths:claim-list", "contacts:contact-list"]

    def location(self, item):
        return canonical_path(item)


class ReleaseSitemap(SiteSitemap):
    """Published releases by id; lastmod is the public date. The index reads the highest id and
    the latest date in one query, each the end of an index (the primary key, and
    myths_release_public_date)."""

    changefreq = "monthly"

    def items(self):
        return Release.objects.published().only("slug", "first_published_at", "publish_at")

    @property
    def paginator(self):
        return KeyBlocks(self.items(), key="pk", limit=self.limit, last_key=self.last_key)

    @cached_property
    def _ends(self) -> dict:
        return self.items().aggregate(last=Max("pk"), latest=Max("public_date"))

    def last_key(self):
        return self._ends["last"]

    def lastmod(self, item):
        return item.public_date

    def latest(self):
        return self._ends["latest"]


class ClaimSitemap(SiteSitemap):
    """The register's claims by claim id; lastmod is the latest public date of the releases
    answering the claim. The index reads the highest id and the latest date from the summary."""

    changefreq = "weekly"

    def __init__(self, summary: RegisterSummary | None = None):
        self.summary = summary

    def items(self):
        return RegisterEntry.objects.current().only("slug", "claim_id", "updated_on")

    @property
    def paginator(self):
        return KeyBlocks(self.items(), key="claim_id", limit=self.limit, last_key=self.last_key)

    def last_key(self):
        summary = self.summary or RegisterSummary.objects.current()
        return summary.last_claim_id if summary else 0

    def lastmod(self, item):
        return item.updated_on

    def latest(self):
        return self.summary.updated_on if self.summary else None


SITEMAPS = {"pages": StaticSitemap, "releases": ReleaseSitemap, "myths": ClaimSitemap}


@x_robots_tag
def sitemap_index(request):
    """/sitemap.xml: every page of every section, with the section's latest change."""
    summary = RegisterSummary.objects.current()
    sections = {
        "pages": StaticSitemap(),
        "releases": ReleaseSitemap(),
        "myths": ClaimSitemap(summary),
    }
    items = []
    for name, section in sections.items():
        address = absolute_url(canonical_path("myths:sitemap-section", section=name))
        latest = section.latest()
        items.append(SitemapIndexItem(address, latest))
        items.extend(
            SitemapIndexItem(f"{address}?p={n}", latest) for n in range(2, section.page_count() + 1)
        )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


_PAGE_QUERY = re.compile(r"p=[1-9][0-9]{0,6}")


def _page_query_is_canonical(request) -> bool:
    """Cache a section page at its bare address (page 1) or at `?p=N`, N ≥ 2, as the index
    writes it; any other query is answered but not stored."""
    query = request.META.get("QUERY_STRING", "")
    return not query or (_PAGE_QUERY.fullmatch(query) is not None and query != "p=1")


def sitemap_section(request, section):
    """/sitemap-<section>.xml[?p=N]: one page of one section (Django's view), cached."""
    return cached_public_response(
        request,
        lambda: sitemap(request, sitemaps=SITEMAPS, section=section),
        lambda: _page_query_is_canonical(request),
    )


sitemap_index_cached = public_cache(sitemap_index)
