"""The test factories themselves: arrange_state reaches every state through the workflow and
never hides a refusal."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from myths.models import Release
from tests.factories import (
    NON_PUBLIC_STATES,
    ReleaseFactory,
    arrange_state,
    non_public_release,
    release_with_content,
)

pytestmark = pytest.mark.django_db
Status = Release.Status


def test_arrange_state_raises_when_the_workflow_refuses():
    release = ReleaseFactory()  # no responses: fails the checklist
    with pytest.raises(ValidationError):
        arrange_state(release, Status.PUBLISHED)
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert release.live_revision is None


def test_arrange_state_goes_through_the_workflow():
    release = arrange_state(release_with_content(), Status.PUBLISHED)
    assert list(release.log_entries.values_list("to_status", flat=True)) == [
        Status.PUBLISHED,
        Status.APPROVED,
        Status.IN_REVIEW,
    ]


def test_a_past_publish_time_is_reached_by_publishing_at_that_moment():
    then = timezone.now() - timedelta(days=3)
    release = arrange_state(release_with_content(), Status.PUBLISHED, publish_at=then)
    assert (release.publish_at, release.first_published_at) == (then, then)
    assert release.log_entries.get(to_status=Status.PUBLISHED).created_at == then


def test_a_scheduled_release_whose_time_has_passed_was_scheduled_before_it():
    due = timezone.now() - timedelta(minutes=5)
    release = arrange_state(release_with_content(), Status.SCHEDULED, publish_at=due)
    assert release.status == Status.SCHEDULED
    assert release.scheduled_revision is not None and release.live_revision is None
    entry = release.log_entries.get(to_status=Status.SCHEDULED)
    assert entry.created_at == due - timedelta(minutes=1)


def test_a_scheduled_release_needs_its_time():
    with pytest.raises(ValueError, match="publish_at"):
        arrange_state(release_with_content(), Status.SCHEDULED)


@pytest.mark.parametrize("state", NON_PUBLIC_STATES)
def test_non_public_releases_are_what_the_workflow_leaves(state):
    release = non_public_release(state)
    assert release not in Release.objects.published()
    if state == "withdrawn":
        assert release.status == Status.WITHDRAWN and release.live_revision is None
    if state == "expired":
        assert release.status == Status.PUBLISHED and release.live_revision is not None


def test_arrange_state_publishes_the_edits_of_a_published_release():
    release = arrange_state(release_with_content(), Status.PUBLISHED)
    first_live = release.live_revision
    Release.objects.filter(pk=release.pk).update(title="Edited after publication")
    release = arrange_state(release, Status.PUBLISHED)
    assert release.live_revision != first_live
    assert release.live_revision.title == "Edited after publication"
