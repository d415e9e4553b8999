"""The release admin as each role sees it: pages, buttons, list actions, crafted POSTs and the
version check that keeps one editor from overwriting another."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from myths import workflow
from myths.models import Release, ShareLink
from myths.sharing import share_link_create, share_link_token
from tests.factories import UserFactory, arrange_state, release_with_content
from tests.factories.admin_forms import (
    change_url,
    form_data,
    release_in,
    response_form_data,
    response_url,
)

pytestmark = pytest.mark.django_db
Status = Release.Status
ROLES = ["anonymous", "writer", "reviewer", "publisher", "superuser"]


def state(release):
    release.refresh_from_db()
    return (
        release.status,
        release.version,
        release.title,
        release.live_revision_id,
        release.log_entries.count(),
        release.revisions.count(),
    )


# --- Pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(client, role, login):
    release = release_in(Status.IN_REVIEW)
    revision_create_count = release.revisions.count()
    assert revision_create_count >= 1
    revision = release.revisions.first()
    link = share_link_create(release=release, actor=UserFactory(role="writer"))
    login(client, role)
    pages = {
        "changelist": reverse("admin:myths_release_changelist"),
        "change": change_url(release),
        "history": reverse("admin:myths_release_history", args=[release.pk]),
        "revisions": reverse("admin:myths_release_revisions", args=[release.pk]),
        "compare": reverse("admin:myths_release_compare", args=[release.pk]) + "?a=1&b=1",
        "index": reverse("admin:index"),
    }
    before = state(release)
    for name, url in pages.items():
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302, name
            assert "/login/" in response["Location"], name
        else:
            assert response.status_code == 200, name
    preview = client.get(reverse("myths:revision-preview", args=[revision.pk]))
    assert preview.status_code == (403 if role == "anonymous" else 200)
    shared = client.get(reverse("myths:share-preview", args=[share_link_token(link)]))
    assert shared.status_code == 200  # a share link needs no account
    assert state(release) == before


def test_status_is_shown_but_not_editable(client, login):
    release = release_in(Status.DRAFT)
    login(client, "writer")
    page = client.get(change_url(release)).content.decode()
    assert 'name="status"' not in page
    assert "Draft" in page
    assert f'name="version_marker" value="{release.version}"' in page


# --- Buttons on the change form ----------------------------------------------------------------

BUTTONS = {
    # transition: (starting state, roles that may press it)
    "submit": (Status.DRAFT, {"writer", "superuser"}),
    "request_changes": (Status.IN_REVIEW, {"reviewer", "superuser"}),
    "approve": (Status.IN_REVIEW, {"reviewer", "superuser"}),
    "publish": (Status.APPROVED, {"publisher", "superuser"}),
    "withdraw": (Status.PUBLISHED, {"publisher", "superuser"}),
    "reopen": (Status.WITHDRAWN, {"writer", "publisher", "superuser"}),
}
AFTER = {
    "submit": Status.IN_REVIEW,
    "request_changes": Status.DRAFT,
    "approve": Status.APPROVED,
    "publish": Status.PUBLISHED,
    "withdraw": Status.WITHDRAWN,
    "reopen": Status.DRAFT,
}


def press(client, release, name, comment="Because."):
    release.refresh_from_db()
    return client.post(
        change_url(release),
        {
            "CHANGE_FORM-action": name,
            helpers.ACTION_CHECKBOX_NAME: release.pk,
            "index": 0,
            "version_marker": release.version,
            "workflow_comment": comment,
        },
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(BUTTONS))
def test_change_form_button_by_role(client, role, name, login):
    start, allowed = BUTTONS[name]
    release = release_in(start)
    login(client, role)
    page = client.get(change_url(release))
    before = state(release)
    response = press(client, release, name)
    if role == "anonymous":
        assert page.status_code == 302
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert state(release) == before
    elif role in allowed:
        assert f'data-transition="{name}"' in page.content.decode()
        assert response.status_code == 302
        release.refresh_from_db()
        assert release.status == AFTER[name]
        assert release.log_entries.count() == before[4] + 1
    else:
        assert f'data-transition="{name}"' not in page.content.decode()
        assert response.status_code in (302, 400, 403)
        assert state(release) == before


def confirm_page_data(page) -> dict:
    """The hidden fields of the list action's confirmation page, as its form would post them."""
    data = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.content.decode()
    ):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    return data


def run_list_action(client, name, releases, comment="Because."):
    """Choose the action on the changelist, then confirm it on the page that follows."""
    url = reverse("admin:myths_release_changelist")
    page = client.post(
        url,
        {"action": name, helpers.ACTION_CHECKBOX_NAME: [r.pk for r in releases], "index": 0},
    )
    if page.status_code != 200 or "workflow_confirm" not in page.content.decode():
        return page
    return client.post(url, {**confirm_page_data(page), "workflow_comment": comment})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(BUTTONS))
def test_changelist_action_by_role(client, role, name, login):
    start, allowed = BUTTONS[name]
    release = release_in(start)
    login(client, role)
    before = state(release)
    response = run_list_action(client, name, [release])
    if role in allowed:
        assert response.status_code == 302
        release.refresh_from_db()
        assert release.status == AFTER[name]
    else:
        assert response.status_code in (200, 302, 403)
        assert state(release) == before


@pytest.mark.parametrize("name", ["request_changes", "withdraw"])
def test_list_action_asks_for_the_comment_first(client, name, login):
    start, _allowed = BUTTONS[name]
    release = release_in(start)
    login(client, "superuser")
    url = reverse("admin:myths_release_changelist")
    data = {"action": name, helpers.ACTION_CHECKBOX_NAME: [release.pk], "index": 0}
    before = state(release)
    page = client.post(url, data)
    assert page.status_code == 200
    assert 'name="workflow_comment"' in page.content.decode()
    assert state(release) == before
    data = confirm_page_data(page)
    # An empty comment is refused by the workflow, with a message.
    response = client.post(url, {**data, "workflow_comment": "  "}, follow=True)
    assert "needs a comment" in response.content.decode()
    assert state(release) == before
    client.post(url, {**data, "workflow_comment": "Out of date."})
    release.refresh_from_db()
    assert release.status == AFTER[name]
    assert release.log_entries.first().comment == "Out of date."


@pytest.mark.parametrize(
    ("name", "start", "role"),
    [("approve", Status.IN_REVIEW, "reviewer"), ("publish", Status.APPROVED, "publisher")],
)
def test_list_action_names_the_revision_and_refuses_if_it_changed(client, name, start, role, login):
    release = release_in(start)
    login(client, role)
    url = reverse("admin:myths_release_changelist")
    page = client.post(
        url, {"action": name, helpers.ACTION_CHECKBOX_NAME: [release.pk], "index": 0}
    )
    shown = release.revisions.order_by("-number").first()
    assert page.status_code == 200
    assert f"revision {shown.number}" in page.content.decode()
    confirmed = confirm_page_data(page)
    # Meanwhile a writer changes the text (an approved release goes back to draft; edit an
    # in-review one so it stays in review, the transition's starting state).
    Release.objects.filter(pk=release.pk).update(title="Swapped before the click")
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    if start == Status.APPROVED:
        workflow.release_submit(release=release, actor=UserFactory(role="writer"))
        workflow.release_approve(release=release, actor=UserFactory(role="reviewer"))
    before = state(release)
    response = client.post(url, confirmed, follow=True)
    assert "changed after you confirmed" in response.content.decode()
    assert state(release) == before


@pytest.mark.postgres
def test_list_action_refuses_a_stale_version_even_with_the_same_revision(client, login):
    release = release_in(Status.IN_REVIEW)
    login(client, "reviewer")
    url = reverse("admin:myths_release_changelist")
    page = client.post(
        url, {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [release.pk], "index": 0}
    )
    confirmed = confirm_page_data(page)
    Release.objects.filter(pk=release.pk).update(version=F("version") + 1)  # an unchanged save
    before = state(release)
    response = client.post(url, confirmed, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert state(release) == before


def test_button_without_comment_is_refused_with_a_message(client, login):
    release = release_in(Status.IN_REVIEW)
    login(client, "reviewer")
    before = state(release)
    response = press(client, release, "request_changes", comment="")
    page = client.get(response["Location"]).content.decode()
    assert "needs a comment" in page
    assert state(release) == before


def test_button_acts_on_the_version_the_user_saw(client, login):
    release = release_in(Status.IN_REVIEW)
    seen = release.version
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    login(client, "reviewer")
    before = state(release)
    response = client.post(
        change_url(release),
        {
            "CHANGE_FORM-action": "approve",
            helpers.ACTION_CHECKBOX_NAME: release.pk,
            "index": 0,
            "version_marker": seen,
        },
        follow=True,
    )
    assert "changed by someone else" in response.content.decode()
    assert state(release) == before


def spy_on_transitions(monkeypatch):
    """Record what the admin hands the workflow: the version on the release instance it passes,
    and the expected_version argument; the real transition still runs."""
    calls = []
    real = workflow.release_transition

    def spy(*, release, **kwargs):
        calls.append({"instance_version": release.version, **kwargs})
        return real(release=release, **kwargs)

    monkeypatch.setattr(workflow, "release_transition", spy)
    return calls


def test_button_passes_the_posted_version_and_leaves_the_instance_alone(client, monkeypatch, login):
    release = release_in(Status.IN_REVIEW)
    seen = release.version
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    current = Release.objects.get(pk=release.pk).version
    assert current != seen
    calls = spy_on_transitions(monkeypatch)
    login(client, "reviewer")
    client.post(
        change_url(release),
        {
            "CHANGE_FORM-action": "approve",
            helpers.ACTION_CHECKBOX_NAME: release.pk,
            "index": 0,
            "version_marker": seen,
        },
    )
    [call] = calls
    assert (call["transition"], call["expected_version"]) == ("approve", seen)
    assert call["instance_version"] == current  # as read from the database, not the POST
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW


def test_button_with_the_current_version_passes_it_and_succeeds(client, monkeypatch, login):
    release = release_in(Status.IN_REVIEW)
    calls = spy_on_transitions(monkeypatch)
    login(client, "reviewer")
    press(client, release, "approve")
    [call] = calls
    assert call["expected_version"] == call["instance_version"]
    assert Release.objects.get(pk=release.pk).status == Status.APPROVED


@pytest.mark.parametrize("marker", ["", "seven"])
def test_button_with_a_bad_version_marker_does_nothing(client, monkeypatch, marker, login):
    release = release_in(Status.IN_REVIEW)
    calls = spy_on_transitions(monkeypatch)
    login(client, "reviewer")
    before = state(release)
    response = client.post(
        change_url(release),
        {
            "CHANGE_FORM-action": "approve",
            helpers.ACTION_CHECKBOX_NAME: release.pk,
            "index": 0,
            "version_marker": marker,
        },
        follow=True,
    )
    assert "Bad version marker." in response.content.decode()
    assert calls == []
    assert state(release) == before


def test_list_action_passes_the_confirmed_version(client, monkeypatch, login):
    release = release_in(Status.IN_REVIEW)
    login(client, "reviewer")
    url = reverse("admin:myths_release_changelist")
    page = client.post(
        url, {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [release.pk], "index": 0}
    )
    confirmed = confirm_page_data(page)
    [version] = confirmed[f"workflow_confirm_version_{release.pk}"]
    Release.objects.filter(pk=release.pk).update(version=F("version") + 1)  # an unchanged save
    calls = spy_on_transitions(monkeypatch)
    client.post(url, confirmed)
    [call] = calls
    assert call["expected_version"] == int(version)
    assert call["instance_version"] == int(version) + 1
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW


def test_button_with_unsaved_edits_in_the_form_is_refused(client, login):
    """The writer types a new title and presses Submit: refused, nothing submitted."""
    release = release_in(Status.DRAFT)
    login(client, "writer")
    data = form_data(release, title="Typed but not saved")
    del data["_save"]
    data.update({"CHANGE_FORM-action": "submit", helpers.ACTION_CHECKBOX_NAME: release.pk})
    before = state(release)
    response = client.post(change_url(release), data, follow=True)
    assert "Save your changes first" in response.content.decode()
    assert state(release) == before


def test_button_with_an_unsaved_inline_edit_is_refused(client, login):
    release = release_in(Status.DRAFT)
    login(client, "writer")
    data = form_data(release)
    del data["_save"]
    data["responses-0-body"] = "Typed into a response, not saved."
    data.update({"CHANGE_FORM-action": "submit", helpers.ACTION_CHECKBOX_NAME: release.pk})
    before = state(release)
    response = client.post(change_url(release), data, follow=True)
    assert "Save your changes first" in response.content.decode()
    assert state(release) == before


def test_button_with_the_saved_form_goes_ahead(client, login):
    release = release_in(Status.DRAFT)
    login(client, "writer")
    data = form_data(release)
    del data["_save"]
    # Browsers send a textarea's line breaks as CRLF: that is no edit.
    data["responses-0-body"] = data["responses-0-body"].replace("\n", "\r\n")
    assert "\r\n" in data["responses-0-body"]
    data.update({"CHANGE_FORM-action": "submit", helpers.ACTION_CHECKBOX_NAME: release.pk})
    client.post(change_url(release), data)
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_checklist_problems_are_reported_one_by_one(client, login):
    release = release_in(Status.DRAFT)
    release.responses.update(verdict="")
    Release.objects.filter(pk=release.pk).update(contact=None)
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    login(client, "writer")
    response = press(client, release, "submit")
    page = client.get(response["Location"]).content.decode()
    assert "No press contact is set." in page
    assert "Myth 1 has no verdict." in page
    assert "Myth 2 has no verdict." in page
    release.refresh_from_db()
    assert release.status == Status.DRAFT


def test_four_eyes_in_the_admin(client, login):
    release = release_in(Status.IN_REVIEW)
    reviewer = login(client, "reviewer")
    Release.objects.filter(pk=release.pk).update(title="The reviewer's fix")
    workflow.release_edit_saved(release=release, actor=reviewer)
    before = state(release)
    response = press(client, release, "approve")
    assert "four-eyes" in client.get(response["Location"]).content.decode()
    assert state(release) == before


def test_four_eyes_survives_an_unchanged_save_by_the_writer(client, login):
    """Reviewer rewrites the title, writer saves the form unchanged, reviewer presses Approve."""
    writer = UserFactory(role="writer", username="wanda")
    release = arrange_state(release_with_content(), Status.IN_REVIEW, author=writer)
    reviewer = login(client, "reviewer")
    assert (
        client.post(change_url(release), form_data(release, title="Reviewer's title")).status_code
        == 302
    )
    client.force_login(writer)
    release.refresh_from_db()
    assert client.post(change_url(release), form_data(release)).status_code == 302
    client.force_login(reviewer)
    before = state(release)
    response = press(client, release, "approve")
    assert "four-eyes" in client.get(response["Location"]).content.decode()
    assert state(release) == before


# --- Crafted POSTs ---------------------------------------------------------------------------


def test_writer_posting_status_published_changes_no_status(client, login):
    release = release_in(Status.DRAFT)
    login(client, "writer")
    response = client.post(
        change_url(release),
        form_data(release, status="published", live_revision=release.revisions.first().pk),
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert release.live_revision is None
    assert not Release.objects.published().exists()


def test_writer_calling_publish_action_directly_is_refused(client, login):
    release = release_in(Status.APPROVED)
    login(client, "writer")
    before = state(release)
    for url, data in [
        (
            change_url(release),
            {
                "CHANGE_FORM-action": "publish",
                helpers.ACTION_CHECKBOX_NAME: release.pk,
                "version_marker": release.version,
            },
        ),
        (
            reverse("admin:myths_release_changelist"),
            {"action": "publish", helpers.ACTION_CHECKBOX_NAME: [release.pk]},
        ),
    ]:
        client.post(url, data)
        assert state(release) == before


def test_reviewer_calling_publish_is_refused(client, login):
    release = release_in(Status.APPROVED)
    login(client, "reviewer")
    before = state(release)
    press(client, release, "publish")
    assert state(release) == before


def test_change_form_action_for_another_release_is_a_bad_request(client, login):
    mine, other = release_in(Status.DRAFT), release_in(Status.DRAFT)
    login(client, "writer")
    before = state(other)
    response = client.post(
        change_url(mine),
        {
            "CHANGE_FORM-action": "submit",
            helpers.ACTION_CHECKBOX_NAME: other.pk,
            "version_marker": mine.version,
        },
    )
    assert response.status_code == 400
    assert state(other) == before


def test_garbage_version_marker_is_refused(client, login):
    release = release_in(Status.DRAFT)
    login(client, "writer")
    before = state(release)
    response = client.post(change_url(release), form_data(release, version_marker="abc"))
    assert response.status_code == 200
    assert "whole number" in response.content.decode()
    assert state(release) == before


# --- Saving: revisions, concurrency ---------------------------------------------------------


def test_every_save_records_a_revision(client, login):
    release = release_in(Status.DRAFT)
    login(client, "writer")
    count = release.revisions.count()
    response = client.post(change_url(release), form_data(release, title="A sharper title"))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.revisions.count() == count + 1
    assert release.revisions.first().title == "A sharper title"


def test_adding_a_release_records_revision_one(client, login):
    writer = login(client, "writer")
    release = release_in(Status.DRAFT)
    data = form_data(release, title="Brand new", slug="brand-new", version_marker=None)
    data.update({"responses-TOTAL_FORMS": 0, "responses-INITIAL_FORMS": 0})
    response = client.post(reverse("admin:myths_release_add"), data)
    assert response.status_code == 302
    new = Release.objects.get(slug="brand-new")
    assert new.revisions.get().number == 1
    assert new.created_by == writer
    assert new.status == Status.DRAFT


def test_editing_approved_release_in_admin_sends_it_back_to_draft(client, login):
    release = release_in(Status.APPROVED)
    login(client, "writer")
    response = client.post(change_url(release), form_data(release, title="Swapped"), follow=True)
    assert "draft again" in response.content.decode()
    release.refresh_from_db()
    assert release.status == Status.DRAFT


def test_editing_published_release_in_admin_leaves_public_page_alone(client, login):
    release = release_in(Status.PUBLISHED)
    public_url = reverse("myths:release-detail", kwargs={"slug": release.slug})
    before = client.get(public_url).content
    login(client, "writer")
    data = form_data(release, title="Swapped after publication")
    data["responses-0-body"] = "Completely different words."
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.title == "Swapped after publication"
    assert release.status == Status.DRAFT
    client.logout()
    assert client.get(public_url).content == before
    public = Release.objects.published().get()
    assert public.public_revision_id == release.live_revision_id


def test_publisher_moving_expiry_into_the_past_empties_the_public_cache(
    client, django_capture_on_commit_callbacks, login
):
    release = release_in(Status.PUBLISHED)
    public_url = reverse("myths:release-detail", kwargs={"slug": release.slug})
    assert client.get(public_url).status_code == 200  # now cached
    login(client, "publisher")
    past = timezone.localtime(timezone.now() - timedelta(hours=1))
    data = form_data(
        release, expire_at_0=past.strftime("%Y-%m-%d"), expire_at_1=past.strftime("%H:%M:%S")
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.expire_at is not None
    assert release.status == Status.PUBLISHED  # no content change: still approved and public
    client.logout()
    assert client.get(public_url).status_code == 404


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.WITHDRAWN])
def test_slug_of_a_release_once_published_cannot_be_changed(client, status, login):
    release = release_in(status)
    slug = release.slug
    login(client, "superuser")
    page = client.get(change_url(release)).content.decode()
    assert 'name="slug"' not in page
    assert slug in page  # shown, read-only
    response = client.post(change_url(release), form_data(release, slug="a-new-address"))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.slug == slug


def test_slug_of_a_never_published_release_can_be_changed(client, login):
    release = release_in(Status.APPROVED)
    login(client, "writer")
    assert 'name="slug"' in client.get(change_url(release)).content.decode()
    client.post(change_url(release), form_data(release, slug="a-new-address"))
    release.refresh_from_db()
    assert release.slug == "a-new-address"


@pytest.mark.postgres
def test_lost_update_second_save_is_refused_and_first_survives(client):
    release = release_in(Status.DRAFT)
    first = UserFactory(role="writer", username="first", first_name="Fiona")
    second = UserFactory(role="reviewer", username="second")
    opened = form_data(release)  # both open the form at the same version
    client.force_login(first)
    assert client.post(change_url(release), {**opened, "title": "Fiona's title"}).status_code == 302
    client.force_login(second)
    response = client.post(change_url(release), {**opened, "title": "Second's title"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fiona saved this release" in page
    compare = reverse("admin:myths_release_compare", args=[release.pk])
    assert f'href="{compare}?a=' in page
    release.refresh_from_db()
    assert release.title == "Fiona's title"
    assert release.revisions.first().author == first


def test_post_without_version_marker_is_refused(client, login):
    release = release_in(Status.DRAFT)
    login(client, "writer")
    before = state(release)
    response = client.post(change_url(release), form_data(release, version_marker=None))
    assert response.status_code == 200
    assert "without its version marker" in response.content.decode()
    assert state(release) == before


@pytest.mark.postgres
def test_a_save_losing_the_race_after_validation_writes_nothing(client, monkeypatch, login):
    """The form check passed, then another save claimed the version: the save is rolled back."""
    release = release_in(Status.DRAFT)
    login(client, "writer")
    data = form_data(release, title="Lost")
    from myths.forms import ReleaseAdminForm

    original_clean = ReleaseAdminForm.clean
    raced = []

    def clean_then_someone_saves(self):
        cleaned = original_clean(self)
        Release.objects.filter(pk=release.pk).update(version=release.version + 5)
        raced.append("saved meanwhile")
        return cleaned

    monkeypatch.setattr(ReleaseAdminForm, "clean", clean_then_someone_saves)
    count = release.revisions.count()
    response = client.post(change_url(release), data, follow=True)
    assert raced == ["saved meanwhile"]  # the other save did land between check and write
    assert "your changes were not saved" in response.content.decode()
    release.refresh_from_db()
    assert release.title != "Lost"
    assert release.revisions.count() == count


@pytest.mark.postgres
def test_an_admin_save_never_writes_back_a_stale_status(client, monkeypatch, login):
    """Only the workflow writes status and revision pointers: the admin's copy, read before the
    save, must not overwrite what the workflow wrote meanwhile."""
    release = release_in(Status.IN_REVIEW)
    login(client, "writer")
    from myths.forms import ReleaseAdminForm

    original_clean = ReleaseAdminForm.clean
    live = release.revisions.first()
    raced = []

    def clean_then_workflow_writes(self):
        cleaned = original_clean(self)
        # What a transition writes, but leaving the version alone so the version check passes:
        # a state the workflow itself never leaves, written on purpose to prove the admin's save
        # does not write back the status it read.
        Release.objects.filter(pk=release.pk).update(
            status=Status.PUBLISHED, live_revision=live, first_published_at=timezone.now()
        )
        raced.append("published meanwhile")
        return cleaned

    monkeypatch.setattr(ReleaseAdminForm, "clean", clean_then_workflow_writes)
    response = client.post(change_url(release), form_data(release, lede="A new lede."))
    assert raced == ["published meanwhile"]
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.lede == "A new lede."
    assert release.live_revision == live
    assert release.first_published_at is not None
    assert release.status == Status.DRAFT  # the edit of a published release: back to draft


def test_response_admin_save_records_a_release_revision(client, login):
    release = release_in(Status.APPROVED)
    response_obj = release.responses.first()
    login(client, "writer")
    count = release.revisions.count()
    page = client.get(response_url(response_obj)).content.decode()
    assert f'name="version_marker" value="{release.version}"' in page
    data = response_form_data(response_obj, verdict="misleading", body="Reworded.")
    result = client.post(response_url(response_obj), data)
    assert result.status_code == 302, result.content.decode()[:3000]
    release.refresh_from_db()
    assert release.revisions.count() == count + 1
    assert release.revisions.first().content["responses"][0]["body"] == "Reworded."
    assert release.status == Status.DRAFT


@pytest.mark.postgres
def test_lost_update_on_the_response_page_is_refused_and_first_survives(client):
    release = release_in(Status.DRAFT)
    response_obj = release.responses.first()
    first = UserFactory(role="writer", username="first", first_name="Fiona")
    second = UserFactory(role="writer", username="second")
    opened = response_form_data(response_obj)  # both open the form at the same version
    client.force_login(first)
    result = client.post(response_url(response_obj), {**opened, "body": "Fiona's words."})
    assert result.status_code == 302
    client.force_login(second)
    result = client.post(response_url(response_obj), {**opened, "body": "Second's words."})
    assert result.status_code == 200
    page = result.content.decode()
    assert "Fiona saved this release" in page
    assert "Second&#x27;s words." in page  # the second editor's text is still in the form
    response_obj.refresh_from_db()
    assert response_obj.body == "Fiona's words."
    assert release.revisions.order_by("-number").first().author == first


@pytest.mark.postgres
def test_a_release_edit_and_a_response_edit_opened_together_do_not_overwrite(client, login):
    """The release form edits the same responses: one version guards both pages."""
    release = release_in(Status.DRAFT)
    response_obj = release.responses.first()
    login(client, "writer")
    on_response_page = response_form_data(response_obj)
    assert client.post(change_url(release), form_data(release, title="New")).status_code == 302
    result = client.post(response_url(response_obj), {**on_response_page, "body": "Late."})
    assert result.status_code == 200
    response_obj.refresh_from_db()
    assert response_obj.body != "Late."


def test_response_page_without_version_marker_is_refused(client, login):
    release = release_in(Status.DRAFT)
    response_obj = release.responses.first()
    login(client, "writer")
    data = response_form_data(response_obj, body="Unchecked.", version_marker=None)
    result = client.post(response_url(response_obj), data)
    assert result.status_code == 200
    assert "without its version marker" in result.content.decode()
    response_obj.refresh_from_db()
    assert response_obj.body != "Unchecked."


def _transition_lands_during_the_save(monkeypatch, release) -> list:
    """Someone approves/publishes between release_edit_saved's refresh and its status change.
    Returns the list the injected move appends to each time it runs."""
    original = workflow.latest_revision
    raced = []

    def latest_then_someone_moves_it(target):
        Release.objects.filter(pk=release.pk).update(version=F("version") + 1)
        raced.append(target.pk)
        return original(target)

    monkeypatch.setattr(workflow, "latest_revision", latest_then_someone_moves_it)
    return raced


@pytest.mark.postgres
@pytest.mark.parametrize("page", ["release", "response"])
def test_a_transition_landing_during_a_save_is_a_message_not_a_500(
    client, monkeypatch, page, login
):
    release = release_in(Status.APPROVED)
    response_obj = release.responses.first()
    login(client, "writer")
    if page == "release":
        url, data = change_url(release), form_data(release, title="Typed during the race")
    else:
        url, data = response_url(response_obj), response_form_data(response_obj, body="Typed.")
    before = state(release)
    raced = _transition_lands_during_the_save(monkeypatch, release)
    result = client.post(url, data, follow=True)
    assert raced  # the injected move did land during the save
    assert result.status_code == 200
    assert "moved in the workflow by someone else" in result.content.decode()
    monkeypatch.undo()
    assert state(release) == before  # rolled back, the version bump of the race included
    response_obj.refresh_from_db()
    assert response_obj.body != "Typed."


# --- Dashboard ---------------------------------------------------------------------------------


def test_admin_index_shows_what_waits_for_each_user(client, login):
    in_review = release_in(Status.IN_REVIEW)
    approved = release_in(Status.APPROVED)
    writer = UserFactory(role="writer", username="w2")
    sent_back = arrange_state(release_with_content(), Status.IN_REVIEW, author=writer)
    workflow.release_request_changes(
        release=sent_back, actor=UserFactory(role="reviewer"), comment="Fix."
    )
    login(client, "reviewer")
    page = client.get(reverse("admin:index")).content.decode()
    assert "Awaiting my review" in page and in_review.title in page
    assert "Ready to publish" not in page
    login(client, "publisher")
    page = client.get(reverse("admin:index")).content.decode()
    assert "Ready to publish" in page and approved.title in page
    assert in_review.title not in page
    client.force_login(writer)
    page = client.get(reverse("admin:index")).content.decode()
    assert sent_back.title in page and approved.title not in page


# --- Share links from the admin ----------------------------------------------------------------


def test_share_link_created_and_revoked_from_the_admin(client, login):
    release = release_in(Status.IN_REVIEW)
    login(client, "writer")
    response = client.post(
        change_url(release),
        {
            "CHANGE_FORM-action": "create_share_link",
            helpers.ACTION_CHECKBOX_NAME: release.pk,
            "version_marker": release.version,
        },
        follow=True,
    )
    link = ShareLink.objects.get(release=release)
    assert "/preview/" in response.content.decode()
    assert link.expires_at > timezone.now() + timedelta(days=6)
    revoke = reverse("admin:myths_release_revoke_share_link", args=[release.pk, link.pk])
    assert client.get(revoke).status_code == 302  # GET changes nothing
    link.refresh_from_db()
    assert link.revoked_at is None
    client.post(revoke)
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_anonymous_cannot_revoke_a_share_link(client):
    release = release_in(Status.IN_REVIEW)
    link = share_link_create(release=release, actor=UserFactory(role="writer"))
    client.post(reverse("admin:myths_release_revoke_share_link", args=[release.pk, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is None


# --- Share links and restore: the role matrix ---------------------------------------------------

SHARE_AND_RESTORE_ROLES = [*ROLES, "nobody"]  # nobody: staff, but in no role


def share_state(release):
    return (
        *state(release),
        ShareLink.objects.filter(release=release).count(),
        ShareLink.objects.filter(release=release, revoked_at__isnull=False).count(),
    )


@pytest.mark.parametrize("role", SHARE_AND_RESTORE_ROLES)
def test_create_share_link_by_role(client, role, login):
    release = release_in(Status.IN_REVIEW)
    login(client, role)
    before = share_state(release)
    response = client.post(
        change_url(release),
        {
            "CHANGE_FORM-action": "create_share_link",
            helpers.ACTION_CHECKBOX_NAME: release.pk,
            "index": 0,
            "version_marker": release.version,
        },
    )
    if role in ("anonymous", "nobody"):
        assert response.status_code in (302, 403)
        if role == "anonymous":
            assert "/login/" in response["Location"]
        assert share_state(release) == before
    else:
        assert response.status_code == 302
        assert ShareLink.objects.filter(release=release, created_by__isnull=False).count() == 1
        assert state(release) == before[:6]  # a link changes nothing of the release


@pytest.mark.parametrize("role", SHARE_AND_RESTORE_ROLES)
def test_revoke_share_link_by_role(client, role, login):
    release = release_in(Status.IN_REVIEW)
    link = share_link_create(release=release, actor=UserFactory(role="writer"))
    login(client, role)
    before = share_state(release)
    response = client.post(
        reverse("admin:myths_release_revoke_share_link", args=[release.pk, link.pk])
    )
    link.refresh_from_db()
    if role in ("anonymous", "nobody"):
        assert response.status_code in (302, 403)
        if role == "anonymous":
            assert "/login/" in response["Location"]
        assert link.revoked_at is None
        assert share_state(release) == before
    else:
        assert response.status_code == 302
        assert link.revoked_at is not None


@pytest.mark.parametrize("role", SHARE_AND_RESTORE_ROLES)
def test_restore_by_role(client, role, login):
    release = release_in(Status.DRAFT)
    old_title = release.title
    Release.objects.filter(pk=release.pk).update(title="Rewritten")
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    first = release.revisions.order_by("number").first()
    login(client, role)
    before = share_state(release)
    response = client.post(
        reverse("admin:myths_release_restore", args=[release.pk, first.number]),
        {"version_marker": release.version},
    )
    if role in ("anonymous", "nobody"):
        assert response.status_code in (302, 403)
        if role == "anonymous":
            assert "/login/" in response["Location"]
        assert share_state(release) == before
    else:
        assert response.status_code == 302
        release.refresh_from_db()
        assert release.title == old_title
        assert release.revisions.count() == before[5] + 1
