from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.public_state import public_state_forget
from myths.models import Release, Response
from tests.factories import (
    NON_PUBLIC_STATES,
    ClaimFactory,
    ResponseFactory,
    TopicFactory,
    arrange_state,
    non_public_release,
    published_release,
    release_with_content,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    """The queries of a request made as the first one after a publication: this process reads
    the public generation and horizon again (one query) besides whatever the page needs."""
    public_state_forget()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def visible():
    return published_release(
        responses=2, title="Open harbour facts", publish_at=timezone.now() - timedelta(days=1)
    )


class TestPublishedPages:
    def test_home_lists_latest_first_with_ledes(self, client):
        old = published_release(title="Older release", publish_at=timezone.now() - timedelta(9))
        new = published_release(title="Newer release", publish_at=timezone.now() - timedelta(1))
        html = client.get(reverse("myths:home")).content.decode()
        assert html.index(new.title) < html.index(old.title)
        assert new.lede in html

    def test_release_detail_shows_numbered_claims_figures_sources_contact(self, client, visible):
        response = client.get(visible.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="myth-1"' in html and 'id="myth-2"' in html
        assert "Myth 1" in html and "Myth 2" in html
        first = visible.responses.order_by("position").first()
        assert first.claim.wording in html
        assert "Inspectors at the north quay." in html and "Photo: Press Office" in html
        assert 'alt="Two inspectors in high-visibility vests on a quay."' in html
        assert "Harbour inspection reports" in html
        assert visible.contact.email in html
        # The default office pairs "Myth" with "Fact" and shows no rating (test_verdict_styles).
        assert 'class="fact-label">Fact</h3>' in html and "Verdict:" not in html
        assert 'rel="canonical"' in html and "application/ld+json" in html
        assert "Preview — not public" not in html

    def test_release_detail_shows_the_published_revision_not_the_working_copy(
        self, client, visible
    ):
        Release.objects.filter(pk=visible.pk).update(title="Unpublished new title", lede="New")
        response = visible.responses.first()
        response.body = "Unpublished new body"
        response.save()
        for url in [
            visible.get_absolute_url(),
            reverse("myths:home"),
            reverse("myths:release-list"),
            reverse("myths:feed-atom"),
        ]:
            html = client.get(url).content.decode()
            assert "Unpublished new" not in html, url
            assert "Open harbour facts" in html, url

    def test_prev_next_and_translations(self, client):
        now = timezone.now()
        first = published_release(title="First one", publish_at=now - timedelta(days=3))
        middle = published_release(title="Middle one", publish_at=now - timedelta(days=2))
        last = published_release(title="Last one", publish_at=now - timedelta(days=1))
        french = published_release(
            title="Version française",
            language="fr",
            translation_of=middle,
            publish_at=now - timedelta(hours=1),
        )
        html = client.get(middle.get_absolute_url()).content.decode()
        assert f'rel="prev" href="{first.get_absolute_url()}"' in html
        assert f'rel="next" href="{last.get_absolute_url()}"' in html
        assert f'hreflang="fr" href="http://127.0.0.1:8000{french.get_absolute_url()}"' in html
        assert "Version française (FR)" in html
        html = client.get(french.get_absolute_url()).content.decode()
        assert '<html lang="fr">' in html
        assert "Middle one (EN)" in html

    @pytest.mark.parametrize("state", NON_PUBLIC_STATES)
    def test_non_public_translation_is_never_linked_listed_or_an_alternate(self, client, state):
        now = timezone.now()
        original = published_release(title="Original one", publish_at=now - timedelta(days=2))
        german = published_release(title="Deutsche Fassung", language="de", translation_of=original)
        hidden = non_public_release(state, language="fr", translation_of=original)
        pages = {
            url: client.get(url).content.decode()
            for url in (original.get_absolute_url(), german.get_absolute_url())
        }
        for url, html in pages.items():
            assert hidden.get_absolute_url() not in html, url
            assert hidden.title not in html, url
            assert 'hreflang="fr"' not in html, url
            assert "(FR)" not in html, url
        # The public translation is linked both ways, so the test can fail.
        assert 'hreflang="de"' in pages[original.get_absolute_url()]
        assert 'hreflang="en"' in pages[german.get_absolute_url()]

    @pytest.mark.parametrize("state", NON_PUBLIC_STATES)
    def test_non_public_original_is_not_linked_from_its_translation(self, client, state):
        original = non_public_release(state, language="en")
        french = published_release(title="Traduction publique", language="fr")
        Release.objects.filter(pk=french.pk).update(translation_of=original)
        html = client.get(french.get_absolute_url()).content.decode()
        assert original.get_absolute_url() not in html
        assert 'hreflang="en"' not in html
        assert "Also available in" not in html

    def test_pdf_link_only_when_the_route_exists(self, client, visible):
        from django.urls import NoReverseMatch

        html = client.get(visible.get_absolute_url()).content.decode()
        try:
            pdf = reverse("myths:release-pdf", kwargs={"slug": visible.slug})
        except NoReverseMatch:
            assert "Download PDF" not in html
        else:
            assert f'href="{pdf}"' in html

    def test_claim_register_and_claim_page(self, client):
        now = timezone.now()
        claim = ClaimFactory(wording="The lighthouse is haunted")
        older = release_with_content(responses=0, title="Lighthouse one")
        ResponseFactory(
            release=older, claim=claim, verdict=Response.Verdict.MISLEADING, body="Old answer"
        )
        arrange_state(older, Release.Status.PUBLISHED, publish_at=now - timedelta(days=5))
        newer = release_with_content(responses=0, title="Lighthouse two")
        ResponseFactory(
            release=newer, claim=claim, verdict=Response.Verdict.FALSE, body="New answer"
        )
        arrange_state(newer, Release.Status.PUBLISHED, publish_at=now - timedelta(days=1))
        html = client.get(reverse("myths:claim-list")).content.decode()
        assert "The lighthouse is haunted" in html
        assert "Answered in 2 releases" in html
        html = client.get(claim.get_absolute_url()).content.decode()
        assert "New answer" in html and "Old answer" not in html
        assert 'class="fact-label">Fact</h3>' in html and "Verdict:" not in html
        assert html.index("Lighthouse two") < html.index("Lighthouse one")

    def test_contacts_page_and_vcard(self, client, visible):
        html = client.get(reverse("contacts:contact-list")).content.decode()
        assert visible.contact.email in html
        vcard_url = reverse("contacts:contact-vcard", kwargs={"slug": visible.contact.slug})
        assert vcard_url in html

    def test_friendly_404(self, client):
        response = client.get("/releases/no-such-release/")
        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()

    def test_500_template_renders_without_context(self):
        from django.template import loader

        html = loader.get_template("500.html").render({})
        assert "Something went wrong" in html

    def test_robots_names_the_sitemap(self, client):
        response = client.get(reverse("myths:robots"))
        assert response["Content-Type"].startswith("text/plain")
        body = response.content.decode()
        assert "Disallow: /admin/" in body
        assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in body


class TestPreviewContract:
    """The staff preview renders the public template with only content/release/date/preview."""

    def render(self, preview):
        from django.template.loader import render_to_string
        from django.test import RequestFactory

        from myths.revisions import ReleaseContent

        release = release_with_content(responses=2)
        context = {
            "content": ReleaseContent.from_release(release),
            "release": release,
            "public_date": None,
            "preview": preview,
        }
        return render_to_string(
            "myths/release_detail.html", context, request=RequestFactory().get("/preview/")
        )

    def test_preview_banner_noindex_and_no_public_metadata(self):
        class Preview:
            label = "Revision 3, shared by Ada"

        html = self.render(Preview())
        assert "Preview — not public." in html and "Revision 3, shared by Ada" in html
        assert '<meta name="robots" content="noindex">' in html
        assert 'role="status"' in html
        for absent in ["application/ld+json", 'rel="canonical"', 'rel="prev"', "atom+xml"]:
            assert absent not in html
        assert 'id="myth-2"' in html

    def test_without_preview_nothing_extra_is_required(self):
        html = self.render(None)
        assert "Preview — not public" not in html


@pytest.mark.postgres  # search and JSON reads on every public route
@pytest.mark.parametrize("state", NON_PUBLIC_STATES)
class TestDraftsNeverLeak:
    """Every route, for every state that is not public: 404 or simply absent."""

    @pytest.fixture
    def hidden(self, state, visible):
        topic = TopicFactory(name=f"Topic of {state}")
        release = non_public_release(state)
        claim = release.responses.get().claim
        claim.topics.add(topic)
        return release

    def test_detail_is_404(self, client, hidden, state):
        assert client.get(reverse("myths:release-detail", args=[hidden.slug])).status_code == 404

    def test_claim_page_is_404(self, client, hidden, state):
        claim = hidden.responses.get().claim
        assert client.get(claim.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize(
        "url",
        [
            "/",
            "/releases/",
            "/releases/?q=secret{word}",
            "/releases/?verdict=false",
            "/myths/",
            "/myths/?q=secret{word}",
            "/feed/",
            "/feed/rss/",
            "/sitemap.xml",
            "/sitemap-releases.xml",
            "/sitemap-myths.xml",
        ],
    )
    def test_absent_from_lists_search_feeds_sitemap(self, client, hidden, visible, state, url):
        word = state.replace("_", "")
        html = client.get(url.format(word=word)).content.decode()
        # (the query itself is echoed in the search box: look for the release's own text)
        assert f"Hidden secret{word} release" not in html
        assert f"The secret{word} claim" not in html
        assert f"Lede with secret{word}" not in html
        assert hidden.slug not in html
        assert f"Topic of {state}" not in html  # not even offered as a filter choice

    def test_search_finds_nothing_and_counts_are_zero(self, client, hidden, state):
        word = state.replace("_", "")
        html = client.get(f"/releases/?q=secret{word}").content.decode()
        assert "0 releases match your filters" in html
        assert "No releases match these filters" in html
        assert "Clear filters" in html

    def test_counts_do_not_include_it(self, client, hidden, visible, state):
        html = client.get("/releases/").content.decode()
        assert "1 published release" in html
        html = client.get("/myths/").content.decode()
        assert "2 myths answered" in html


class TestScheduledBecomesPublicOnTime:
    def test_due_scheduled_release_appears_without_any_transition(self, client, time_machine):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        release = arrange_state(
            release_with_content(title="Timed release"),
            Release.Status.SCHEDULED,
            publish_at=now + timedelta(hours=1),
        )
        assert client.get(release.get_absolute_url()).status_code == 404
        assert "Timed release" not in client.get("/").content.decode()
        time_machine.move_to(now + timedelta(hours=1, seconds=1), tick=False)
        assert client.get(release.get_absolute_url()).status_code == 200
        assert "Timed release" in client.get("/").content.decode()


class TestQueryCounts:
    """The number of queries of a page does not grow with its content (STYLE rule 8)."""

    def test_release_detail_constant_in_responses(self, client):
        small = published_release(responses=1, figures=1, sources=1)
        big = published_release(responses=20, figures=3, sources=4)
        assert count_queries(client, small.get_absolute_url()) == count_queries(
            client, big.get_absolute_url()
        )
        assert count_queries(client, "/releases/" + big.slug + "/?x=1") <= 7

    @pytest.mark.parametrize(
        "url",
        [
            "/",
            "/releases/",
            "/releases/?q=harbour&verdict=false",
            "/myths/",
            "/feed/",
            "/feed/rss/",
            "/sitemap.xml",
            "/sitemap-releases.xml",
            "/sitemap-myths.xml",
            "/contacts/",
        ],
    )
    def test_lists_constant_in_releases(self, client, url):
        published_release(responses=1)
        one = count_queries(client, url)
        for _ in range(29):
            published_release(responses=2)
        from django.core.cache import cache

        cache.clear()
        assert count_queries(client, url) == one
        assert one <= 7

    def test_claim_page_constant_in_releases(self, client):
        claim = ClaimFactory()
        for _ in range(1):
            release = release_with_content(responses=0)
            ResponseFactory(release=release, claim=claim)
            arrange_state(release, Release.Status.PUBLISHED)
        one = count_queries(client, claim.get_absolute_url())
        for _ in range(10):
            release = release_with_content(responses=3)
            ResponseFactory(release=release, claim=claim, position=9)
            arrange_state(release, Release.Status.PUBLISHED)
        from django.core.cache import cache

        cache.clear()
        assert count_queries(client, claim.get_absolute_url()) == one
        assert one <= 6

    def test_cached_page_costs_one_query_after_a_publication_and_none_after(
        self, client, visible, django_assert_num_queries
    ):
        count_queries(client, visible.get_absolute_url())
        # The public generation and horizon, read again (core/public_state.py).
        assert count_queries(client, visible.get_absolute_url()) == 1
        with django_assert_num_queries(0):
            client.get(visible.get_absolute_url())


def test_release_pages_read_through_the_one_door():
    """Every public release view gets its rows from PublishedReleaseMixin, and none replaces it."""
    from myths.public.views import (
        HomeView,
        PublishedReleaseMixin,
        ReleaseDetailView,
        ReleaseListView,
    )

    for view in (HomeView, ReleaseListView, ReleaseDetailView):
        assert issubclass(view, PublishedReleaseMixin)
    assert "get_queryset" not in ReleaseDetailView.__dict__
    assert "get_queryset" not in ReleaseListView.__dict__
