from datetime import timedelta

import pytest
from django.utils import timezone

from myths.models import Release, Response
from tests.factories import (
    ClaimFactory,
    ResponseFactory,
    TopicFactory,
    arrange_state,
    published_release,
    release_with_content,
)

# Database-sensitive (search and JSON/containment filters): also run on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def titles(client, query):
    response = client.get("/releases/" + query)
    assert response.status_code == 200
    return [r.public_title for r in response.context["releases"]], response


@pytest.fixture
def corpus():
    now = timezone.now()
    water = TopicFactory(name="Water")
    roads = TopicFactory(name="Roads")
    a = release_with_content(responses=0, title="Lighthouse release", language="en")
    claim = ClaimFactory(wording="The lighthouse lamp is radioactive")
    claim.topics.add(water)
    ResponseFactory(release=a, claim=claim, verdict=Response.Verdict.FALSE)
    arrange_state(a, Release.Status.PUBLISHED, publish_at=now - timedelta(days=30))
    b = release_with_content(responses=0, title="Bridge release", language="fr")
    claim = ClaimFactory(wording="The bridge tolls fund a secret army")
    claim.topics.add(roads)
    ResponseFactory(release=b, claim=claim, verdict=Response.Verdict.MISLEADING)
    arrange_state(b, Release.Status.PUBLISHED, publish_at=now - timedelta(days=2))
    return a, b


class TestReleaseFilters:
    def test_search_a_word_from_a_claim(self, client, corpus):
        assert titles(client, "?q=radioactive")[0] == ["Lighthouse release"]

    def test_search_title_and_several_words(self, client, corpus):
        assert titles(client, "?q=bridge+tolls")[0] == ["Bridge release"]
        assert titles(client, "?q=bridge+radioactive")[0] == []

    def test_topic_verdict_language(self, client, corpus):
        assert titles(client, "?topic=water")[0] == ["Lighthouse release"]
        assert titles(client, "?verdict=misleading")[0] == ["Bridge release"]
        assert titles(client, "?language=fr")[0] == ["Bridge release"]
        assert titles(client, "?language=en&verdict=misleading")[0] == []

    def test_date_range(self, client, corpus):
        today = timezone.localdate()
        since = (today - timedelta(days=10)).isoformat()
        assert titles(client, f"?date_from={since}")[0] == ["Bridge release"]
        assert titles(client, f"?date_to={since}")[0] == ["Lighthouse release"]

    def test_filters_use_the_published_revision_not_the_working_copy(self, client, corpus):
        lighthouse, _bridge = corpus
        response = lighthouse.responses.get()
        response.verdict = Response.Verdict.MISLEADING
        response.save()
        Release.objects.filter(pk=lighthouse.pk).update(title="Renamed", language="fr")
        assert titles(client, "?verdict=misleading")[0] == ["Bridge release"]
        assert titles(client, "?language=fr")[0] == ["Bridge release"]
        assert titles(client, "?q=Renamed")[0] == []

    def test_filter_state_lives_in_the_url_and_pages_keep_it(self, client):
        for _ in range(14):
            published_release(responses=1)
        _, response = titles(client, "?verdict=false")
        html = response.content.decode()
        assert 'href="?verdict=false&amp;page=2"' in html
        assert 'value="false" selected' in html


class TestJunkInput:
    @pytest.mark.parametrize(
        "query",
        [
            "?q=" + "x" * 10_000,
            "?verdict=maybe",
            "?topic=no-such-topic",
            "?language=xx",
            "?date_from=yesterday",
            "?date_from=2026-02-31",
            "?date_from=99999-01-01",
            "?date_from=2026-05-01&date_to=2026-01-01",
        ],
    )
    def test_bad_filters_give_an_empty_result_and_a_message(self, client, corpus, query):
        names, response = titles(client, query)
        assert names == []
        html = response.content.decode()
        assert "Please check the filters" in html
        assert 'role="alert"' in html

    @pytest.mark.parametrize(
        "query",
        [
            "?page=999999999999999999999",
            "?page=-1",
            "?page=abc",
            "?page=1e9",
            "?page=%C2%B2",  # "²": str.isdigit() says yes, int() says no
            "?page=%D9%A3",  # Arabic-Indic three
            "?q=%00%01",
            "?q=" + "%27%22%28%29%26%7C%21%3A*" * 50,
            "?q=%3Cscript%3Ealert(1)%3C/script%3E",
            "?q=a+" * 300,
        ],
    )
    def test_hostile_input_never_errors(self, client, corpus, query):
        response = client.get("/releases/" + query)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()

    def test_huge_page_number_shows_the_last_page(self, client, corpus):
        names, _ = titles(client, "?page=99999")
        assert names == ["Bridge release", "Lighthouse release"]

    @pytest.mark.parametrize(
        "query",
        ["?q=" + "y" * 10_000, "?verdict=nope", "?topic=zzz", "?page=10000000000", "?page=%C2%B2"],
    )
    def test_register_junk(self, client, corpus, query):
        response = client.get("/myths/" + query)
        assert response.status_code == 200
        if "page" not in query:
            assert "Please check the filters" in response.content.decode()


class TestClaimFilters:
    def test_search_topic_and_verdict(self, client, corpus):
        def wordings(query):
            return [c.wording for c in client.get("/myths/" + query).context["claims"]]

        assert wordings("?q=lighthouse") == ["The lighthouse lamp is radioactive"]
        assert wordings("?topic=roads") == ["The bridge tolls fund a secret army"]
        assert wordings("?verdict=false") == ["The lighthouse lamp is radioactive"]
        assert wordings("?q=nothing+like+this") == []
        html = client.get("/myths/?q=nothing").content.decode()
        assert "No myths match these filters" in html and "Clear filters" in html


class TestFormPerRequest:
    """The form class is made once per FilterSet class (PublicFilterSet.get_form_class); the
    choices of each request's form are its own."""

    def test_each_filterset_offers_its_own_summarys_topics(self):
        from myths.models import RegisterEntry, RegisterSummary
        from myths.public.filters import ClaimFilter

        def offered(summary, data=None):
            filterset = ClaimFilter(data, RegisterEntry.objects.none(), summary=summary)
            return list(filterset.form.fields["topic"].choices), filterset

        water = RegisterSummary(topics=[["water", "Water", 3, 1]])
        roads = RegisterSummary(topics=[["roads", "Roads", 2, 1]])
        assert offered(water)[0] == [("", "All topics"), ("water", "Water")]
        assert offered(roads)[0] == [("", "All topics"), ("roads", "Roads")]
        assert offered(None)[0] == [("", "All topics")]
        # Validated against its own choices too.
        assert offered(water, {"topic": "water"})[1].form.is_valid()
        assert not offered(roads, {"topic": "water"})[1].form.is_valid()
        assert type(offered(water)[1].form) is type(offered(roads)[1].form)

    def test_a_release_filterset_reads_the_topics_published_now(self, corpus):
        from myths.public.filters import ReleaseFilter

        def offered():
            filterset = ReleaseFilter(None, Release.objects.none())
            return [slug for slug, _name in filterset.form.fields["topic"].choices]

        assert offered() == ["", "roads", "water"]
        a, _b = corpus
        a.responses.get().claim.topics.add(TopicFactory(name="Harbours"))
        arrange_state(a, Release.Status.PUBLISHED)
        assert offered() == ["", "harbours", "roads", "water"]


class TestQuerySpelledOncePerProcess:
    """A query string's one spelling is worked out once per process (views._canonical): a page
    served warm from the cache does not parse and spell its query again."""

    def test_the_same_query_string_is_spelled_once(self, client):
        from myths.public.views import ReleaseListView, _canonical

        _canonical.cache_clear()
        for _ in range(3):
            assert client.get("/releases/?q=Harbour++Walls&language=en").status_code == 200
        info = _canonical.cache_info()
        assert (info.misses, info.hits) == (1, 2)
        canonical, text = _canonical(ReleaseListView, "q=Harbour++Walls&language=en", "utf-8")
        assert text == "language=en&q=harbour+walls"
        with pytest.raises(AttributeError):  # shared by every request: read-only
            canonical["q"] = "other"

    def test_an_unknown_parameter_has_no_spelling(self):
        from myths.public.views import ReleaseListView, _canonical

        assert _canonical(ReleaseListView, "q=harbour&zzz=1", "utf-8") == (None, None)
