"""PostgreSQL serves the public lists from the public index's indexes: walked in order from either
end, never a sort of the archive (issue 10). Read from EXPLAIN on an archive of a few thousand
releases, built in bulk and indexed by `manage.py refresh_public_index`."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from myths.models import Claim, PublicRelease, Release, RevisionAnswer, page_pick
from tests.factories.archive import bulk_published

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.database("postgresql")]
SIZE = 4000


@pytest.fixture
def archive():
    """SIZE published releases in three languages, one in three about water, as the workflow
    leaves them (a live revision, a first publication time), written in bulk."""
    claim = Claim.objects.create(wording="The water is unsafe")
    bulk_published(
        SIZE,
        oldest=timezone.now() - timedelta(days=SIZE),
        languages=("en", "fr", "ru"),
        answers=lambda n, revision: RevisionAnswer(
            revision=revision,
            claim=claim,
            position=1,
            topics=[["water", "Water"]] if n % 3 == 0 else [],
            topic_slugs="|water|" if n % 3 == 0 else "",
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Release.objects.published().with_public_text().newest_first()


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def walks_in_order(text: str, index: str) -> bool:
    return f"using {index} on myths_publicrelease" in text and "Sort" not in text


def test_the_first_and_last_pages_walk_the_date_index(archive):
    assert PublicRelease.objects.count() == SIZE
    assert walks_in_order(plan(archive[:12]), "myths_public_date")
    # The last page is read from the other end (BoundedPaginator), as cheap as the first.
    assert walks_in_order(plan(archive.reverse()[:12]), "myths_public_date")


def test_a_deep_page_counts_its_offset_in_the_index_alone(archive):
    entries = PublicRelease.objects.visible()
    text = plan(archive.at_positions(entries, SIZE // 2, SIZE // 2 + 12))
    # The skipped rows are entries walked in date order; only the page's rows are joined.
    assert "using myths_public_date on myths_publicrelease" in text, text
    assert "Seq Scan" not in text, text


def test_a_topic_and_language_filter_walks_an_index(archive):
    filtered = archive.filter(public_language="fr", public_topics__contains="|water|")
    for queryset in (filtered[:12], filtered.reverse()[:12]):
        text = plan(queryset)
        assert "Index Scan" in text and "Sort" not in text, text


def test_previous_and_next_skip_no_release_issued_at_the_same_moment(archive):
    """A batch issued with one date (an imported backlog): the walk still starts at the release,
    not at the first of its batch (the old `date < x OR (date = x AND id < y)` read them all)."""
    moment = timezone.now() - timedelta(days=1)
    PublicRelease.objects.update(public_date=moment)
    with CaptureQueriesContext(connection) as captured:
        release, _versions, previous, following = page_pick(
            "release-2000", list(archive.page_rows("release-2000"))
        )
    assert (previous.pk, following.pk) == (release.pk - 1, release.pk + 1)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {captured.captured_queries[0]['sql']}")
        (((root,),),) = [cursor.fetchall()]
    scans = []

    def walk(node):
        if node.get("Index Name") == "myths_public_date":
            scans.append(node["Actual Rows"] * node["Actual Loops"])
        for child in node.get("Plans", []):
            walk(child)

    walk(root[0]["Plan"])
    assert len(scans) == 2 and max(scans) <= 2, scans


def test_language_versions_and_the_horizon_use_indexes(archive):
    text = plan(archive.language_versions("release-10"))
    assert "language_root" in text and "Seq Scan" not in text, text
    with CaptureQueriesContext(connection) as captured:
        PublicRelease.objects.next_change(timezone.now())
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {query['sql']}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    # Each bound is the first entry of its index; the outer row is only a frame (LIMIT 1).
    assert "Index Only Scan using myths_public_from" in text, text
    assert "Index Only Scan using myths_public_until" in text, text


def test_a_release_page_reads_its_versions_and_neighbours_from_indexes_alone(archive):
    """The release page's one query (ReleaseQuerySet.page_rows): the language versions through
    the language-root index, each neighbour a walk of the date index from the release, and no
    more rows read than it returns, whatever the archive."""
    rows = archive.page_rows("release-2000").with_public_notice()
    text = plan(rows)
    assert text.count("Index Cond: (ROW(public_date, release_id) <") == 1, text
    assert text.count("Index Cond: (ROW(public_date, release_id) >") == 1, text
    assert "Seq Scan on myths_publicrelease" not in text, text
    assert "Seq Scan on myths_release " not in text, text
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (((root,),),) = [cursor.fetchall()]
    read = []

    def walk(node):
        if node.get("Relation Name") in ("myths_publicrelease", "myths_release"):
            read.append(node["Actual Rows"] * node["Actual Loops"])
        for child in node.get("Plans", []):
            walk(child)

    walk(root[0]["Plan"])
    assert read and max(read) <= 10 and sum(read) <= 40, (read, text)
