"""The public and the staff PDF views: who may download what, caching, ETag, errors."""

import io
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pypdf import PdfReader

from myths import workflow
from myths.models import Release
from myths.pdf import render as pdf_module
from myths.pdf.render import DRAFT_MARK_TEXT, PdfRenderError
from tests.factories import UserFactory, arrange_state, release_with_content

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
