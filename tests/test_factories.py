"""The test factories themselves: arrange_state must not hide a workflow refusal."""

import pytest
from django.core.exceptions import ValidationError

from myths.models import Release
from tests.factories import ReleaseFactory, arrange_state, release_with_content

pytestmark = pytest.mark.django_db
Status = Release.Status


def test_arrange_state_raises_when_the_workflow_refuses():
    release = ReleaseFactory()  # no responses: fails the checklist
    with pytest.raises(ValidationError):
        arrange_state(release, Status.PUBLISHED)
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert release.live_revision is None


def test_arrange_state_writes_the_rows_directly_only_when_forced():
    release = arrange_state(ReleaseFactory(), Status.PUBLISHED, force=True)
    assert release.status == Status.PUBLISHED
    assert release.live_revision is not None
    assert release.first_published_at is not None


def test_arrange_state_goes_through_the_workflow():
    release = arrange_state(release_with_content(), Status.PUBLISHED)
    assert list(release.log_entries.values_list("to_status", flat=True)) == [
        Status.PUBLISHED,
        Status.APPROVED,
        Status.IN_REVIEW,
    ]
