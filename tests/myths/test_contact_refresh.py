"""Contacts that stay true (issue 13, item 5): a change of a contact's details lists the published
releases that show the older ones, and a batch republishes them through the workflow, one log
entry each, under the four-eyes rule, without publishing edits waiting in a working copy."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import ContactChange, PressContact
from contacts.services import contact_details_changed
from myths import workflow
from myths.models import Release, ReleaseNotice, WorkflowLogEntry
from myths.revisions import revision_content
from tests.factories import PressContactFactory, UserFactory, published_release

# Database-sensitive (JSON lookups in the snapshot): also run on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
Status = Release.Status


def change_contact(contact, actor, **details):
    """What the admin does on a save: the new details, recorded with who changed them."""
    before = PressContact.objects.get(pk=contact.pk).details()
    PressContact.objects.filter(pk=contact.pk).update(**details)
    contact.refresh_from_db()
    return contact_details_changed(contact=contact, actor=actor, before=before)


@pytest.fixture
def contact():
    return PressContactFactory(email="old@example.org", spokesperson="Ana Old")


@pytest.fixture
def editor():
    """The publisher who changes the contact."""
    return UserFactory(role="publisher")


@pytest.fixture
def other_publisher():
    return UserFactory(role="publisher")


def test_unchanged_contact_lists_nothing(contact):
    published_release(contact=contact)
    assert not Release.objects.showing_outdated_contact(contact).exists()


def test_changed_contact_lists_the_published_releases_that_show_the_old_details(
    contact, editor, django_assert_num_queries
):
    shown = [published_release(responses=1, contact=contact) for _ in range(2)]
    published_release(responses=1)  # another contact
    withdrawn = published_release(responses=1, contact=contact)
    workflow.release_withdraw(release=withdrawn, actor=editor, comment="Out of date.")
    change_contact(contact, editor, email="new@example.org")
    contact = PressContact.objects.prefetch_related("social_handles").get(pk=contact.pk)
    with django_assert_num_queries(1):  # the snapshots' contact blocks, then the rows
        outdated = Release.objects.showing_outdated_contact(contact)
    with django_assert_num_queries(1):
        assert {r.pk for r in outdated} == {r.pk for r in shown}


def test_a_new_handle_counts_as_a_change(contact, editor):
    published_release(responses=1, contact=contact)
    before = contact.details()
    contact.social_handles.create(network="x", handle="@NewHandle")
    assert contact_details_changed(contact=contact, actor=editor, before=before)
    assert Release.objects.showing_outdated_contact(contact).count() == 1


def test_a_change_of_slug_is_no_change_of_details(contact, editor):
    published_release(responses=1, contact=contact)
    assert change_contact(contact, editor, slug="another-slug") is None
    assert not Release.objects.showing_outdated_contact(contact).exists()


def test_refresh_republishes_only_the_contact_block_with_one_log_entry(
    contact, editor, other_publisher
):
    release = published_release(contact=contact)
    old_live = release.live_revision
    entries_before = release.log_entries.count()
    change_contact(contact, editor, email="new@example.org", spokesperson="Ben New")

    entry = workflow.release_contact_refresh(
        release=release, actor=other_publisher, expected_version=release.version
    )

    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.live_revision_id == entry.revision_id != old_live.pk
    assert release.log_entries.count() == entries_before + 1
    assert (entry.from_status, entry.to_status, entry.actor) == (
        Status.PUBLISHED,
        Status.PUBLISHED,
        other_publisher,
    )
    old, new = revision_content(old_live), revision_content(release.live_revision)
    assert (new.contact.email, new.contact.spokesperson) == ("new@example.org", "Ben New")
    assert new.to_snapshot() | {"contact": None} == old.to_snapshot() | {"contact": None}
    assert not ReleaseNotice.objects.filter(release=release).exists()  # not a correction
    assert not Release.objects.showing_outdated_contact(contact).exists()


def test_whoever_changed_the_contact_may_not_republish_it(contact, editor):
    release = published_release(contact=contact)
    change_contact(contact, editor, email="new@example.org")
    with pytest.raises(ValidationError) as error:
        workflow.release_contact_refresh(release=release, actor=editor)
    assert error.value.code == "self_approval"
    release.refresh_from_db()
    assert revision_content(release.live_revision).contact.email == "old@example.org"


def test_a_change_made_before_the_release_was_published_does_not_bar_its_editor(
    contact, editor, other_publisher
):
    change_contact(contact, editor, email="earlier@example.org")
    release = published_release(contact=contact)
    change_contact(contact, other_publisher, email="new@example.org")
    workflow.release_contact_refresh(release=release, actor=editor)
    release.refresh_from_db()
    assert revision_content(release.live_revision).contact.email == "new@example.org"


@pytest.mark.parametrize("role", ["writer", "reviewer"])
def test_only_a_publisher_may_republish(contact, editor, role):
    release = published_release(contact=contact)
    change_contact(contact, editor, email="new@example.org")
    with pytest.raises(ValidationError) as error:
        workflow.release_contact_refresh(release=release, actor=UserFactory(role=role))
    assert error.value.code == "permission_denied"


def test_a_release_already_up_to_date_is_refused(contact, other_publisher):
    release = published_release(contact=contact)
    with pytest.raises(ValidationError) as error:
        workflow.release_contact_refresh(release=release, actor=other_publisher)
    assert error.value.code == "up_to_date"


def test_a_stale_version_is_refused_and_nothing_is_recorded(contact, editor, other_publisher):
    release = published_release(contact=contact)
    seen = release.version
    change_contact(contact, editor, email="new@example.org")
    Release.objects.filter(pk=release.pk).update(version=seen + 1)  # someone saved meanwhile
    revisions = release.revisions.count()
    with pytest.raises(ValidationError) as error:
        workflow.release_contact_refresh(
            release=release, actor=other_publisher, expected_version=seen
        )
    assert error.value.code == "conflict"
    assert release.revisions.count() == revisions
    release.refresh_from_db()
    assert revision_content(release.live_revision).contact.email == "old@example.org"


def test_unpublished_edits_stay_unpublished_and_stay_the_working_copy(
    contact, editor, other_publisher
):
    release = published_release(contact=contact)
    writer = UserFactory(role="writer")
    Release.objects.filter(pk=release.pk).update(title="A new title waiting for review")
    release.refresh_from_db()
    draft = workflow.release_edit_saved(release=release, actor=writer)
    release.refresh_from_db()
    assert release.status == Status.DRAFT and release.live_revision_id

    change_contact(contact, editor, email="new@example.org")
    workflow.release_contact_refresh(release=release, actor=other_publisher)

    release.refresh_from_db()
    public = revision_content(release.live_revision)
    assert public.title != "A new title waiting for review"
    assert public.contact.email == "new@example.org"
    latest = workflow.latest_revision(release)
    assert latest.pk not in (draft.pk, release.live_revision_id)
    assert latest.author == writer  # still the writer's text to the four-eyes rule
    working = revision_content(latest)
    assert (working.title, working.contact.email) == (
        "A new title waiting for review",
        "new@example.org",
    )
    assert release.status == Status.DRAFT
    assert not release.written_in_part_by(other_publisher)


def test_batch_reports_each_release_and_goes_on_after_a_refusal(contact, editor, other_publisher):
    first, second, third = (published_release(responses=1, contact=contact) for _ in range(3))
    change_contact(contact, editor, email="new@example.org")
    versions = {first.pk: first.version, second.pk: second.version - 1, third.pk: third.version}

    outcome = workflow.contact_releases_refresh(
        contact=contact, actor=other_publisher, versions=versions
    )

    assert sorted(e.release_id for e in outcome.refreshed) == sorted([first.pk, third.pk])
    assert [(r.pk, "someone else" in why) for r, why in outcome.refused] == [(second.pk, True)]
    for release in (first, third):
        comments = WorkflowLogEntry.objects.filter(release=release, actor=other_publisher)
        assert comments.count() == 1
        assert "nothing else changed" in comments.get().comment
    assert list(Release.objects.showing_outdated_contact(contact)) == [
        Release.objects.get(pk=second.pk)
    ]


def test_batch_refuses_a_release_that_does_not_show_the_contact(contact, editor, other_publisher):
    elsewhere = published_release(responses=1)
    change_contact(contact, editor, email="new@example.org")
    outcome = workflow.contact_releases_refresh(
        contact=contact, actor=other_publisher, versions={elsewhere.pk: elsewhere.version}
    )
    assert outcome.refreshed == []
    assert [r.pk for r, _why in outcome.refused] == [elsewhere.pk]


# --- The admin ----------------------------------------------------------------------------------


def contact_form_data(contact, **overrides):
    data = {
        "organisation": contact.organisation,
        "division": contact.division,
        "section": contact.section,
        "slug": contact.slug,
        "spokesperson": contact.spokesperson,
        "spokesperson_role": contact.spokesperson_role,
        "phone": contact.phone,
        "phone_label": contact.phone_label,
        "second_phone": contact.second_phone,
        "second_phone_label": contact.second_phone_label,
        "email": contact.email,
        "website": contact.website,
        "social_handles-TOTAL_FORMS": "0",
        "social_handles-INITIAL_FORMS": "0",
        "social_handles-MIN_NUM_FORMS": "0",
        "social_handles-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


def outdated_url(contact):
    return reverse("admin:contacts_presscontact_outdated_releases", args=[contact.pk])


def test_admin_change_records_who_and_lists_the_affected_releases(client, contact, editor):
    release = published_release(contact=contact)
    client.force_login(editor)
    url = reverse("admin:contacts_presscontact_change", args=[contact.pk])

    response = client.post(url, contact_form_data(contact, email="new@example.org"))

    assert response.status_code == 302 and response["Location"] == outdated_url(contact)
    change = ContactChange.objects.get(contact=contact)
    assert (change.actor, change.before["email"], change.after["email"]) == (
        editor,
        "old@example.org",
        "new@example.org",
    )
    page = client.get(outdated_url(contact))
    assert release.title in page.content.decode()
    assert "old@example.org" in page.content.decode()
    assert "another publisher must republish" in page.content.decode()  # four-eyes, shown
    assert client.get(url).context["outdated_count"] == 1


def test_admin_unchanged_save_records_nothing_and_goes_back_to_the_list(client, contact, editor):
    published_release(contact=contact)
    client.force_login(editor)
    url = reverse("admin:contacts_presscontact_change", args=[contact.pk])
    response = client.post(url, contact_form_data(contact))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:contacts_presscontact_changelist")
    assert not ContactChange.objects.exists()


def test_admin_batch_by_another_publisher(client, contact, editor, other_publisher):
    releases = [published_release(responses=1, contact=contact) for _ in range(2)]
    change_contact(contact, editor, email="new@example.org")
    client.force_login(other_publisher)
    data = {"release": [str(r.pk) for r in releases]} | {
        f"version-{r.pk}": str(r.version) for r in releases
    }

    response = client.post(outdated_url(contact), data, follow=True)

    text = response.content.decode()
    assert "2 releases republished with the contact" in text
    assert "Every published release shows this contact" in text
    for release in releases:
        release.refresh_from_db()
        assert revision_content(release.live_revision).contact.email == "new@example.org"


def test_admin_batch_by_the_editor_lists_the_refusals(client, contact, editor):
    release = published_release(responses=1, contact=contact)
    change_contact(contact, editor, email="new@example.org")
    client.force_login(editor)
    data = {"release": [str(release.pk)], f"version-{release.pk}": str(release.version)}
    response = client.post(outdated_url(contact), data, follow=True)
    text = response.content.decode()
    assert "1 release was not republished" in text
    assert "four-eyes rule" in text
    release.refresh_from_db()
    assert revision_content(release.live_revision).contact.email == "old@example.org"


@pytest.mark.parametrize("role", ["writer", "reviewer", "nobody"])
def test_admin_batch_needs_a_publisher(client, login, contact, editor, role):
    release = published_release(responses=1, contact=contact)
    change_contact(contact, editor, email="new@example.org")
    login(client, role)
    data = {"release": [str(release.pk)], f"version-{release.pk}": str(release.version)}
    assert client.post(outdated_url(contact), data).status_code == 403
    release.refresh_from_db()
    assert revision_content(release.live_revision).contact.email == "old@example.org"
