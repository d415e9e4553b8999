"""The myth register's pages (issue 10): the first, a deep, the last and a topic's pages cost the
same few queries whatever the size of the register, show the rows reading it in order would, and
on PostgreSQL are read from the order's covering index from the nearer end, a deep page counting
the rows it skips in that index alone."""

import pytest
from django.db import connection
from django.urls import reverse

from myths.models import Claim, RegisterEntry, RevisionAnswer
from myths.public.pagination import SHALLOW
from myths.register import register_summaries_rebuild
from tests.factories import published_release

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
SIZE = 400  # a middle page starts more than SHALLOW rows from either end
PER_PAGE = 30
LAST_PAGE = -(-SIZE // PER_PAGE)


@pytest.fixture
def register():
    """SIZE register rows, one in three under the topic Water, written in bulk as the workflow
    would leave them (one revision answers them all), with their summary."""
    answer = RevisionAnswer.objects.get(revision=published_release(responses=1).live_revision)
    claims = Claim.objects.bulk_create(
        Claim(wording=f"Claim {n:04}", slug=f"claim-{n}") for n in range(SIZE)
    )
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            claim=claim,
            answer=answer,
            revision_id=answer.revision_id,
            wording=claim.wording,
            slug=f"claim-{n}",
            topics=[["water", "Water"]] if n % 3 == 0 else [],
            topic_slugs="|water|" if n % 3 == 0 else "",
            release_count=1,
        )
        for n, claim in enumerate(claims)
    )
    register_summaries_rebuild()
    # No ANALYZE: its row estimates outlive the test's transaction and would steer the plans of
    # later tests; plan_of discourages what the planner would rightly do on so few rows.
    return RegisterEntry.objects.current().order_by("wording", "claim_id")


def shown(response) -> list[int]:
    return [row.claim_id for row in response.context["claims"]]


PAGES = [
    ("", 1),
    ("page=7", 7),  # deep: more than SHALLOW rows from either end
    (f"page={LAST_PAGE}", LAST_PAGE),
    ("topic=water&page=3", 3),
    ("source=newsletter", 1),  # an unknown parameter filters nothing and counts nothing
]


@pytest.mark.parametrize(("query", "number"), PAGES)
def test_a_page_shows_its_rows_in_three_queries(
    client, register, django_assert_num_queries, query, number
):
    rows = register.filter(topic_slugs__contains="|water|") if "topic" in query else register
    start = (number - 1) * PER_PAGE
    with django_assert_num_queries(3):  # the page cache's state, the summary, the rows
        response = client.get(f"{reverse('myths:claim-list')}?{query}")
    assert response.status_code == 200
    assert response.context["paginator"].count == rows.count()
    assert shown(response) == [r.claim_id for r in rows[start : start + PER_PAGE]]


def test_the_deep_page_of_the_tests_is_deep(register):
    assert SHALLOW < 6 * PER_PAGE and SHALLOW < SIZE - 7 * PER_PAGE


def test_a_search_or_a_verdict_is_counted_without_joining(client, register):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{reverse('myths:claim-list')}?verdict=false&q=claim")
    assert response.status_code == 200
    (count,) = [q["sql"] for q in captured if "COUNT(" in q["sql"]]
    assert "JOIN" not in count, count


# --- Read from the covering index (PostgreSQL) --------------------------------------------------


def plan_of(queryset) -> str:
    """PostgreSQL's plan with scans of the table and sorts discouraged: what it can do with its
    indexes. (On a test's few hundred rows it would rightly prefer reading and sorting.)"""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.database("postgresql")
class TestPlans:
    def test_the_first_and_last_pages_walk_the_index_from_either_end(self, register):
        for page, walk in ((register[:30], "Index Scan"), (register.reverse()[:30], "Backward")):
            text = plan_of(page)
            assert f"{walk} using myths_register_walk" in text, text
            assert "Sort" not in text, text

    def test_a_deep_page_counts_its_offset_in_the_index_alone(self, register):
        entries = RegisterEntry.objects.current()
        for filtered in (entries, entries.filter(topic_slugs__contains="|water|")):
            text = plan_of(register.at_positions(filtered, 180, 210))
            # The skipped rows are index entries (valid times and topics are in the index);
            # only the page's rows are read from the table.
            assert "Index Only Scan using myths_register_walk" in text, text
            assert "Seq Scan" not in text, text
