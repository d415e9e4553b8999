"""The sitemap: an index at /sitemap.xml (robots.txt names it) of section pages of at most
`limit` addresses each: the public pages, the published releases and the claims of the register.

A section's page N holds the rows whose key (release id, claim id) falls in the N-th block of
`limit` keys, read through the primary-key (or claim) index: a page reads at most `limit` rows
and never counts or skips the archive, however long it is, and a row keeps its page as the
archive grows. A block may hold fewer rows than `limit` (drafts and gaps take keys), never more,
so no address is ever cut (the sitemaps protocol allows 50,000 per file). `limit` is 1,000, well
under the protocol's 50,000 and Google's 10,000 advice, so a page costs the same at any archive
size; the index lists one line per page.

The sections are Django Sitemap classes (`items`, `location`, `lastmod`, `limit`, `paginator`),
so Django's own views could serve them; ours write the XML directly (Django's templates spent
most of a page's time on 1,000 `<url>` elements) and take every address from
settings.PRESSDESK_SITE_URL (core.site), never from the request's host as Django's index does:
the sitemap is cached for every visitor, so a forged Host header must not end up in it.
"""

import math
import re
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Subquery
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property

from core.page_cache import cached_public_response, public_cache
from core.site import absolute_url, canonical_path, site_domain, site_scheme

from ..models import RegisterEntry, RegisterSummary, Release

URLS_PER_PAGE = 1_000
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_SLUG = "sitemap-slug-placeholder"


class ConfiguredSite:
    """What Sitemap.get_urls() needs of a site (its `domain`), from the configured address."""

    @property
    def domain(self) -> str:
        return site_domain()

    @property
    def name(self) -> str:
        return site_domain()


class KeyBlocks:
    """The part of a Paginator the sitemap uses, over blocks of keys rather than offsets:
    page N is `rows` (whose first value is `key`) with `key` in ((N-1)·limit, N·limit], and
    there are as many pages as blocks up to the highest key (`last_key`, asked only if needed)."""

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
        first, last = (number - 1) * self.limit, number * self.limit
        block = {f"{self.key}__gt": first, f"{self.key}__lte": last}
        rows = list(self.rows.filter(**block).order_by(self.key))
        if not rows and number > self.num_pages:
            raise EmptyPage("That page contains no results")
        return KeyBlockPage(rows)


class KeyBlockPage:
    def __init__(self, rows):
        self.object_list = rows


class SiteSitemap(Sitemap):
    """A section on the configured site. Keyed sections' items are value tuples
    (key, slug, lastmod), so a page of them builds no model instance."""

    limit = URLS_PER_PAGE
    viewname = None  # the detail view of a keyed section's rows

    def get_urls(self, page=1, site=None, protocol=None):
        return super().get_urls(page=page, site=ConfiguredSite(), protocol=site_scheme())

    def latest(self):
        """The latest `lastmod` of the section, for the index (None: not given)."""
        return None

    def page_count(self) -> int:
        return self.paginator.num_pages

    @cached_property
    def _path_pattern(self) -> str:
        return canonical_path(self.viewname, slug=_SLUG)

    def location(self, item):
        return self._path_pattern.replace(_SLUG, item[1])

    def lastmod(self, item):
        return item[2]


class StaticSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return ["myths:home", "myths:release-list", "myths:claim-list", "contacts:contact-list"]

    def location(self, item):
        return canonical_path(item)

    def lastmod(self, item):
        return None


class ReleaseSitemap(SiteSitemap):
    """Published releases by id; lastmod is the public date. The index reads the highest id and
    the latest date in one query, each the end of an index (the primary key, and
    myths_release_public_date)."""

    changefreq = "monthly"
    viewname = "myths:release-detail"

    def items(self):
        # A correction or clarification changes the page: lastmod is its date, else the
        # publication's (public_modified, public_date).
        return (
            Release.objects.published()
            .with_public_notice()
            .values_list("pk", "slug", "public_date", "public_modified")
        )

    def lastmod(self, item):
        return item[3] or item[2]

    @property
    def paginator(self):
        return KeyBlocks(self.items(), key="pk", limit=self.limit, last_key=self.last_key)

    @cached_property
    def _ends(self) -> dict:
        # Each end is the first row of an index walked backwards (the primary key; the public
        # index's date index), in one query: Max() over published() would read every entry.
        published = Release.objects.published().order_by()
        ends = (
            Release.objects.order_by()
            .annotate(
                last=Subquery(published.order_by("-pk").values("pk")[:1]),
                latest=Subquery(
                    published.order_by("-public_date", "-pk").values("public_date")[:1]
                ),
            )
            .values("last", "latest")[:1]
        )
        return next(iter(ends), {"last": None, "latest": None})

    def last_key(self):
        return self._ends["last"]

    def latest(self):
        return self._ends["latest"]


class ClaimSitemap(SiteSitemap):
    """The register's claims by claim id; lastmod is the latest public date of the releases
    answering the claim. The index reads the highest id and the latest date from the summary."""

    changefreq = "weekly"
    viewname = "myths:claim-detail"

    def __init__(self, summary: RegisterSummary | None = None):
        self.summary = summary

    def items(self):
        return RegisterEntry.objects.current().values_list("claim_id", "slug", "updated_on")

    @property
    def paginator(self):
        return KeyBlocks(self.items(), key="claim_id", limit=self.limit, last_key=self.last_key)

    def last_key(self):
        summary = self.summary or RegisterSummary.objects.current()
        return summary.last_claim_id if summary else 0

    def latest(self):
        return self.summary.updated_on if self.summary else None


SITEMAPS = {"pages": StaticSitemap, "releases": ReleaseSitemap, "myths": ClaimSitemap}


def _xml(root: str, children: list[str]) -> HttpResponse:
    body = "".join(
        [f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{XMLNS}">\n', *children]
    )
    response = HttpResponse(f"{body}</{root}>\n", content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def _element(tag: str, location: str, lastmod: str = "", changefreq: str = "") -> str:
    parts = [f"<{tag}><loc>{escape(location)}</loc>"]
    if lastmod:
        parts.append(f"<lastmod>{lastmod}</lastmod>")
    if changefreq:
        parts.append(f"<changefreq>{changefreq}</changefreq>")
    parts.append(f"</{tag}>\n")
    return "".join(parts)


def sitemap_index(request):
    """/sitemap.xml: every page of every section, with the section's latest change."""
    summary = RegisterSummary.objects.current()
    sections = {
        "pages": StaticSitemap(),
        "releases": ReleaseSitemap(),
        "myths": ClaimSitemap(summary),
    }
    children = []
    for name, section in sections.items():
        address = absolute_url(canonical_path("myths:sitemap-section", section=name))
        latest = section.latest()
        lastmod = timezone.localtime(latest).isoformat() if latest else ""
        children.append(_element("sitemap", address, lastmod))
        children.extend(
            _element("sitemap", f"{address}?p={n}", lastmod)
            for n in range(2, section.page_count() + 1)
        )
    return _xml("sitemapindex", children)


def sitemap_page(request, section):
    """/sitemap-<section>.xml[?p=N]: one page of one section."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap section.")
    sitemap = SITEMAPS[section]()
    try:
        items = sitemap.paginator.page(request.GET.get("p", 1)).object_list
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such sitemap page.") from error
    base = absolute_url("")
    children = []
    for item in items:
        lastmod = sitemap.lastmod(item)
        day = timezone.localtime(lastmod).date().isoformat() if lastmod else ""
        children.append(_element("url", base + sitemap.location(item), day, sitemap.changefreq))
    return _xml("urlset", children)


_PAGE_QUERY = re.compile(r"p=[1-9][0-9]{0,6}")


def _page_query_is_canonical(request) -> bool:
    """Cache a section page at its bare address (page 1) or at `?p=N`, N ≥ 2, as the index
    writes it; any other query is answered but not stored."""
    query = request.META.get("QUERY_STRING", "")
    return not query or (_PAGE_QUERY.fullmatch(query) is not None and query != "p=1")


def sitemap_section(request, section):
    """A section page through the page cache, stored at canonical page queries only."""
    return cached_public_response(
        request,
        lambda: sitemap_page(request, section),
        lambda: _page_query_is_canonical(request),
    )


sitemap_index_cached = public_cache(sitemap_index)
