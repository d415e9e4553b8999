"""The public index (myths/public_index.py): kept by the workflow in every transition that changes
what the public sees, equal to a rebuild from the releases, and read by published()."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from myths import workflow
from myths.models import PublicRelease, PublicReleaseCount, Release
from myths.public_index import ENTRY_FIELDS, public_index_refresh
from tests.factories.content import TopicFactory, release_with_content
from tests.factories.states import arrange_state, published_release

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
Status = Release.Status


def entries():
    """The whole index as comparable tuples."""
    return sorted(
        (entry.release_id, *(getattr(entry, name) for name in ENTRY_FIELDS))
        for entry in PublicRelease.objects.all()
    )


def counts():
    return sorted(
        PublicReleaseCount.objects.exclude(count=0).values_list(
            "topic_slug", "language", "topic_name", "count"
        )
    )


def with_topic(release, name):
    topic = TopicFactory(name=name)
    for response in release.responses.all():
        response.claim.topics.add(topic)
    return topic


def test_publishing_writes_the_revision_into_one_entry():
    release = release_with_content(responses=3, title="Harbour facts", language="fr")
    topic = with_topic(release, "Harbour")
    release = arrange_state(release, Status.PUBLISHED)
    entry = PublicRelease.objects.get(release=release)
    assert entry.revision_id == release.live_revision_id
    assert (entry.title, entry.language, entry.myth_count) == ("Harbour facts", "fr", 3)
    assert entry.topic_slugs == f"|{topic.slug}|"
    assert entry.visible_from is None and entry.visible_until is None
    assert entry.public_date == release.first_published_at
    snapshot = PublicReleaseCount.objects.snapshot()
    assert snapshot.count() == 1 and snapshot.count(topic=topic.slug, language="fr") == 1
    assert snapshot.count(language="en") == 0
    assert snapshot.topic_choices() == [(topic.slug, "Harbour")]


def test_a_draft_has_no_entry_and_is_not_published():
    release = arrange_state(release_with_content(), Status.APPROVED)
    assert not PublicRelease.objects.exists()
    # The open bounds test for NULL: the join to the index must stay an inner one.
    assert release not in Release.objects.published()


def test_withdrawing_removes_the_entry_and_its_counts():
    release = published_release(responses=1)
    with_topic(release, "Water")
    publisher = release.log_entries.get(to_status=Status.PUBLISHED).actor
    workflow.release_withdraw(release=release, actor=publisher, comment="Legal request.")
    assert not PublicRelease.objects.exists()
    assert counts() == []
    assert PublicReleaseCount.objects.snapshot().topic_choices() == []


def test_a_scheduled_release_is_indexed_ahead_and_shows_at_its_time(time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    release = release_with_content(responses=1)
    topic = with_topic(release, "Grain")
    release = arrange_state(release, Status.SCHEDULED, publish_at=now + timedelta(hours=1))
    entry = PublicRelease.objects.get(release=release)
    assert entry.visible_from == release.publish_at and entry.visible_until is None
    assert release not in Release.objects.published()
    assert PublicReleaseCount.objects.snapshot().count() == 0
    assert PublicReleaseCount.objects.snapshot().topic_choices() == []
    assert PublicRelease.objects.next_change(now) == release.publish_at
    time_machine.move_to(now + timedelta(hours=1), tick=False)
    assert release in Release.objects.published()
    assert PublicReleaseCount.objects.snapshot().count(topic=topic.slug) == 1


def test_editing_a_scheduled_release_takes_its_waiting_entry_away(time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    release = arrange_state(
        release_with_content(responses=1), Status.SCHEDULED, publish_at=now + timedelta(hours=1)
    )
    Release.objects.filter(pk=release.pk).update(title="Changed while scheduled")
    workflow.release_edit_saved(release=release, actor=release.created_by)
    assert Release.objects.get(pk=release.pk).status == Status.DRAFT
    assert not PublicRelease.objects.exists()
    time_machine.move_to(now + timedelta(hours=2), tick=False)
    assert release not in Release.objects.published()


def test_a_live_release_with_a_new_version_scheduled_has_two_windows(time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    release = published_release(responses=1)
    live = release.live_revision_id
    Release.objects.filter(pk=release.pk).update(title="The second version")
    release = arrange_state(release, Status.SCHEDULED, publish_at=now + timedelta(hours=1))
    windows = list(
        PublicRelease.objects.filter(release=release)
        .order_by("revision_id")
        .values_list("revision_id", "visible_from", "visible_until")
    )
    assert windows == [
        (live, None, release.publish_at),
        (release.scheduled_revision_id, release.publish_at, None),
    ]
    assert Release.objects.published().get().public_revision_id == live
    time_machine.move_to(now + timedelta(hours=1), tick=False)
    shown = Release.objects.published().with_public_text().get()
    assert (shown.public_revision_id, shown.public_title) == (
        release.scheduled_revision_id,
        "The second version",
    )
    assert PublicReleaseCount.objects.snapshot().count() == 1


def test_the_expiry_time_closes_the_window(time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    release = published_release(responses=1)
    Release.objects.filter(pk=release.pk).update(expire_at=now + timedelta(days=1))
    workflow.release_edit_saved(
        release=release, actor=release.created_by, changed_fields={"expire_at"}
    )
    assert PublicRelease.objects.get().visible_until == now + timedelta(days=1)
    assert PublicRelease.objects.next_change(now) == now + timedelta(days=1)
    time_machine.move_to(now + timedelta(days=1), tick=False)
    assert release not in Release.objects.published()
    assert PublicReleaseCount.objects.snapshot().count() == 0
    assert PublicRelease.objects.next_change(timezone.now()) is None


def test_the_rebuild_equals_what_the_workflow_kept_and_is_idempotent(time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    for language in ("en", "fr"):
        release = release_with_content(responses=2, language=language)
        with_topic(release, f"Topic {language}")
        arrange_state(release, Status.PUBLISHED)
    arrange_state(release_with_content(), Status.SCHEDULED, publish_at=now + timedelta(hours=3))
    arrange_state(release_with_content(), Status.WITHDRAWN)
    arrange_state(release_with_content(), Status.IN_REVIEW)
    kept_entries, kept_counts = entries(), counts()
    assert len(kept_entries) == 3
    call_command("refresh_public_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (entries(), counts()) == (kept_entries, kept_counts)
    call_command("refresh_public_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (entries(), counts()) == (kept_entries, kept_counts)


def test_a_refresh_with_nothing_changed_writes_nothing(django_assert_num_queries):
    release = published_release(responses=1)
    # The release's row, its revision and answers, the entries it has: no write.
    with django_assert_num_queries(4):
        assert public_index_refresh(release=release) is False


def test_a_release_moved_behind_the_workflows_back_is_repaired_by_the_rebuild():
    # A state the workflow cannot produce: withdrawn with its live revision left. published()
    # checks the status all the same, and the rebuild leaves it out of the index.
    release = published_release(responses=1)
    Release.objects.filter(pk=release.pk).update(status=Status.WITHDRAWN)
    assert release not in Release.objects.published()
    call_command("refresh_public_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not PublicRelease.objects.exists() and counts() == []
