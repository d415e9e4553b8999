"""List pages after a publication: filled from their skeleton (ListSkeletonMixin), their release
cards and register rows kept per version of what they show (myths/public/fragments.py,
core/page_cache.py fragments_render). A page assembled from kept parts is the page rendered in
full, byte for byte, and any change to what a part shows shows at once."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from contacts.models import PressOffice
from core.cache import public_cache_bump
from core.page_cache import recent_fragments, recent_pages, recent_skeletons
from core.public_state import public_state_forget
from myths import workflow
from myths.models import RegisterEntry, Release
from myths.public.fragments import FILTER_FIELD, FILTER_PANEL, REGISTER_ROW, RELEASE_CARD
from myths.public.views import ListSkeletonMixin
from tests.factories import published_release
from tests.factories.content import TopicFactory
from tests.factories.states import arrange_state

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def forget_everything():
    """A process that has rendered nothing yet, and an empty shared cache."""
    cache.clear()
    recent_pages.clear()
    recent_skeletons.clear()
    recent_fragments.clear()
    public_state_forget()


def publication():
    """What a publication does to the pages: a new generation; kept fragments stay."""
    public_cache_bump()
    recent_pages.clear()


class Renders:
    """The names of the templates rendered while it listens."""

    def __init__(self):
        self.names = []

    def __call__(self, sender, template, context, **kwargs):
        self.names.append(template.name)

    def __enter__(self):
        template_rendered.connect(self)
        return self.names

    def __exit__(self, *exc):
        template_rendered.disconnect(self)


@pytest.fixture
def archive():
    """Fourteen releases in English and French, a topic on some, so lists have two pages."""
    topic = TopicFactory(name="Harbour")
    releases = []
    for number in range(14):
        release = published_release(
            responses=1,
            figures=0,
            sources=0,
            title=f"Harbour note {number}",
            language=("en", "fr")[number % 2],
            publish_at=timezone.now() - timedelta(hours=20 - number),
        )
        if number % 3 == 0:
            release.responses.get().claim.topics.add(topic)
            arrange_state(release, Release.Status.PUBLISHED)
        releases.append(release)
    public_cache_bump()
    return releases


PAGES = {
    "home": reverse("myths:home"),
    "list": reverse("myths:release-list"),
    "list page 2": reverse("myths:release-list") + "?page=2",
    "topic and language": reverse("myths:release-list") + "?language=en&topic=harbour",
    "search": reverse("myths:release-list") + "?q=harbour",
    "register": reverse("myths:claim-list"),
    "register by topic": reverse("myths:claim-list") + "?topic=harbour",
}


def get(client, url, reader):
    path = url if reader == "en" else f"/{reader}{url}"
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=reader)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("reader", ["en", "fr"])
@pytest.mark.parametrize("page", PAGES)
def test_a_page_from_kept_parts_is_the_page_rendered_in_full(
    client, archive, monkeypatch, page, reader
):
    url = PAGES[page]
    forget_everything()
    with monkeypatch.context() as patch:
        patch.setattr(ListSkeletonMixin, "use_skeleton", False)
        in_full = get(client, url, reader)
    forget_everything()
    get(client, url, reader)  # renders the skeleton and the fragments
    publication()
    with Renders() as renders:
        from_memory = get(client, url, reader)
    # Another worker: nothing in its memory, the fragments in the shared cache.
    publication()
    recent_fragments.clear()
    recent_skeletons.clear()
    with Renders() as from_cache_renders:
        from_cache = get(client, url, reader)
    assert from_memory == from_cache == in_full
    assert "register-item" in in_full or "release-card" in in_full
    assert "pressdesk-slot" not in in_full
    # Search cards too: kept with a marker where each query's snippet goes.
    assert RELEASE_CARD not in renders + from_cache_renders
    if page != "search":
        assert FILTER_PANEL not in renders + from_cache_renders
        assert FILTER_FIELD not in renders + from_cache_renders
    else:  # a search's form holds unbounded input: never kept, but its menus are
        assert FILTER_PANEL in renders and FILTER_PANEL in from_cache_renders
        assert renders.count(FILTER_FIELD) == from_cache_renders.count(FILTER_FIELD) == 1
    assert REGISTER_ROW not in renders + from_cache_renders
    assert "base.html" not in renders + from_cache_renders  # the chrome: its skeleton


def test_cards_are_read_in_one_round_trip_and_not_at_all_from_memory(client, archive, cache_calls):
    url = PAGES["list"]
    client.get(url)
    publication()
    recent_fragments.clear()
    del cache_calls[:]
    client.get(url)
    # One round trip for all the cards, one for the filter form: never one per item.
    assert cache_calls.count("get_many") == 2 and "set_many" not in cache_calls
    publication()
    del cache_calls[:]
    client.get(url)
    assert "get_many" not in cache_calls and "set_many" not in cache_calls


def test_a_new_revision_shows_at_once(client, archive):
    release = archive[-1]  # the newest: on the home page and the first list page
    for url in (PAGES["home"], PAGES["list"]):
        assert "Harbour note 13" in get(client, url, "en")
    release.title = "Harbour note, corrected"
    release.save()
    arrange_state(release, Release.Status.PUBLISHED)
    publication()
    for url in (PAGES["home"], PAGES["list"]):
        html = get(client, url, "en")
        assert "Harbour note, corrected" in html and "Harbour note 13<" not in html


def test_a_withdrawn_release_leaves_every_list_at_once(client, archive, publisher):
    release = archive[-1]
    claim = RegisterEntry.objects.current().get(claim=release.responses.get().claim)
    shown = {
        PAGES["home"]: release.get_absolute_url(),
        PAGES["list"]: release.get_absolute_url(),
        PAGES["register"]: claim.get_absolute_url(),
    }
    for url, address in shown.items():
        assert f'href="/fr{address}"' in get(client, url, "fr")
    workflow.release_withdraw(release=release, actor=publisher, comment="Legal reasons.")
    publication()  # the workflow bumps after commit; a test's transaction never commits
    for url, address in shown.items():
        assert f'href="/fr{address}"' not in get(client, url, "fr")


def test_the_reader_language_makes_another_fragment(client, archive):
    release = archive[-1]
    english = get(client, PAGES["list"], "en")
    french = get(client, PAGES["list"], "fr")
    assert f'href="{release.get_absolute_url()}"' in english
    assert f'href="/fr{release.get_absolute_url()}"' in french
    assert f'href="{release.get_absolute_url()}"' not in french


def test_the_office_verdict_style_shows_at_once_in_the_register(client, archive):
    office = PressOffice.objects.create(name="Desk", verdict_style=PressOffice.VerdictStyle.GRADED)
    Release.objects.filter(pk__in=[r.pk for r in archive]).update(office=office)
    publication()
    assert "Verdict:" in get(client, PAGES["register"], "en")
    office.verdict_style = PressOffice.VerdictStyle.MYTH_FACT
    office.save()
    publication()
    assert "Verdict:" not in get(client, PAGES["register"], "en")


def test_a_filtered_page_has_a_skeleton_of_its_own(client, archive):
    """The title and the robots line follow the filters; the canonical link the page number."""
    plain = get(client, PAGES["list"], "en")
    searched = get(client, PAGES["search"], "en")
    second = get(client, PAGES["list page 2"], "en")
    assert "<title>Releases" in plain and "<title>Search results" in searched
    assert 'rel="canonical"' in plain and "noindex" in searched
    assert '/releases/?page=2">' in second and '/releases/?page=2">' not in plain


def test_the_filter_panel_follows_the_topics_offered(client, archive):
    """Topics come and go with publications: the kept form offers the ones there are now."""
    assert "Lighthouses" not in get(client, PAGES["register"], "en")
    release = archive[-1]
    release.responses.get().claim.topics.add(TopicFactory(name="Lighthouses"))
    arrange_state(release, Release.Status.PUBLISHED)
    publication()
    for url in (PAGES["register"], PAGES["list"]):
        assert '<option value="lighthouses">Lighthouses' in get(client, url, "en")


@pytest.mark.database("postgresql")  # snippets are PostgreSQL's headlines
def test_a_kept_search_card_shows_each_querys_own_snippet(client, archive):
    """The cards of one search are kept (snippet_mark in the snippet's place) and shown by
    another with that search's own snippet."""
    cards = re.compile(r'<h3 class="card-title"><a href="([^"]+)"')
    first = cards.findall(get(client, reverse("myths:release-list") + "?q=harbour", "en"))
    publication()
    with Renders() as renders:
        html = get(client, reverse("myths:release-list") + "?q=note", "en")
    shown = cards.findall(html)
    assert set(first) & set(shown)
    assert renders.count(RELEASE_CARD) == len(set(shown) - set(first))
    snippets = re.findall(r'<p class="card-snippet">(.*?)</p>', html, re.S)
    assert snippets and all("<mark>note</mark>" in snippet.lower() for snippet in snippets)
    assert "<mark>harbour</mark>" not in html.lower() and "pressdesk-snippet-" not in html


def test_a_search_form_offers_the_topics_there_are_now(client, archive):
    """Its menus are kept field by field, each with its choices in the key."""
    url = reverse("myths:release-list") + "?q=harbour"
    assert "Lighthouses" not in get(client, url, "en")
    release = archive[-1]
    release.responses.get().claim.topics.add(TopicFactory(name="Lighthouses"))
    arrange_state(release, Release.Status.PUBLISHED)
    publication()
    assert '<option value="lighthouses">Lighthouses' in get(client, url, "en")


def test_a_field_in_error_is_rendered_every_time(client, archive):
    url = reverse("myths:release-list") + "?topic=nowhere&q=harbour"
    first = get(client, url, "en")
    publication()
    with Renders() as renders:
        again = get(client, url, "en")
    assert again == first and "field--error" in again
    assert renders.count(FILTER_FIELD) == 2  # the search box and the topic in error
