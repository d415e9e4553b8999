"""The sitemap index and its pages (myths/public/sitemaps.py), and the cold cost of the register,
claim and sitemap pages: a fixed number of queries, each served by an index whatever the archive
size (EXPLAIN on PostgreSQL)."""

import math
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from myths.models import RegisterEntry, Release
from myths.public import sitemaps
from myths.public.search import search_releases
from tests.factories import (
    ClaimFactory,
    ResponseFactory,
    arrange_state,
    non_public_release,
    published_release,
    release_with_content,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
postgresql_only = pytest.mark.database("postgresql")


def index_entries(client) -> list[tuple[str, str | None]]:
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own output
    return [
        (node.find(f"{SITEMAP}loc").text, getattr(node.find(f"{SITEMAP}lastmod"), "text", None))
        for node in root.iter(f"{SITEMAP}sitemap")
    ]


def page_urls(client, url) -> list[ET.Element]:
    """The <url> elements of a sitemap page, at `url` (absolute, or a path)."""
    address = urlsplit(url)
    response = client.get(address.path, QUERY_STRING=address.query)
    assert response.status_code == 200, url
    return list(ET.fromstring(response.content).iter(f"{SITEMAP}url"))  # noqa: S314


def day_of(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


class TestPages:
    def test_no_address_is_dropped_and_no_page_holds_more_than_its_limit(self, client, monkeypatch):
        # Pages are blocks of keys, and PostgreSQL does not reset its sequences between tests: a
        # block of 2 keys makes thousands of (empty) pages there, so the crawl reads every page
        # whose block could hold a row made here, and the index's first and last pages.
        monkeypatch.setattr(sitemaps.SiteSitemap, "limit", 2)
        releases = [published_release(responses=1) for _ in range(5)]
        hidden = non_public_release("draft")
        claims = [release.responses.get().claim for release in releases]
        keys = {
            "sitemap-releases": {release.pk for release in releases} | {hidden.pk},
            "sitemap-myths": {claim.pk for claim in claims},
        }
        pages = [loc for loc, _lastmod in index_entries(client)]
        last_release = Release.objects.published().aggregate(n=Max("pk"))["n"]
        assert sum("sitemap-releases" in page for page in pages) == math.ceil(last_release / 2)
        locations, read = [], 0
        for number, page in enumerate(pages):
            section = next((name for name in keys if name in page), None)
            block = int(parse_qs(urlsplit(page).query).get("p", ["1"])[0])
            wanted = section is None or any(math.ceil(key / 2) == block for key in keys[section])
            if wanted or number in (0, len(pages) - 1):
                urls = page_urls(client, page)
                assert len(urls) <= 2, page
                locations.extend(url.find(f"{SITEMAP}loc").text for url in urls)
                read += 1
        assert read >= 1 + 3 + 3  # the static page, and at least three blocks per section
        expected = [release.get_absolute_url() for release in releases] + [
            claim.get_absolute_url() for claim in claims
        ]
        for path in expected:
            assert sum(location.endswith(path) for location in locations) == 1, path
        assert not any(hidden.slug in location for location in locations)

    def test_a_page_holds_at_most_a_thousand_addresses(self):
        # Far under the protocol's 50,000 and Google's advice of 10,000: a page costs the same
        # at any archive size.
        assert sitemaps.ReleaseSitemap.limit == sitemaps.ClaimSitemap.limit == 1_000

    @pytest.mark.parametrize("query", ["p=0", "p=abc", "p=99"])
    def test_a_page_that_does_not_exist_is_a_404(self, client, query):
        published_release(responses=1)
        assert client.get("/sitemap-releases.xml", QUERY_STRING=query).status_code == 404
        assert client.get("/sitemap-nothing.xml").status_code == 404

    def test_lastmod_is_the_public_date_and_the_index_gives_the_latest(self, client):
        now = timezone.now()
        old = published_release(responses=1, publish_at=now - timedelta(days=9))
        new = published_release(responses=1, publish_at=now - timedelta(days=2))
        # The page of the old release's block of ids (on PostgreSQL, ids are not reset between
        # tests, so page 1 may hold none of them).
        page = f"/sitemap-releases.xml?p={math.ceil(old.pk / sitemaps.URLS_PER_PAGE)}"
        (node,) = [
            url
            for url in page_urls(client, page)
            if url.find(f"{SITEMAP}loc").text.endswith(old.get_absolute_url())
        ]
        assert node.find(f"{SITEMAP}lastmod").text == day_of(old.first_published_at)
        lastmods = dict(index_entries(client))
        latest = timezone.localtime(new.first_published_at).isoformat()
        releases = next(loc for loc in lastmods if "sitemap-releases" in loc)
        assert lastmods[releases] == latest
        claims = next(loc for loc in lastmods if "sitemap-myths" in loc)
        assert lastmods[claims] == latest

    def test_a_claim_answered_again_is_modified_then(self, client):
        claim = ClaimFactory()
        now = timezone.now()
        for days in (9, 2):
            release = release_with_content(responses=0)
            ResponseFactory(release=release, claim=claim)
            arrange_state(release, Release.Status.PUBLISHED, publish_at=now - timedelta(days=days))
        (node,) = page_urls(client, address_of("/sitemap-myths.xml", claim))
        assert node.find(f"{SITEMAP}lastmod").text == day_of(now - timedelta(days=2))

    def test_only_canonical_page_queries_are_stored(self, client):
        from myths.public.sitemaps import _page_query_is_canonical

        def canonical(query):
            return _page_query_is_canonical(type("R", (), {"META": {"QUERY_STRING": query}}))

        assert canonical("") and canonical("p=2") and canonical("p=12")
        assert not any(canonical(q) for q in ("p=1", "p=02", "p=2&x=1", "x=1", "p=-1"))


# --- The cold cost of each page ------------------------------------------------------------------


@pytest.fixture
def archive():
    """A few published releases sharing claims, and a draft."""
    shared = ClaimFactory(wording="The harbour will be drained")
    releases = []
    for n in range(4):
        release = release_with_content(responses=2, title=f"Harbour release {n}")
        ResponseFactory(release=release, claim=shared, position=3)
        releases.append(arrange_state(release, Release.Status.PUBLISHED))
    non_public_release("draft")
    return shared


# The page cache's one read (the public generation with the horizon, core/public_state.py) is
# part of every count: each test starts cold in every layer (tests/conftest.py).
COLD_QUERIES = [
    ("/myths/", 3),  # cache 1 + register summary + rows
    # cache 1 + register row + the answering releases + the revision's text, which renders the
    # page's skeleton (3 once a skeleton is kept: tests/myths/test_release_skeleton.py)
    ("claim", 4),
    ("/sitemap.xml", 3),  # cache 1 + register summary + the releases' ends
    ("/sitemap-releases.xml", 2),  # cache 1 + one block of releases
    ("/sitemap-myths.xml", 2),  # cache 1 + one block of claims
]


def address_of(url, archive) -> str:
    """The claim's page for "claim"; a section's page that holds its newest rows (ids are
    keyed in blocks, and on PostgreSQL a sequence is not reset between tests, so page 1 may be
    empty), else `url` itself."""
    if url == "claim":
        return archive.get_absolute_url()
    newest = {
        "/sitemap-releases.xml": lambda: Release.objects.aggregate(n=Max("pk"))["n"],
        "/sitemap-myths.xml": lambda: RegisterEntry.objects.aggregate(n=Max("claim_id"))["n"],
    }.get(url)
    if newest is None:
        return url
    return f"{url}?p={math.ceil(newest() / sitemaps.URLS_PER_PAGE)}"


@pytest.mark.parametrize(("url", "queries"), COLD_QUERIES)
def test_cold_queries(client, archive, django_assert_num_queries, url, queries):
    url = address_of(url, archive)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("url", "queries"), COLD_QUERIES)
def test_cold_queries_do_not_grow_with_the_archive(client, archive, url, queries):
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    from core.page_cache import recent_pages
    from core.public_state import public_state_forget

    for _ in range(6):
        release = release_with_content(responses=1)
        ResponseFactory(release=release, claim=archive, position=2)
        arrange_state(release, Release.Status.PUBLISHED)
    cache.clear()
    recent_pages.clear()
    public_state_forget()
    url = address_of(url, archive)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == queries


def test_a_search_page_is_two_queries(archive, django_assert_num_queries):
    from django.core.paginator import Paginator

    found = search_releases(Release.objects.published().with_public_text(), "harbour")
    with django_assert_num_queries(2):  # the count and the page
        page = Paginator(found, 12).get_page(1)
        assert len(page.object_list) == 4


# --- Every read is served by an index (PostgreSQL) ---------------------------------------------


def plan_of(queryset) -> str:
    """PostgreSQL's plan, with sequential scans and sorts discouraged: what it can do with its
    indexes. (On a test's few rows it would rightly prefer reading the table.)"""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
class TestIndexes:
    def test_the_register_page_reads_its_rows_in_index_order(self, archive):
        plan = plan_of(RegisterEntry.objects.current().order_by("wording", "claim_id")[30:60])
        assert "Index Scan using myths_register_walk" in plan, plan
        assert "Sort" not in plan, plan

    def test_a_claim_page_finds_its_row_by_slug(self, archive):
        # Among a few rows every index costs the same to the planner, which may then pick any:
        # 2,000 current rows of other slugs make the slug the one selective condition.
        entry = RegisterEntry.objects.current().get(slug=archive.slug)
        others = []
        for n in range(2000):
            other = RegisterEntry.objects.get(pk=entry.pk)
            other.pk, other.slug = None, f"another-claim-{n}"
            others.append(other)
        RegisterEntry.objects.bulk_create(others)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE myths_registerentry")
        plan = plan_of(RegisterEntry.objects.current().filter(slug=archive.slug))
        # An index scan or a bitmap of an index on the slug (its plain or its pattern index).
        assert re.search(r"(using|on) myths_registerentry_slug", plan), plan
        assert "Seq Scan" not in plan, plan

    def test_a_sitemap_page_reads_one_block_of_keys(self, archive):
        block = {"pk__gt": 10_000, "pk__lte": 20_000}
        plan = plan_of(sitemaps.ReleaseSitemap().items().filter(**block).order_by("pk"))
        assert "Index Scan using myths_release_pkey" in plan, plan
        block = {"claim_id__gt": 10_000, "claim_id__lte": 20_000}
        plan = plan_of(sitemaps.ClaimSitemap().items().filter(**block).order_by("claim_id"))
        assert "Index Scan using myths_registerentry_claim_id" in plan, plan

    def test_the_index_reads_the_ends_of_two_indexes(self, archive):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert sitemaps.ReleaseSitemap().last_key()
        (query,) = captured.captured_queries
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        # The highest id and the latest date: each the first row of an index walked backwards
        # (on a few rows the planner may walk the release's key beside the date index too), never
        # an aggregate over the entries.
        assert plan.count("InitPlan") == 2 and plan.count("Limit") >= 2, plan
        assert "Index Scan Backward using myths_public_date" in plan, plan
        assert "Aggregate" not in plan and "Sort" not in plan, plan

    def test_the_rows_valid_now_are_one_per_claim(self, archive):
        claims = list(RegisterEntry.objects.current().values_list("claim_id", flat=True))
        assert len(claims) == len(set(claims)) == 9


def test_the_register_links_its_claims(client, archive):
    html = client.get(reverse("myths:claim-list")).content.decode()
    assert archive.get_absolute_url() in html
    assert "9 myths answered" in html
