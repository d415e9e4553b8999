"""Issue 10: pages of search results in the page cache. Every spelling of a search is read, shown
and kept as one (`search_spelling`); only a search that found something, not too long, within a
per-minute budget, is stored, for a short time and within its public generation."""

import pytest
from django.core.cache import cache

from core import page_cache
from core.page_cache import recent_pages
from core.public_state import public_state_forget
from myths import workflow
from myths.models import Release
from myths.public.search import search_releases, search_spelling
from myths.public.views import SEARCH_PAGE_TIMEOUT
from tests.factories import published_release

# Search differs by database: also run on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LIST = "/releases/"


@pytest.fixture
def harbour():
    return published_release(title="Harbour walls are not sinking")


@pytest.fixture
def stored(monkeypatch):
    """(key, timeout) of each page the page cache stores (not the skeletons of list pages, kept
    per version of their chrome whatever the query)."""
    entries = []
    original = page_cache.cache_set

    def spy(key, value, timeout):
        if ":public-page:" in key:
            entries.append((key, timeout))
        original(key, value, timeout)

    monkeypatch.setattr(page_cache, "cache_set", spy)
    return entries


@pytest.mark.parametrize(
    ("typed", "spelling"),
    [
        ("harbour", "harbour"),
        ("  Harbour   WALLS ", "harbour walls"),
        ('"Harbour walls!"', "harbour walls"),
        ("ВЫБОРЫ\tв  Україні", "выборы в україні"),
        ("PR/2017/014", "pr/2017/014"),
        ("()", ""),
    ],
)
def test_a_search_has_one_spelling(typed, spelling):
    assert search_spelling(typed) == spelling
    assert search_spelling(spelling) == spelling


def test_every_spelling_finds_the_same_releases(harbour):
    public = Release.objects.published().with_public_text()
    for typed in ("harbour walls", "HARBOUR  walls", '"Harbour" (walls)'):
        assert [r.pk for r in search_releases(public, typed)] == [harbour.pk], typed


@pytest.fixture
def cold_get(client, django_assert_max_num_queries):
    """get(url): `url` with every layer cold (the shared cache, this process's memory and its
    generation reading), in at most four queries."""

    def get(url):
        cache.clear()
        recent_pages.clear()
        public_state_forget()
        with django_assert_max_num_queries(4):
            return client.get(url)

    return get


class TestStoredSearch:
    def test_cold_at_most_four_queries_warm_none(
        self, client, harbour, cold_get, django_assert_num_queries, stored
    ):
        url = f"{LIST}?q=harbour"
        first = cold_get(url)
        assert first.status_code == 200
        assert [r.pk for r in first.context["releases"]] == [harbour.pk]
        assert [timeout for _key, timeout in stored] == [SEARCH_PAGE_TIMEOUT]
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content
        recent_pages.clear()  # another worker: one cache read, still no query
        with django_assert_num_queries(0):
            assert client.get(url).content == first.content

    def test_every_page_of_many_matches_cold_in_at_most_four_queries(self, cold_get):
        # The matches' ids (which give the count), the page's rows: the state and the counts.
        for n in range(14):
            published_release(title=f"Harbour wall {n}", responses=1)
        first = cold_get(f"{LIST}?q=harbour")
        second = cold_get(f"{LIST}?q=harbour&page=2")
        assert first.context["paginator"].count == 14
        assert len(first.context["releases"]) == 12 and len(second.context["releases"]) == 2

    def test_every_spelling_is_served_the_one_page(
        self, client, harbour, cold_get, django_assert_num_queries, stored
    ):
        # As the list's own form sends it: every field, most of them empty.
        submitted = f"{LIST}?q=++Harbour+&topic=&verdict=&language=&date_from=&date_to="
        first = cold_get(submitted)
        html = first.content.decode()
        assert 'value="harbour"' in html  # the search as it was read, whoever typed it
        assert 'name="next" type="hidden" value="/releases/?q=harbour"' in html
        assert "Harbour walls are not sinking" in html
        assert len(stored) == 1
        for spelling in ("?q=harbour", "?q=HARBOUR", "?q=%22harbour%22", "?topic=&q=Harbour"):
            with django_assert_num_queries(0):
                assert client.get(LIST + spelling).content == first.content, spelling
        assert len(stored) == 1

    def test_revalidated_by_etag_without_a_query(self, client, harbour, django_assert_num_queries):
        url = f"{LIST}?q=harbour"
        etag = client.get(url)["ETag"]
        with django_assert_num_queries(0):
            response = client.get(f"{LIST}?q=Harbour", headers={"if-none-match": etag})
        assert response.status_code == 304

    def test_a_withdrawal_takes_it_out_at_once(self, client, harbour, publisher):
        url = f"{LIST}?q=harbour"
        assert "Harbour walls" in client.get(url).content.decode()
        workflow.release_withdraw(release=harbour, actor=publisher, comment="Superseded.")
        response = client.get(url)
        assert response.status_code == 200
        assert "Harbour walls" not in response.content.decode()

    def test_a_withdrawal_elsewhere_within_a_second(
        self, client, harbour, publisher, public_state_clock, bumps_elsewhere
    ):
        url = f"{LIST}?q=harbour"
        assert "Harbour walls" in client.get(url).content.decode()
        workflow.release_withdraw(release=harbour, actor=publisher, comment="Superseded.")
        public_state_clock.reading += 1
        assert "Harbour walls" not in client.get(url).content.decode()


class TestSearchesNotStored:
    @pytest.mark.parametrize(
        "query",
        [
            "?q=nomatch",  # found nothing: what typos and junk look like
            "?q=harbour+" + "x" * 60,  # longer than SEARCH_STORED_CHARS
            "?q=" + "y" * 300,  # over the form's limit: an error
            "?q=harbour&source=x",  # an unknown parameter (a tracking one is dropped first)
            "?q=harbour&q=walls",  # repeated
            "?q=harbour&date_from=2026-01-01",  # dates are unbounded
            "?q=harbour&page=1",
        ],
    )
    def test_answered_fresh_never_stored(self, client, harbour, stored, query):
        for _ in range(2):
            assert client.get(LIST + query).status_code == 200
        assert stored == []

    def test_at_most_the_budget_of_searches_is_stored_each_minute(
        self, client, settings, stored, time_machine
    ):
        settings.PRESSDESK_SEARCH_PAGES_PER_MINUTE = 2
        time_machine.move_to("2026-06-01 12:00:10", tick=False)
        for word in ("alpha", "bravo", "charlie", "delta"):
            published_release(title=f"The {word} release")
        for word in ("alpha", "bravo", "charlie", "delta"):
            assert word in client.get(f"{LIST}?q={word}").content.decode()
        assert len(stored) == 2
        time_machine.move_to("2026-06-01 12:01:10", tick=False)  # the next minute
        client.get(f"{LIST}?q=charlie")
        assert len(stored) == 3

    def test_the_claim_register_search_is_not_stored(self, client, harbour, stored):
        client.get("/myths/?q=harbour")
        assert stored == []
