"""A search costs bounded work whatever the size of the archive (issue 10): PostgreSQL finds a
common word's matches by walking the public index's date index from the newest entry and stops at
the MAX_RANKED-th match, a rare word's through the GIN index, and reads a page's rows by primary
key. Read from EXPLAIN (ANALYZE) on an archive of a few thousand releases written in bulk, every
one of them saying "harbour" and one of them "quokkas"."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.page_cache import recent_pages, recent_skeletons
from core.public_state import public_state_forget
from myths.models import Release, search_config
from myths.public import search
from myths.public.search import search_releases
from tests.factories.archive import bulk_published

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.database("postgresql")]
SIZE = 3000
LANGUAGES = ("en", "fr", "de")
# Bounds the walk well below the archive, so reading past the bound would show.
BOUND = 100


@pytest.fixture(autouse=True)
def bound(monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", BOUND)


@pytest.fixture(scope="module", autouse=True)
def vacuumed_after(django_db_setup, django_db_blocker):
    """The archives these tests wrote and rolled back still size the tables (dead rows, grown
    their indexes) and would change the plans of the tests after them: compacted once done."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("VACUUM FULL myths_release, myths_revision, myths_publicrelease")


@pytest.fixture
def archive():
    """SIZE published releases in three languages, as the workflow leaves them (a live revision
    with its text in its language's configuration, a first publication time), written in bulk;
    the one in the middle about quokkas."""
    bulk_published(
        SIZE,
        oldest=timezone.now() - timedelta(days=SIZE),
        languages=LANGUAGES,
        revision_fields=lambda n, release: {
            "search_text": f"The harbour wall {n} is not sinking."
            + (" Quokkas live on the island." if n == SIZE // 2 else ""),
            "search_config": search_config(release.language),
        },
    )
    settle()
    return Release.objects.published().with_public_text().newest_first()


def settle():
    """What VACUUM (ANALYZE) does after a bulk load, within the test's transaction: the GIN
    index's pending list merged (the planner shuns an index with a long one) and statistics
    taken (which tell a common word from a rare one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('myths_revision_document'::regclass)")
        cursor.execute("ANALYZE")


def hits_query(found):
    hits, _annotations = found.searches[-1]
    return hits


def analyze(sql: str, params=(), *, seqscan=True) -> dict:
    """The root node of PostgreSQL's executed plan (EXPLAIN (ANALYZE, FORMAT JSON)), with
    sequential scans discouraged if not `seqscan`: what it does with its indexes, as on a large
    archive, where a scan of the revisions is never the cheaper way."""
    with connection.cursor() as cursor:
        if not seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (document,) = cursor.fetchone()
    return document[0]["Plan"]


def analyze_queryset(queryset, *, seqscan=True) -> dict:
    return analyze(*queryset.query.sql_with_params(), seqscan=seqscan)


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def node_types(plan: dict) -> set[str]:
    return {node["Node Type"] for node in nodes(plan)}


def index_reads(plan: dict) -> dict[str, int]:
    """Rows each index led to (over all its loops, kept or filtered out), by index name."""
    return {
        node["Index Name"]: (node["Actual Rows"] + node.get("Rows Removed by Filter", 0))
        * node["Actual Loops"]
        for node in nodes(plan)
        if "Index Name" in node
    }


def test_a_common_word_walks_the_date_index_and_stops_at_the_bound(archive):
    found = search_releases(archive, "harbour", language="en")
    plan = analyze_queryset(hits_query(found))
    reads = index_reads(plan)
    # From the newest entry, in order: no sort, no scan of a table, nothing from the GIN index
    # (which would list every release), and no more entries than the bound.
    assert reads["myths_public_date"] == BOUND, plan
    assert "myths_revision_document" not in reads, plan
    assert not {"Sort", "Seq Scan", "Bitmap Heap Scan"} & node_types(plan), plan
    assert found.count() == BOUND


def test_the_walk_does_not_grow_with_the_archive(archive):
    # Twice the archive (the copies older than the rest): the same entries are read.
    before = index_reads(analyze_queryset(hits_query(search_releases(archive, "harbour"))))
    oldest = Release.objects.order_by("first_published_at").first().first_published_at
    bulk_published(
        SIZE,
        oldest=oldest - timedelta(days=1),
        step=-timedelta(days=1),
        name="Older",
        revision_fields=lambda n, release: {
            "search_text": "The harbour is older.",
            "search_config": "english",
        },
    )
    settle()
    after = index_reads(analyze_queryset(hits_query(search_releases(archive, "harbour"))))
    assert after == before, (before, after)


def test_a_rare_word_starts_from_the_gin_index(archive):
    found = search_releases(archive, "quokkas", language="en")
    plan = analyze_queryset(hits_query(found), seqscan=False)
    reads = index_reads(plan)
    # Its entry found by the entry's revision: never a walk of the public index.
    assert "myths_revision_document" in reads, plan
    assert any(name.startswith("myths_publicrelease_revision_id") for name in reads), plan
    assert "myths_public_date" not in reads, plan
    assert "Seq Scan" not in node_types(plan), plan
    assert [release.slug for release in found] == [f"release-{SIZE // 2}"]


def test_a_language_narrows_the_walk_before_the_bound(archive):
    french = archive.filter(public_language="fr")
    found = search_releases(french, "harbour", language="fr")
    plan = analyze_queryset(hits_query(found))
    # Walked in date order, by the language's index or the date index (every third entry is
    # French): entries in proportion to the bound, not to the archive.
    reads = index_reads(plan)
    walked = reads.get("myths_public_lang", 0) + reads.get("myths_public_date", 0)
    assert BOUND <= walked <= len(LANGUAGES) * BOUND, plan
    assert not {"Sort", "Seq Scan"} & node_types(plan), plan
    assert {release.public_language for release in found} == {"fr"}
    assert found.count() == BOUND


def blocks(node: dict) -> int:
    return node["Shared Hit Blocks"] + node["Shared Read Blocks"]


def test_each_match_is_ranked_from_its_row_never_from_toast():
    # Vectors of a few kB, as a real release's are (a tsvector does not compress): kept in the
    # revision's row (migration 0024), ranking a match reads the pages of a lookup by key and no
    # more, where TOAST added its own index and chunks to each of them. Measured row by row on
    # the primary key, so no choice of plan for the whole search can change the count.
    words = " ".join(f"pier{n}" for n in range(300))
    _releases, revisions = bulk_published(
        40,
        oldest=timezone.now() - timedelta(days=40),
        revision_fields=lambda n, release: {
            "search_text": f"The harbour {words}.",
            "search_config": "english",
        },
    )
    settle()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(search_document) FROM myths_revision WHERE id = %s",
            [revisions[0].pk],
        )
        assert cursor.fetchone()[0] > 2500  # beyond the size PostgreSQL moves out of a row

    def pages(select: str) -> int:
        total = 0
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            for revision in revisions[:20]:
                cursor.execute(
                    f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT {select} "  # noqa: S608 - ours
                    "FROM myths_revision WHERE id = %s",
                    [revision.pk],
                )
                (document,) = cursor.fetchone()
                total += sum(blocks(node) for node in nodes(document[0]["Plan"]))
        return total

    lookup = pages("search_config")
    ranked = pages("ts_rank(search_document, plainto_tsquery('english', 'harbour'))")
    # Through TOAST each row adds at least its TOAST index and a chunk: 40 pages for 20 rows.
    assert ranked <= lookup + 5, (lookup, ranked)


def test_a_page_reads_its_rows_by_primary_key_and_highlights_them_alone(archive):
    found = search_releases(archive, "harbour", language="en")
    found.count()
    with CaptureQueriesContext(connection) as captured:
        page = found[12:24]
    (query,) = captured.captured_queries
    plan = analyze(query["sql"])
    assert "Seq Scan" not in node_types(plan), plan
    assert plan["Actual Rows"] == 12, plan
    assert len(page) == 12 and all("<" not in r.search_snippet for r in page)
    assert all("\x02harbour\x03" in r.search_snippet.lower() for r in page)


def test_a_cold_common_word_page_is_four_queries(archive, client, django_assert_max_num_queries):
    for page in (1, 2, BOUND // 12 + 1):
        cache.clear()
        recent_pages.clear()
        recent_skeletons.clear()
        public_state_forget()
        with django_assert_max_num_queries(4):
            response = client.get("/releases/", {"q": "harbour", "page": page})
        assert response.context["paginator"].count == BOUND
        assert response.context["page_obj"].number == page


def test_a_filtered_walk_is_never_split_over_parallel_workers(archive):
    # Migration 0023: parallel workers made cheap, as they look to the planner on a large
    # archive with a filter; the walk stays one walk.
    found = search_releases(archive.filter(public_topics__contains="|none|"), "harbour")
    with connection.cursor() as cursor:
        for setting in (
            "parallel_setup_cost = 0",
            "parallel_tuple_cost = 0",
            "min_parallel_index_scan_size = 0",
            "min_parallel_table_scan_size = 0",
        ):
            cursor.execute(f"SET LOCAL {setting}")
    plan = analyze_queryset(hits_query(found))
    assert not [node for node in nodes(plan) if node.get("Parallel Aware")], plan
    assert not {"Gather", "Gather Merge"} & node_types(plan), plan
