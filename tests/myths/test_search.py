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
        (found,) = search_releases(public_releases(), "inspection")
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
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'myths_revision_document'"
            )
            (definition,) = cursor.fetchone()
        assert "gin" in definition.lower() and "search_document" in definition
        from django.contrib.postgres.search import SearchQuery

        query = Revision.objects.filter(
            search_document=SearchQuery("harbour", config="english")
        ).values("pk")
        assert "myths_revision_document" in explain(query, seqscan=False)

    def test_the_vector_is_stored_when_the_revision_is_written(self):
        release = publish("Harbour lights", body="Every pier is lit.")
        revision = Revision.objects.get(pk=release.live_revision_id)
        assert "'harbour':1A" in revision.search_document
        assert "'pier'" in revision.search_document  # the body text, weight C (not shown)

    def test_ranking_reads_the_stored_vector_and_never_parses_a_match_again(self):
        publish("Harbour lights", body="Every pier is lit.")
        plan = explain(words_hits(search_releases(public_releases(), "harbour")), verbose=True)
        assert "to_tsvector" not in plan, plan
        assert "ts_rank(" in plan and "search_document" in plan, plan


def words_hits(found):
    """The query of a search's hits (ids and ranks) for its words, what the count reads."""
    hits, _annotations = found.searches[-1]
    return hits


def explain(queryset, *, seqscan=True, verbose=False) -> str:
    """PostgreSQL's plan for `queryset` (with sequential scans discouraged if not `seqscan`)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if not seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(("EXPLAIN VERBOSE " if verbose else "EXPLAIN ") + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


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


def test_at_most_max_ranked_matches_are_found_the_newest(monkeypatch):
    from myths.public import search

    monkeypatch.setattr(search, "MAX_RANKED", 2)
    releases = [publish(f"Harbour {n}") for n in range(3)]
    found = search_releases(public_releases(), "harbour")
    assert {r.pk for r in found} == {releases[1].pk, releases[2].pk}
    assert found.count() == len(found) == 2


def test_other_filters_narrow_the_matches_before_the_bound(client, monkeypatch):
    # The oldest match is the only French one: the language picks it from all the matches,
    # not from the newest MAX_RANKED of the archive.
    from myths.public import search

    monkeypatch.setattr(search, "MAX_RANKED", 2)
    french = publish_in("fr", "Le port de Harbour")
    for n in range(2):
        publish(f"Harbour {n}")
    page = client.get("/releases/", {"q": "harbour", "language": "fr"})
    assert [r.pk for r in page.context["releases"]] == [french.pk]
    assert page.context["paginator"].count == 1


def test_the_pages_of_a_search_share_one_order(client):
    releases = [publish(f"Harbour {n}", body="The harbour is calm.") for n in range(14)]
    first = client.get("/releases/", {"q": "harbour"}).context
    second = client.get("/releases/", {"q": "harbour", "page": 2}).context
    assert first["paginator"].count == 14
    shown = [r.pk for r in first["releases"]] + [r.pk for r in second["releases"]]
    expected = search_releases(public_releases(), "harbour")
    assert shown == [r.pk for r in expected]
    assert sorted(shown) == sorted(r.pk for r in releases)
    ranks = [r.search_rank for r in expected]
    if connection.vendor == "postgresql":  # by rank, then newest first
        keys = [(-r.search_rank, -r.public_date.timestamp(), -r.pk) for r in expected]
        assert keys == sorted(keys)
    else:  # no rank: newest first
        assert ranks == [None] * 14
        assert [r.pk for r in expected] == sorted(shown, reverse=True)


def test_search_only_sees_published_revisions():
    published = publish("Lantern facts", body="The lantern is electric.")
    Release.objects.filter(pk=published.pk).update(title="Secret lantern rename")
    draft = release_with_content(responses=0, title="Draft lantern")
    arrange_state(draft, Release.Status.DRAFT)
    found = list(search_releases(public_releases(), "lantern"))
    assert [r.pk for r in found] == [published.pk]


# --- Each release in its own language (issue 11) ------------------------------------------------

INFLECTED = [
    # language, what the release says, an inflected form a reader types
    ("ru", "Выборы прошли честно", "выборах"),
    ("fr", "Les élections municipales approchent", "élection"),
    ("de", "Die Wahlen wurden nicht manipuliert", "Wahl"),
    ("es", "Las elecciones fueron limpias", "elección"),
    ("en", "The elections were fair", "election"),
]


def publish_in(language, title, body="Nothing to see."):
    release = release_with_content(responses=0, title=title, language=language)
    ResponseFactory(release=release, body=body)
    return arrange_state(release, Release.Status.PUBLISHED)


@postgresql_only
class TestSearchInTheReleaseLanguage:
    @pytest.mark.parametrize(("language", "text", "query"), INFLECTED)
    def test_inflected_form_finds_the_release_with_the_language_filter(self, language, text, query):
        release = publish_in(language, text)
        assert Revision.objects.get(pk=release.live_revision_id).search_config != "simple"
        found = list(search_releases(public_releases(), query, language=language))
        assert [r.pk for r in found] == [release.pk]
        assert found[0].search_rank > 0
        assert "<mark>" in render_snippet(found[0].search_snippet)

    @pytest.mark.parametrize(("language", "text", "query"), INFLECTED)
    def test_without_a_filter_the_query_is_read_in_the_readers_language(
        self, language, text, query
    ):
        from django.utils import translation

        release = publish_in(language, text)
        with translation.override(language):
            found = list(search_releases(public_releases(), query))
        assert [r.pk for r in found] == [release.pk]

    def test_the_list_page_reads_the_query_in_the_filtered_language(self, client):
        release = publish_in("ru", "Выборы прошли честно")
        page = client.get("/releases/", {"q": "выборах", "language": "ru"})
        assert [r.pk for r in page.context["releases"]] == [release.pk]

    def test_ukrainian_is_searched_word_for_word_in_any_case(self):
        release = publish_in("uk", "Вибори в Україні")
        assert Revision.objects.get(pk=release.live_revision_id).search_config == "simple"
        found = list(search_releases(public_releases(), "ВИБОРИ", language="uk"))
        assert [r.pk for r in found] == [release.pk]

    def test_english_stemming_would_not_have_found_the_russian_release(self):
        # What issue 11 found: every language stemmed as English.
        publish_in("ru", "Выборы прошли честно")
        assert search_releases(public_releases(), "выборах", language="en").count() == 0

    def test_language_index_is_used_for_each_configuration(self):
        from django.contrib.postgres.search import SearchQuery

        release = publish_in("ru", "Выборы прошли честно")
        # Among a few rows the planner may rightly walk any index; 2,000 revisions of other
        # words make the text the selective condition.
        Revision.objects.bulk_create(
            Revision(release=release, number=n, title=f"Другой текст {n}", content={})
            for n in range(100, 2100)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE myths_revision")
        query = (
            Revision.objects.filter(
                search_document=SearchQuery("выборах", config="russian", search_type="websearch")
            )
            .order_by()
            .values("pk")
        )
        assert "Bitmap Index Scan on myths_revision_document" in explain(query, seqscan=False)
        assert query.count() == 1


@sqlite_only
class TestCaseInsensitiveInAnyScript:
    @pytest.mark.parametrize(
        ("title", "query"),
        [
            ("Выборы прошли честно", "выборы"),
            ("выборы прошли честно", "ВЫБОРЫ"),
            ("Вибори в Україні", "україні"),
            ("Élections à Paris", "ÉLECTIONS"),
            ("Die Straße ist sicher", "STRAßE"),
        ],
    )
    def test_any_case_finds_the_release(self, title, query):
        release = publish(title)
        found = list(search_releases(public_releases(), query))
        assert [r.pk for r in found] == [release.pk]

    def test_the_myth_register_search_ignores_case_in_any_script(self, client):
        release = publish("Anything", body="x")
        claim = release.responses.get().claim
        claim.wording = "Выборы были сфальсифицированы"
        claim.save()
        arrange_state(release, Release.Status.PUBLISHED)
        page = client.get("/myths/", {"q": "выборы"})
        assert [c.claim_id for c in page.context["claims"]] == [claim.pk]
        assert not client.get("/myths/", {"q": "референдум"}).context["claims"]


def test_a_search_that_reached_the_bound_says_only_the_newest_are_listed(client, monkeypatch):
    from myths.public import search, views

    monkeypatch.setattr(search, "MAX_RANKED", 2)
    monkeypatch.setattr(views, "MAX_RANKED", 2)
    # Words no factory writes: a number would also match the numbers factories put in the
    # text of other releases' responses, once their sequences reach it.
    for word in ("alder", "birch", "cedar"):
        publish(f"Harbour {word}")
    html = client.get("/releases/?q=harbour").content.decode()
    assert "At least 2 releases match; the 2 newest are listed." in html
    assert "releases match your filters" not in html
    # Under the bound the count is exact, as before.
    html = client.get("/fr/releases/?q=harbour+alder").content.decode()
    assert "1 communiqué correspond à vos filtres" in html and "Au moins" not in html
    html = client.get("/fr/releases/?q=harbour").content.decode()
    assert "Au moins 2 communiqués correspondent ; les 2 plus récents sont affichés." in html
