"""The publish step in the admin for a new version of a public release: it asks the kind of change
and the public note (change form and list action), explains each kind, and reports a refusal in
the editor's language, naming the words that changed."""

import re

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from myths import workflow
from myths.models import Release, ReleaseNotice
from tests.factories import UserFactory
from tests.factories.admin_forms import change_url, release_in

pytestmark = pytest.mark.django_db
Status = Release.Status
Kind = ReleaseNotice.Kind


def new_version(title="The port stayed open all year"):
    """A published release whose edited working copy is approved, waiting for the publisher."""
    release = release_in(Status.PUBLISHED)
    Release.objects.filter(pk=release.pk).update(title=title)
    writer = UserFactory(role="writer")
    workflow.release_edit_saved(release=release, actor=writer)
    workflow.release_submit(release=release, actor=writer)
    workflow.release_approve(release=release, actor=UserFactory(role="reviewer"))
    release.refresh_from_db()
    return release


def press_publish(client, release, **notice):
    release.refresh_from_db()
    return client.post(
        change_url(release),
        {
            "CHANGE_FORM-action": "publish",
            helpers.ACTION_CHECKBOX_NAME: release.pk,
            "index": 0,
            "version_marker": release.version,
            "workflow_comment": "",
            **notice,
        },
        follow=True,
    )


def test_the_change_form_asks_the_kind_of_a_new_version(client, login):
    release = new_version()
    login(client, "publisher")
    html = client.get(change_url(release)).content.decode()
    for kind in Kind.values:
        assert f'name="notice_kind" value="{kind}"' in html
    assert 'name="notice_note"' in html
    assert "Readers have seen an earlier version of this release." in html
    assert "refused if any word changed" in html  # each kind explained


def test_no_question_for_a_first_publication_or_for_a_reviewer(client, login):
    first = release_in(Status.APPROVED)
    login(client, "publisher")
    assert 'name="notice_kind"' not in client.get(change_url(first)).content.decode()
    release = new_version()
    login(client, "reviewer")
    assert 'name="notice_kind"' not in client.get(change_url(release)).content.decode()


def test_publishing_a_correction_from_the_change_form(client, login):
    release = new_version()
    publisher = login(client, "publisher")
    response = press_publish(
        client, release, notice_kind=Kind.CORRECTION, notice_note="The port never closed."
    )
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    notice = ReleaseNotice.objects.get()
    assert (notice.kind, notice.note, notice.actor) == (
        Kind.CORRECTION,
        "The port never closed.",
        publisher,
    )
    html = response.content.decode()
    assert "is now published" in html
    # The workflow panel lists it for the desk.
    assert re.search(r'class="release-notice">[^<]*Correction[^<]*The port never closed', html)


def test_publishing_without_a_kind_is_refused_with_a_message(client, login):
    release = new_version()
    login(client, "publisher")
    response = press_publish(client, release, notice_note="Some note.")
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    assert "say whether this version is a correction" in response.content.decode()
    assert not ReleaseNotice.objects.exists()


def test_a_refused_typography_fix_names_the_words_in_the_editors_language(client, login):
    release = new_version(title="The port stayed shut")
    login(client, "publisher")
    client.post(reverse("set_language"), {"language": "de", "next": "/admin/"})
    response = press_publish(client, release, notice_kind=Kind.TYPOGRAPHY)
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    html = response.content.decode()
    assert "Das ist keine typografische Korrektur" in html
    assert "(Titel: „Five myths about the harbour part" in html
    assert "“ → „The port stayed shut“)" in html
    assert "Typografische Korrektur (kein Wort geändert)" in html  # the question, asked again


def test_the_list_action_asks_once_for_the_new_versions(client, login):
    corrected, first = new_version(), release_in(Status.APPROVED)
    login(client, "publisher")
    url = reverse("admin:myths_release_changelist")
    page = client.post(
        url,
        {"action": "publish", helpers.ACTION_CHECKBOX_NAME: [corrected.pk, first.pk], "index": 0},
    )
    html = page.content.decode()
    assert 'name="notice_kind"' in html
    assert re.findall(r'class="new-version">([^<]+)<', html) == [corrected.title]
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    client.post(url, {**data, "notice_kind": Kind.CLARIFICATION, "notice_note": "Period given."})
    for release in (corrected, first):
        release.refresh_from_db()
        assert release.status == Status.PUBLISHED
    notice = ReleaseNotice.objects.get()
    assert (notice.release, notice.kind) == (corrected, Kind.CLARIFICATION)
