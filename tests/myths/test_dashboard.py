"""The admin index per role (myths/templatetags/workflow_admin.py) and workflow actions in
Django's admin log, so "Recent actions" tells the truth."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from django.utils import timezone

from myths import workflow
from myths.models import Release
from myths.templatetags.workflow_admin import workflow_dashboard
from tests.factories import UserFactory, arrange_state, release_with_content

pytestmark = pytest.mark.django_db
Status = Release.Status


def release_in(status, writer, **kwargs):
    return arrange_state(release_with_content(), status, author=writer, **kwargs)


def test_each_role_sees_its_lists(writer, reviewer, publisher):
    mine = release_with_content(created_by=writer)
    release_with_content(created_by=UserFactory(role="writer"))  # someone else's draft
    in_review = release_in(Status.IN_REVIEW, writer)
    scheduled = release_in(Status.SCHEDULED, writer, publish_at=timezone.now() + timedelta(days=2))
    published = release_in(Status.PUBLISHED, writer)

    for_writer = workflow_dashboard(writer)
    assert for_writer["my_drafts"] == [mine]
    assert for_writer["scheduled"] == for_writer["recently_published"] == []
    for_reviewer = workflow_dashboard(reviewer)
    assert for_reviewer["awaiting_review"] == [in_review]
    assert for_reviewer["awaiting_review"][0].submitted_by_name == writer.username
    assert for_reviewer["my_drafts"] == []
    for_publisher = workflow_dashboard(publisher)
    assert for_publisher["scheduled"] == [scheduled]
    assert for_publisher["recently_published"] == [published]


def test_the_index_shows_comment_submitter_and_empty_states(client, writer, reviewer):
    sent_back = arrange_state(
        release_with_content(created_by=writer), Status.IN_REVIEW, author=writer
    )
    workflow.release_request_changes(
        release=sent_back, actor=reviewer, comment="Myth 2 needs the date."
    )
    client.force_login(writer)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Myth 2 needs the date." in html
    assert "No drafts. Start one with “Add release”." in html  # listed once, as sent back
    client.force_login(reviewer)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Nothing awaits your review." in html
    assert "Nothing sent back: no reviewer is waiting on you." in html


@pytest.mark.postgres
def test_the_index_query_count_is_bounded(client, django_assert_max_num_queries, publisher):
    for status in (Status.SCHEDULED, Status.PUBLISHED, Status.APPROVED):
        for _ in range(3):
            kwargs = {"publish_at": timezone.now() + timedelta(days=1)}
            release_in(
                status, UserFactory(role="writer"), **(kwargs if status == Status.SCHEDULED else {})
            )
    client.force_login(publisher)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:index")).status_code == 200


def test_a_transition_button_is_recorded_in_the_admin_log(client, writer):
    release = release_in(Status.DRAFT, writer)
    client.force_login(writer)
    url = reverse("admin:myths_release_change", args=[release.pk])
    client.post(
        url,
        {
            "CHANGE_FORM-action": "submit",
            "index": "0",
            "version_marker": release.version,
            "_selected_action": release.pk,
        },
    )
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    entry = LogEntry.objects.get(object_id=str(release.pk))
    assert entry.user == writer and entry.action_flag == CHANGE
    assert "Submit for review" in entry.get_change_message()
    index = client.get(reverse("admin:index")).content.decode()
    recent = index[index.index('id="recent-actions-module"') :]
    assert release.title in recent


def test_a_refused_transition_is_not_logged(client, writer):
    release = release_in(Status.DRAFT, writer)
    client.force_login(writer)
    url = reverse("admin:myths_release_change", args=[release.pk])
    client.post(
        url,
        {
            "CHANGE_FORM-action": "submit",
            "index": "0",
            "version_marker": release.version - 1,
            "_selected_action": release.pk,
        },
    )
    assert not LogEntry.objects.exists()
