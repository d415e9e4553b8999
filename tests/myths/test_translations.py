"""Translations as a relation: "Translate into…" makes a linked draft carrying the structure; each
claim of it knows the original's claim it renders; pages, PDFs, the list and feeds know the other
languages; and a claim whose original changed since it was translated is marked, staff only."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myths import workflow
from myths.models import Release
from myths.pdf.render import PdfTranslation, release_pdf_html
from myths.revisions import revision_content
from myths.translations import release_translate, stale_claims, stale_translation_ids
from tests.factories import UserFactory, arrange_state, release_with_content

# Database-sensitive (JSON snapshots compared, correlated subqueries): also run on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
Status = Release.Status


@pytest.fixture
def original():
    release = release_with_content(responses=3, figures=1, sources=2, title="Water myths")
    return arrange_state(release, Status.PUBLISHED)


def translate(release, language="ru", actor=None):
    return release_translate(
        release=release, language=language, actor=actor or UserFactory(role="writer")
    )


class TestReleaseTranslate:
    def test_draft_carries_the_structure_and_the_text_to_translate(self, original, writer):
        translation = translate(original, "ru", writer)
        assert translation.status == Status.DRAFT
        assert translation.translation_of == original
        assert translation.language == "ru"
        assert translation.contact == original.contact
        assert translation.slug == f"{original.slug}-ru"
        assert translation.created_by == writer
        theirs = list(original.responses.order_by("position"))
        ours = list(translation.responses.order_by("position"))
        assert [r.claim_id for r in ours] == [r.claim_id for r in theirs]
        assert [r.source_claim_id for r in ours] == [r.claim_id for r in theirs]
        assert {r.source_revision_id for r in ours} == {original.live_revision_id}
        assert [(r.verdict, r.body) for r in ours] == [(r.verdict, r.body) for r in theirs]
        for mine, source in zip(ours, theirs, strict=True):
            assert [f.image.name for f in mine.figures.all()] == [
                f.image.name for f in source.figures.all()
            ]
            assert [(s.url, s.title) for s in mine.sources.all()] == [
                (s.url, s.title) for s in source.sources.all()
            ]
        # Recorded as a first revision, whose snapshot keeps the link to the original's claims.
        content = revision_content(translation.revisions.get())
        assert [r.source_claim_id for r in content.responses] == [r.claim_id for r in theirs]
        assert content.language == "ru"

    def test_a_translation_of_a_translation_links_to_the_original(self, original):
        russian = translate(original, "ru")
        french = translate(russian, "fr")
        assert french.translation_of == original

    @pytest.mark.parametrize(
        ("language", "code"),
        [("en", "same_language"), ("xx", "unknown_language"), ("ru", "translation_exists")],
    )
    def test_refusals(self, original, language, code):
        translate(original, "ru")
        with pytest.raises(ValidationError) as error:
            translate(original, language)
        assert error.value.code == code

    def test_permission_denied_without_add_release(self, original):
        with pytest.raises(ValidationError) as error:
            translate(original, "fr", UserFactory(username="no-role"))
        assert error.value.code == "permission_denied"
        assert not original.translations.exists()

    def test_snapshots_of_releases_that_are_no_translation_keep_their_shape(self, original):
        recorded = original.live_revision.content["responses"][0]
        assert "source_claim_id" not in recorded and "source_revision_id" not in recorded


class TestTranslateAdmin:
    def test_button_page_and_creation(self, client, login, original):
        login(client, "writer")
        change = client.get(reverse("admin:myths_release_change", args=[original.pk]))
        url = reverse("admin:myths_release_translate", args=[original.pk])
        assert url in change.content.decode()
        page = client.get(url)
        choices = [code for code, _name in page.context["form"].fields["language"].choices]
        assert "en" not in choices and "ru" in choices
        response = client.post(url, {"language": "fr"})
        translation = original.translations.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:myths_release_change", args=[translation.pk])
        assert translation.language == "fr"

    def test_anonymous_and_readers_may_not(self, client, login, original):
        url = reverse("admin:myths_release_translate", args=[original.pk])
        assert client.get(url).status_code == 302  # to the login page
        login(client, "nobody")
        assert client.post(url, {"language": "fr"}).status_code in (302, 403)
        assert not original.translations.exists()


def publish_translation(original, language="ru"):
    translation = translate(original, language)
    return arrange_state(translation, Status.PUBLISHED)


class TestLinksBetweenLanguages:
    def test_page_links_published_languages_only(self, client, original):
        russian = publish_translation(original, "ru")
        translate(original, "fr")  # a draft: not linked
        html = client.get(original.get_absolute_url()).content.decode()
        assert f'href="{russian.get_absolute_url()}" hreflang="ru"' in html
        assert 'hreflang="fr"' not in html
        back = client.get(russian.get_absolute_url()).content.decode()
        assert f'href="{original.get_absolute_url()}" hreflang="en"' in back

    def test_page_query_count_does_not_grow_with_translations(self, client, original):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(original.get_absolute_url()).status_code == 200
            return len(queries)

        alone = count()
        publish_translation(original, "ru")
        publish_translation(original, "fr")
        from django.core.cache import cache

        from core.page_cache import recent_skeletons

        cache.clear()
        recent_skeletons.clear()  # rendered again, as `alone` was
        assert count() == alone

    def test_pdf_links_the_other_published_languages(self, client, original):
        russian = publish_translation(original, "ru")
        translate(original, "de")
        # The PDF is made by the background job (run at once in tests) and served from storage.
        with mock.patch("myths.pdf.render.release_pdf_render", return_value=b"%PDF") as made:
            assert client.get(reverse("myths:release-pdf", args=[original.slug])).status_code == 200
        linked = next(
            call.kwargs["translations"]
            for call in made.call_args_list
            if call.kwargs["content"].language == original.language
        )
        assert [t.language for t in linked] == ["ru"]  # the German draft is not linked
        assert linked[0].url.startswith("http")
        assert linked[0].url.endswith(russian.get_absolute_url())

    def test_pdf_query_count_does_not_grow_with_translations(self, client, original):
        url = reverse("myths:release-pdf", args=[original.slug])

        def count():
            # The first request queues the job (run at once in tests); the second is what every
            # later reader costs: the file read from storage.
            with mock.patch("myths.pdf.render.release_pdf_render", return_value=b"%PDF"):
                client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
            return len(queries)

        alone = count()
        publish_translation(original, "ru")
        publish_translation(original, "fr")
        assert count() == alone

    def test_pdf_prints_the_links_in_the_release_language(self, original):
        content = revision_content(original.live_revision)
        html, _files = release_pdf_html(
            content=content,
            translations=(PdfTranslation("ru", "Мифы о воде", "https://example.org/releases/x/"),),
        )
        assert 'hreflang="ru"' in html and "https://example.org/releases/x/" in html
        assert "Русский" in html or "русский" in html

    def test_list_and_feeds_filter_by_language(self, client, original):
        russian = publish_translation(original, "ru")
        listed = client.get("/releases/", {"language": "ru"}).context["releases"]
        assert [r.pk for r in listed] == [russian.pk]
        feed = client.get("/feed/", {"language": "ru"}).content.decode()
        assert russian.get_absolute_url() in feed
        assert f"{original.get_absolute_url()}<" not in feed
        assert f'"{original.get_absolute_url()}"' not in feed
        everything = client.get("/feed/").content.decode()
        assert (
            original.get_absolute_url() in everything and russian.get_absolute_url() in everything
        )
        rss = client.get("/feed/rss/", {"language": "ru"}).content.decode()
        assert russian.get_absolute_url() in rss and "language=ru" in rss


def edit_original_response(original, position, body, actor):
    """A writer edits one response of the original and the edit is published."""
    response = original.responses.get(position=position)
    response.body = body
    response.save()
    workflow.release_edit_saved(release=original, actor=actor)
    return arrange_state(original, Status.PUBLISHED, author=actor)


class TestStaleness:
    def test_acceptance_marked_on_exactly_that_claim_then_cleared(self, client, login, original):
        writer = UserFactory(role="writer")
        translation = publish_translation(original, "ru")
        assert stale_claims(translation) == []

        edit_original_response(original, 2, "The harbour is inspected **every week**.", writer)
        translation.refresh_from_db()
        stale = stale_claims(translation)
        assert [s.number for s in stale] == [2]
        changed = [row for row in stale[0].diff if row.tag != "equal"]
        assert any("every week" in (row.right or "") for row in changed)
        assert any("every month" in (row.left or "") for row in changed)
        assert stale_translation_ids(Release.objects.all()) == [translation.pk]
        # The checklist warns, and does not refuse.
        warnings = workflow.checklist_warnings(translation)
        assert [w.code for w in warnings] == ["stale_translation"]
        assert workflow.checklist_problems(revision_content(translation.live_revision)) == []

        # Staff see the mark and the diff; the public sees nothing of it.
        login(client, "writer")
        form = client.get(reverse("admin:myths_release_change", args=[translation.pk]))
        html = form.content.decode()
        assert 'id="translation-stale"' in html and 'data-myth="2"' in html
        assert 'data-myth="1"' not in html and 'data-myth="3"' not in html
        assert "every week" in html
        stale_list = client.get(reverse("admin:myths_release_changelist"), {"translation": "stale"})
        assert [r.pk for r in stale_list.context["cl"].result_list] == [translation.pk]
        client.logout()
        public = client.get(translation.get_absolute_url()).content.decode()
        assert "translation-stale" not in public and "every week" not in public
        assert "changed since" not in public

        # The translator updates that claim's response; published, the mark is gone.
        response = translation.responses.get(position=2)
        response.body = "Гавань проверяют **каждую неделю**."
        response.save()
        workflow.release_edit_saved(release=translation, actor=writer)
        arrange_state(translation, Status.PUBLISHED, author=writer)
        translation.refresh_from_db()
        assert stale_claims(translation) == []
        assert stale_translation_ids(Release.objects.all()) == []
        assert workflow.checklist_warnings(translation) == []

    def test_publishing_a_stale_translation_is_not_refused(self, original):
        writer = UserFactory(role="writer")
        translation = translate(original, "ru")
        edit_original_response(original, 1, "Changed.", writer)
        translation.refresh_from_db()
        assert [s.number for s in stale_claims(translation)] == [1]
        published = arrange_state(translation, Status.PUBLISHED)
        assert published.status == Status.PUBLISHED

    def test_an_unpublished_change_of_the_original_marks_nothing(self, original):
        writer = UserFactory(role="writer")
        translation = translate(original, "ru")
        response = original.responses.get(position=1)
        response.body = "A draft change."
        response.save()
        workflow.release_edit_saved(release=original, actor=writer)
        translation.refresh_from_db()
        assert stale_claims(translation) == []

    def test_originals_are_never_stale(self, original):
        assert stale_claims(original) == []
        assert workflow.checklist_warnings(original) == []


def test_the_register_keeps_the_originals_answer_when_a_translation_is_published(client, original):
    claim = original.responses.get(position=1).claim
    publish_translation(original, "ru")
    entry = client.get(reverse("myths:claim-detail", args=[claim.slug])).context["claim"]
    assert entry.revision_id == original.live_revision_id
