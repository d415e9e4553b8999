"""Full-text search: PostgreSQL's weighted, ranked search with snippets and its GIN index, and
the simple fallback elsewhere. Each test runs on the database it is about."""

import pytest
from django.db import connection

from myths.models import Release, Revision
from myths.public.search import render_snippet, search_releases
from tests.factories import ResponseFactory, arrange_state, release_with_content

# Database-sensitive (full-text search): also run on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def public_releases():
    """What the release list searches: published releases with their public text."""
    return Release.objects.published().with_public_text()


# Each half runs in the pass of scripts/test on its own database (see tests/conftest.py).
postgresql_only = pytest.mark.database("postgresql")
sqlite_only = pytest.mark.database("sqlite")


def publish(title, lede="A plain lede.", body="Nothing to see."):
    release = release_with_content(responses=0, title=title, lede=lede)
    ResponseFactory(release=release, body=body)
    return arrange_state(release, Release.Status.PUBLISHED)


@postgresql_only
class TestPostgresSearch:
    def test_weighted_ranking_title_before_lede_before_body(self):
        body = publish("Body match", body="The turbines are quiet at night.")
        title = publish("Wind turbines explained")
        lede = publish("Lede match", lede="Turbines and their neighbours.")
        found = list(search_releases(public_releases(), "turbine"))
        assert [r.pk for r in found] == [title.pk, lede.pk, body.pk]
        assert found[0].search_rank > found[1].search_rank > found[2].search_rank

    def test_stemming_and_snippet_highlight(self):
        publish("Grid", body="Engineers were inspecting the cables & the pylons every week.")
        found = search_releases(public_releases(), "inspection").get()
        html = render_snippet(found.search_snippet)
        assert "<mark>inspecting</mark>" in html
        assert "&amp;" in html  # the rest is escaped

    def test_websearch_syntax_and_junk_do_not_error(self):
        publish("Harbour safety", body="The harbour is safe.")
        for junk in ['"harbour safe"', "harbour -ferry", "harbour OR ferry", "!!! &&& |||", "'"]:
            list(search_releases(public_releases(), junk))
        assert search_releases(public_releases(), "harbour -safe").count() == 0

    def test_gin_index_exists_and_is_used(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'myths_revision_search_lang'"
            )
            (definition,) = cursor.fetchone()
        assert "gin" in definition.lower() and "to_tsvector" in definition
        from django.contrib.postgres.search import SearchQuery

        from myths.public.search import search_vector

        query = (
            Revision.objects.annotate(document=search_vector())
            .filter(document=SearchQuery("harbour", config="english"))
            .values("pk")
        )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = query.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "myths_revision_search_lang" in plan, plan


@sqlite_only
class TestFallbackSearch:
    def test_every_word_must_appear_somewhere(self):
        match = publish("Wind farms", body="The turbines are quiet at night.")
        publish("Other", body="Turbines only.")
        found = list(search_releases(public_releases(), "wind TURBINES"))
        assert [r.pk for r in found] == [match.pk]


def test_empty_or_symbol_only_query_finds_nothing():
    publish("Anything")
    assert search_releases(public_releases(), " !!! ").count() == 0


def test_search_only_sees_published_revisions():
    published = publish("Lantern facts", body="The lantern is electric.")
    Release.objects.filter(pk=published.pk).update(title="Secret lantern rename")
    draft = release_with_content(responses=0, title="Draft lantern")
    arrange_state(draft, Release.Status.DRAFT)
    found = list(search_releases(public_releases(), "lantern"))
    assert [r.pk for r in found] == [published.pk]
