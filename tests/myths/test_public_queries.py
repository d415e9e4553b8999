"""Public pages cold: a fixed number of queries whatever the size of the archive, read from the
public index (issue 10), and pages read from either end of the list in the right order.

Each count is the page cache's own queries (measured on robots.txt, a cached page with no query
of its own) plus the page's.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.page_cache import recent_fragments, recent_pages, recent_skeletons
from core.public_state import public_state_forget
from myths.models import Release
from myths.public import pagination
from tests.factories.content import TopicFactory, release_with_content
from tests.factories.states import arrange_state

pytestmark = pytest.mark.django_db
PER_PAGE = 12


def publish(count: int, *, topic=None, languages=("en", "fr")):
    for number in range(count):
        release = release_with_content(
            responses=1,
            figures=0,
            sources=0,
            title=f"Release number {number}",
            language=languages[number % len(languages)],
        )
        if topic:
            release.responses.get().claim.topics.add(topic)
        arrange_state(release, Release.Status.PUBLISHED)


def cold_queries(client, django_assert_max_num_queries, url) -> int:
    # Cold in every layer: the shared cache, this process's page and skeleton memory and its
    # generation read.
    cache.clear()
    recent_pages.clear()
    recent_skeletons.clear()
    recent_fragments.clear()
    public_state_forget()
    with django_assert_max_num_queries(50) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def queries(client, django_assert_max_num_queries):
    """The queries of a page rendered cold, less the page cache's own."""
    baseline = cold_queries(client, django_assert_max_num_queries, reverse("myths:robots"))

    def count(url):
        return cold_queries(client, django_assert_max_num_queries, url) - baseline

    return count


def page_urls(slug: str, topic: str, last: int) -> dict[str, str]:
    releases = reverse("myths:release-list")
    return {
        "home": reverse("myths:home"),
        "list": releases,
        "last page": f"{releases}?page={last}",
        "topic and language": f"{releases}?language=fr&topic={topic}",
        "release": reverse("myths:release-detail", kwargs={"slug": slug}),
        "atom feed": reverse("myths:feed-atom"),
        "rss feed by language": reverse("myths:feed-rss") + "?language=fr",
    }


# Counters and the page's rows for lists; the release with its language versions and its
# neighbours (one query) and, to render its skeleton, its text for a release page; one query for
# home and feeds.
EXPECTED = {
    "home": 1,
    "list": 2,
    "last page": 2,
    "topic and language": 2,
    "release": 2,
    "atom feed": 1,
    "rss feed by language": 1,
}


def test_each_page_costs_the_same_few_queries_whatever_the_archive(queries):
    topic = TopicFactory(name="Harbour")
    publish(3, topic=topic)
    small = {
        name: queries(url)
        for name, url in page_urls(
            Release.objects.published().newest_first()[1].slug, topic.slug, 1
        ).items()
    }
    publish(2 * PER_PAGE + 3, topic=topic)
    large = {
        name: queries(url)
        for name, url in page_urls(
            Release.objects.published().newest_first()[14].slug, topic.slug, 3
        ).items()
    }
    assert small == large == EXPECTED


def test_a_release_page_after_a_publication_is_filled_from_its_skeleton(
    client, django_assert_max_num_queries
):
    """A publication bumps the generation, so every page is cold; a release whose version did
    not change is filled from the skeleton it rendered before: one query (the release with its
    language versions and neighbours), not two."""
    publish(3)
    slug = Release.objects.published().newest_first()[0].slug
    url = reverse("myths:release-detail", kwargs={"slug": slug})
    assert client.get(url).status_code == 200
    publish(1)  # newer than the page's release: its neighbours change, its version does not
    cache.clear()
    recent_pages.clear()
    public_state_forget()
    with django_assert_max_num_queries(50) as captured:
        filled = client.get(url).content
    baseline = cold_queries(client, django_assert_max_num_queries, reverse("myths:robots"))
    assert len(captured.captured_queries) - baseline == 1
    newest = Release.objects.published().newest_first()[0]
    assert newest.get_absolute_url().encode() in filled  # the neighbours slot, filled afresh


def test_pages_read_from_either_end_follow_one_order(client):
    publish(2 * PER_PAGE + 5)
    newest_first = list(Release.objects.published().newest_first().values_list("slug", flat=True))
    shown = []
    for page in (1, 2, 3):
        response = client.get(reverse("myths:release-list"), {"page": page})
        shown += [release.slug for release in response.context["releases"]]
    assert shown == newest_first
    assert response.context["paginator"].count == len(newest_first)


@pytest.mark.parametrize("shallow", [0, 10_000], ids=["positions from the index", "walked"])
def test_deep_pages_follow_the_same_order(client, monkeypatch, shallow, queries):
    monkeypatch.setattr(pagination, "SHALLOW", shallow)
    topic = TopicFactory(name="Bridges")
    publish(3 * PER_PAGE + 2, topic=topic)
    releases = reverse("myths:release-list")
    for query, expected in [
        ({}, Release.objects.published().newest_first()),
        (
            {"language": "en", "topic": topic.slug},
            Release.objects.published()
            .with_public_text()
            .filter(public_language="en")
            .newest_first(),
        ),
    ]:
        expected = [r.slug for r in expected]
        pages = (len(expected) + PER_PAGE - 1) // PER_PAGE
        shown = []
        for page in range(1, pages + 1):
            response = client.get(releases, {**query, "page": page})
            shown += [release.slug for release in response.context["releases"]]
        assert shown == expected
    # A page from the middle costs what the first does.
    assert queries(f"{releases}?page=2") == EXPECTED["list"]


def test_a_filtered_last_page_is_counted_and_read_from_the_end(client):
    topic = TopicFactory(name="Grain")
    publish(2 * PER_PAGE + 4, topic=topic)  # half of them in English
    publish(3)  # no topic
    url = reverse("myths:release-list")
    response = client.get(url, {"topic": topic.slug, "language": "en", "page": 2})
    expected = [
        r.slug
        for r in Release.objects.published().with_public_text().newest_first()
        if r.public_language == "en" and f"|{topic.slug}|" in r.public_topics
    ]
    assert response.context["paginator"].count == len(expected) == PER_PAGE + 2
    assert [r.slug for r in response.context["releases"]] == expected[PER_PAGE:]


def test_previous_and_next_are_the_neighbours_by_public_date(client):
    publish(3, languages=("en",))
    older, middle, newer = reversed(Release.objects.published().newest_first())
    response = client.get(reverse("myths:release-detail", kwargs={"slug": middle.slug}))
    assert response.context["previous_release"].pk == older.pk
    assert response.context["next_release"].pk == newer.pk
    response = client.get(reverse("myths:release-detail", kwargs={"slug": newer.slug}))
    assert response.context["next_release"] is None
    assert response.context["previous_release"].pk == middle.pk


def test_a_draft_release_page_is_404_through_the_index(client):
    draft = arrange_state(release_with_content(), Release.Status.APPROVED)
    response = client.get(reverse("myths:release-detail", kwargs={"slug": draft.slug}))
    assert response.status_code == 404
