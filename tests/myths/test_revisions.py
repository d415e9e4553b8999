"""Revisions in the admin: list, side-by-side compare (escaped), restore, and staff preview."""

import pytest
from django.urls import reverse

from myths import workflow
from myths.diff import revisions_diff
from myths.models import Release
from myths.revisions import ReleaseContent, revision_content
from tests.factories import PressContactFactory, UserFactory, arrange_state, release_with_content

pytestmark = pytest.mark.django_db
Status = Release.Status


@pytest.fixture
def release():
    writer = UserFactory(role="writer", username="wren")
    release = arrange_state(release_with_content(), Status.PUBLISHED, author=writer)
    Release.objects.filter(pk=release.pk).update(title="Second <b>title</b>")
    release.responses.filter(position=1).update(body="New body with <script>alert(1)</script>")
    workflow.release_edit_saved(release=release, actor=writer)
    return release


def test_revisions_list_shows_who_when_and_state(client, release):
    client.force_login(UserFactory(role="reviewer"))
    page = client.get(reverse("admin:myths_release_revisions", args=[release.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="revision"') == release.revisions.count() == 2
    assert (
        "wren" in html or "Wren" in html or release.revisions.first().author.get_full_name() in html
    )
    assert "Published" in html and "Draft" in html  # the state each was saved in
    for revision in release.revisions.all():
        assert reverse("myths:revision-preview", args=[revision.pk]) in html
    assert "Restore as new draft" in html


def test_compare_is_side_by_side_and_escaped(client, release):
    client.force_login(UserFactory(role="reviewer"))
    url = reverse("admin:myths_release_compare", args=[release.pk])
    html = client.get(url + "?a=1&b=2").content.decode()
    assert "Second &lt;b&gt;title&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="replace"' in html


def test_diff_marks_changed_sections(release):
    old, new = release.revisions.order_by("number")
    sections = {s.label: s for s in revisions_diff(old, new)}
    assert sections["Title"].changed
    assert sections["Myth 1"].changed
    assert not sections["Myth 2"].changed
    assert not sections["Press contact"].changed


@pytest.mark.parametrize("query", ["", "?a=1", "?a=x&b=2", "?a=1&b=99"])
def test_compare_with_bad_input_is_a_clear_4xx(client, release, query):
    client.force_login(UserFactory(role="reviewer"))
    url = reverse("admin:myths_release_compare", args=[release.pk])
    assert client.get(url + query).status_code in (400, 404)


def test_compare_cannot_read_another_releases_revisions(client, release):
    other = arrange_state(release_with_content(), Status.DRAFT)
    client.force_login(UserFactory(role="reviewer"))
    url = reverse("admin:myths_release_compare", args=[other.pk])
    # Revision 2 exists for `release`, not for `other`.
    assert client.get(url + "?a=1&b=2").status_code == 404


def test_restore_as_new_draft(client, release):
    writer = UserFactory(role="writer")
    client.force_login(writer)
    live = release.live_revision
    url = reverse("admin:myths_release_restore", args=[release.pk, 1])
    assert client.get(url).status_code == 302  # GET does nothing
    assert release.revisions.count() == 2
    response = client.post(url, {"version_marker": release.version})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.revisions.count() == 3
    newest = release.revisions.first()
    assert newest.author == writer
    assert newest.content["title"] == release.revisions.get(number=1).content["title"]
    assert release.title == newest.title
    assert release.status == Status.DRAFT
    assert release.live_revision == live  # the public still sees the published revision


def test_restore_with_stale_version_is_refused(client, release):
    client.force_login(UserFactory(role="writer"))
    url = reverse("admin:myths_release_restore", args=[release.pk, 1])
    count = release.revisions.count()
    for marker in (release.version - 1, ""):
        client.post(url, {"version_marker": marker})
        assert release.revisions.count() == count


def test_restore_is_refused_to_anonymous(client, release):
    url = reverse("admin:myths_release_restore", args=[release.pk, 1])
    response = client.post(url, {"version_marker": release.version})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert release.revisions.count() == 2


def test_staff_preview_uses_the_public_template_with_a_banner(client, release):
    client.force_login(UserFactory(role="writer"))
    revision = release.revisions.first()
    response = client.get(reverse("myths:revision-preview", args=[revision.pk]))
    assert response.status_code == 200
    assert "myths/release_detail.html" in [t.name for t in response.templates]
    assert response.context["preview"].label.startswith(f"Preview of revision {revision.number}")
    assert response.context["public_date"] is None
    assert response.context["release"] == release
    assert response.context["content"].title == "Second <b>title</b>"
    html = response.content.decode()
    assert "not public" in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in response["Cache-Control"]


def test_staff_preview_of_missing_revision_is_404(client):
    client.force_login(UserFactory(role="writer"))
    assert client.get(reverse("myths:revision-preview", args=[999999])).status_code == 404


def test_preview_needs_view_permission(client, release):
    client.force_login(UserFactory(is_staff=True))  # staff, no role
    revision = release.revisions.first()
    assert client.get(reverse("myths:revision-preview", args=[revision.pk])).status_code == 403


def test_restore_rebuilds_every_row_the_revision_recorded(release):
    """Fields, contact, responses with their figures and sources: the working copy read back is
    the restored revision's content."""
    old = release.revisions.get(number=1)
    release.responses.get(position=2).figures.all().delete()
    release.responses.get(position=1).sources.all().delete()
    release.responses.filter(position=2).update(verdict="")
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    assert ReleaseContent.from_release(release) != revision_content(old)

    workflow.release_restore(release=release, revision=old, actor=UserFactory(role="writer"))
    release.refresh_from_db()
    assert ReleaseContent.from_release(release) == revision_content(old)
    assert release.revisions.first().content == old.content


def test_restore_keeps_the_contact_when_the_recorded_one_was_deleted(release):
    old = release.revisions.get(number=1)
    recorded = release.contact
    replacement = PressContactFactory()
    Release.objects.filter(pk=release.pk).update(contact=replacement)
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    recorded.delete()

    workflow.release_restore(release=release, revision=old, actor=UserFactory(role="writer"))
    release.refresh_from_db()
    assert release.contact == replacement
    assert release.title == old.title
