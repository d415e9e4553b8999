"""The public and the staff PDF views: who may download what, caching, ETag, errors."""

import io
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from core.page_cache import recent_pages
from core.public_state import public_state_forget
from myths import workflow
from myths.models import Release
from myths.pdf import render as pdf_module
from myths.pdf import views as pdf_views
from myths.pdf.render import DRAFT_MARK_TEXT, PdfRenderError
from myths.pdf.tasks import release_pdfs_render
from tests.factories import UserFactory, arrange_state, release_with_content
from tests.factories.states import NON_PUBLIC_STATES, non_public_release

pytestmark = pytest.mark.django_db

EMBARGO_AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def counted_renders():
    with mock.patch.object(
        pdf_module, "release_pdf_render", wraps=pdf_module.release_pdf_render
    ) as spy:
        yield spy


class TestPublicPdf:
    def test_serves_the_public_revision_inline_with_etag(self, client, counted_renders):
        release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
        url = reverse("myths:release-pdf", kwargs={"slug": release.slug})
        assert url == f"/releases/{release.slug}/pdf/"
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'inline; filename="{release.slug}.pdf"'
        assert response["ETag"].startswith('"')
        pdf = response.getvalue()  # a stored file, streamed
        text = text_of(pdf)
        assert release.title in text
        assert "DRAFT" not in text and "EMBARGO" not in text

        again = client.get(url)
        assert again.getvalue() == pdf
        assert again["ETag"] == response["ETag"]
        assert counted_renders.call_count == 1

        not_modified = client.get(url, headers={"if-none-match": response["ETag"]})
        assert not_modified.status_code == 304
        assert counted_renders.call_count == 1

    def test_the_working_copy_is_not_what_is_served(self, client):
        release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
        published_title = release.title
        Release.objects.filter(pk=release.pk).update(title="Unpublished working title")
        response = client.get(reverse("myths:release-pdf", kwargs={"slug": release.slug}))
        text = text_of(response.getvalue())
        assert published_title in text
        assert "Unpublished working title" not in text

    def test_a_new_published_revision_is_rendered_anew(self, client, counted_renders):
        release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
        url = reverse("myths:release-pdf", kwargs={"slug": release.slug})
        first = client.get(url)
        release.title = "A corrected title"
        release.save()
        # The edit sends it back to draft; then it goes through review and publication again.
        workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
        arrange_state(release, Release.Status.PUBLISHED)
        second = client.get(url)
        assert first["ETag"] != second["ETag"]
        assert "A corrected title" in text_of(second.getvalue())
        assert counted_renders.call_count == 2

    @pytest.mark.parametrize(
        ("status", "publish_at"),
        [
            (Release.Status.DRAFT, None),
            (Release.Status.IN_REVIEW, None),
            (Release.Status.APPROVED, None),
            (Release.Status.SCHEDULED, EMBARGO_AT),
            (Release.Status.WITHDRAWN, None),
        ],
    )
    def test_not_public_is_404(self, client, counted_renders, status, publish_at, time_machine):
        time_machine.move_to(datetime(2026, 6, 1, tzinfo=UTC))
        release = arrange_state(release_with_content(), status, publish_at=publish_at)
        response = client.get(reverse("myths:release-pdf", kwargs={"slug": release.slug}))
        assert response.status_code == 404
        assert counted_renders.call_count == 0

    def test_render_failure_is_a_friendly_503(self, client):
        release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
        failure = PdfRenderError("The PDF could not be made: it took too long.", code="pdf_failed")
        with mock.patch.object(pdf_module, "release_pdf_render", side_effect=failure):
            response = client.get(reverse("myths:release-pdf", kwargs={"slug": release.slug}))
        assert response.status_code == 503
        assert response["Content-Type"].startswith("text/html")
        assert b"it took too long" in response.content
        assert b"Traceback" not in response.content

    def test_post_is_refused(self, client):
        release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
        response = client.post(reverse("myths:release-pdf", kwargs={"slug": release.slug}))
        assert response.status_code == 405


def cold_pdf(client, url):
    """`url` with every layer cold: the shared cache, this process's memory and its reading of
    the public generation."""
    cache.clear()
    recent_pages.clear()
    public_state_forget()
    return client.get(url)


@pytest.fixture
def stored_pdf(client):
    """A published release whose public PDF is made and stored, and the PDF's URL."""
    release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
    url = reverse("myths:release-pdf", kwargs={"slug": release.slug})
    assert client.get(url).status_code == 200
    return release, url


@pytest.fixture
def storage_reads(monkeypatch):
    """The names read from the default storage in this test."""
    names = []
    original = default_storage.open

    def spy(name, *args, **kwargs):
        names.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(default_storage, "open", spy)
    return names


class TestPublicPdfWarm:
    """Issue 10: a stored PDF costs no query once looked up, and at most one cache read."""

    def test_cold_at_most_four_queries_warm_none(
        self,
        client,
        stored_pdf,
        cache_calls,
        storage_reads,
        django_assert_max_num_queries,
        django_assert_num_queries,
    ):
        release, url = stored_pdf
        with django_assert_max_num_queries(4):
            first = cold_pdf(client, url)
        assert first.status_code == 200
        pdf = first.content
        assert release.title in text_of(pdf)
        for response in (first, client.get(url)):
            assert response["Content-Disposition"] == f'inline; filename="{release.slug}.pdf"'
            assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
            assert response["Content-Type"] == "application/pdf"
        # This worker served it: from its memory, no query, no cache, no storage.
        cache_calls.clear()
        storage_reads.clear()
        with django_assert_num_queries(0):
            again = client.get(url)
        assert (again.content, again["ETag"]) == (pdf, first["ETag"])
        assert again["Content-Length"] == str(len(pdf))
        assert cache_calls == [] and storage_reads == []
        # Another worker: one cache read and the file, still no query.
        recent_pages.clear()
        with django_assert_num_queries(0):
            assert client.get(url).content == pdf
        assert cache_calls == ["get"]
        assert len(storage_reads) == 1

    def test_revalidated_by_etag_without_a_query_or_a_read(
        self, client, stored_pdf, storage_reads, django_assert_num_queries
    ):
        _release, url = stored_pdf
        etag = client.get(url)["ETag"]
        storage_reads.clear()
        for _memory in ("kept", "empty"):
            with django_assert_num_queries(0):
                response = client.get(url, headers={"if-none-match": etag})
            assert response.status_code == 304
            assert response["ETag"] == etag
            recent_pages.clear()
        assert storage_reads == []
        assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200

    def test_a_pdf_too_large_for_memory_is_streamed_from_storage(
        self, client, stored_pdf, settings, django_assert_num_queries
    ):
        _release, url = stored_pdf
        settings.PRESSDESK_PAGE_MEMORY_BYTES = 1000
        pdf = cold_pdf(client, url).getvalue()
        for _ in range(2):
            with django_assert_num_queries(0):
                response = client.get(url)
            assert response.streaming and response.getvalue() == pdf

    def test_a_withdrawal_stops_it_at_once(self, client, stored_pdf, publisher):
        release, url = stored_pdf
        assert client.get(url).status_code == 200
        workflow.release_withdraw(release=release, actor=publisher, comment="Superseded.")
        assert client.get(url).status_code == 404

    def test_a_withdrawal_elsewhere_stops_it_within_a_second(
        self, client, stored_pdf, publisher, public_state_clock, bumps_elsewhere
    ):
        release, url = stored_pdf
        assert client.get(url).status_code == 200
        workflow.release_withdraw(release=release, actor=publisher, comment="Superseded.")
        public_state_clock.reading += 0.9
        assert client.get(url).status_code == 200  # within the second this process may lag
        public_state_clock.reading += 0.1
        assert client.get(url).status_code == 404
        recent_pages.clear()  # nor from the shared cache, in a worker that did not serve it
        assert client.get(url).status_code == 404

    def test_a_newer_draft_is_never_served(self, client, stored_pdf, writer):
        release, url = stored_pdf
        published = client.get(url).content
        release.title = "Unpublished draft title"
        release.save()
        workflow.release_edit_saved(release=release, actor=writer)
        for response in (client.get(url), cold_pdf(client, url)):
            assert response.status_code == 200
            assert "Unpublished draft title" not in text_of(response.content)
        assert response.content == published

    @pytest.mark.parametrize("state", NON_PUBLIC_STATES)
    def test_a_release_the_public_may_not_see_is_404_every_time(
        self, client, counted_renders, monkeypatch, state
    ):
        kept = []
        monkeypatch.setattr(pdf_views, "cache_set", lambda key, *args: kept.append(key))
        # Withdrawn and expired releases were public: their PDF was made and is still stored.
        release = non_public_release(state)
        url = reverse("myths:release-pdf", kwargs={"slug": release.slug})
        for _ in range(2):
            assert client.get(url).status_code == 404
        if state not in ("withdrawn", "expired"):
            assert counted_renders.call_count == 0
        assert kept == []

    def test_a_query_string_is_answered_never_kept(
        self, client, stored_pdf, monkeypatch, django_assert_num_queries
    ):
        _release, url = stored_pdf
        kept = []
        monkeypatch.setattr(pdf_views, "cache_set", lambda key, *args: kept.append(key))
        public_state_forget()
        recent_pages.clear()
        for number in range(3):
            response = client.get(f"{url}?source={number}")
            assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
        assert kept == []
        with django_assert_num_queries(3):  # looked up again: nothing was kept
            client.get(f"{url}?x=1")

    def test_a_pdf_not_made_yet_is_503_and_not_kept(self, client, settings):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
        url = reverse("myths:release-pdf", kwargs={"slug": release.slug})
        response = client.get(url)
        assert response.status_code == 503 and response["Retry-After"] == "60"
        assert client.get(url).status_code == 503
        release_pdfs_render.call(release_id=release.pk)  # the job, run by a worker
        assert client.get(url).status_code == 200  # same generation: the 503 was not kept


class TestStaffPdf:
    def url(self, revision):
        return reverse("myths:revision-pdf", kwargs={"pk": revision.pk})

    def test_anonymous_is_sent_to_log_in(self, client):
        release = arrange_state(release_with_content(), Release.Status.DRAFT)
        response = client.get(self.url(release.revisions.get()))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_non_staff_is_refused_even_with_the_permission(self, client):
        user = UserFactory(is_staff=False)
        user.user_permissions.add(Permission.objects.get(codename="view_release"))
        client.force_login(user)
        release = arrange_state(release_with_content(), Release.Status.DRAFT)
        response = client.get(self.url(release.revisions.get()))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_staff_without_the_permission_gets_403(self, client):
        client.force_login(UserFactory())
        release = arrange_state(release_with_content(), Release.Status.DRAFT)
        assert client.get(self.url(release.revisions.get())).status_code == 403

    def test_draft_is_marked(self, client):
        client.force_login(UserFactory(role="writer"))
        release = arrange_state(release_with_content(), Release.Status.DRAFT)
        response = client.get(self.url(release.revisions.get()))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert f'filename="{release.slug}-r1.pdf"' in response["Content-Disposition"]
        assert DRAFT_MARK_TEXT in text_of(response.content)

    def test_scheduled_is_embargoed(self, client, time_machine):
        time_machine.move_to(datetime(2026, 6, 1, tzinfo=UTC))
        client.force_login(UserFactory(role="reviewer"))
        release = arrange_state(
            release_with_content(), Release.Status.SCHEDULED, publish_at=EMBARGO_AT
        )
        text = text_of(client.get(self.url(release.scheduled_revision)).content)
        assert "EMBARGOED UNTIL 1 DECEMBER 2026, 09:00 CET" in text
        assert "DRAFT" not in text

    def test_live_revision_is_unmarked(self, client):
        client.force_login(UserFactory(role="writer"))
        release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
        text = text_of(client.get(self.url(release.live_revision)).content)
        assert "DRAFT" not in text and "EMBARGO" not in text

    def test_unknown_revision_is_404(self, client):
        client.force_login(UserFactory(role="writer"))
        assert client.get(reverse("myths:revision-pdf", kwargs={"pk": 999999})).status_code == 404
