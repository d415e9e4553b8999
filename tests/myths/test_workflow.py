"""myths.workflow: every transition allowed, from the wrong state, and without permission; the
checklist; four-eyes; races; scheduling and expiry; edits; notifications."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import close_old_connections
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.cache import public_generation
from myths import workflow
from myths.models import Release, Revision, WorkflowLogEntry
from myths.revisions import revision_create
from myths.templatetags.workflow_admin import workflow_dashboard
from tests.factories import (
    FigureFactory,
    ReleaseFactory,
    ResponseFactory,
    UserFactory,
    arrange_state,
    ensure_roles,
    release_with_content,
)

pytestmark = pytest.mark.django_db
Status = Release.Status


def edit(release, title="An edited title"):
    """Change the working copy's content, as an admin save would before release_edit_saved."""
    Release.objects.filter(pk=release.pk).update(title=title)


def release_in(status, writer, **kwargs):
    release = release_with_content()
    return arrange_state(release, status, author=writer, **kwargs)


def snapshot(release):
    """Everything a refused transition must leave alone."""
    release.refresh_from_db()
    return (
        release.status,
        release.version,
        release.live_revision_id,
        release.scheduled_revision_id,
        release.first_published_at,
        WorkflowLogEntry.objects.filter(release=release).count(),
    )


# --- Every transition: allowed, wrong state, permission denied ---------------------------------

CASES = [
    # transition, start, allowed role, end, comment
    ("submit", Status.DRAFT, "writer", Status.IN_REVIEW, ""),
    ("request_changes", Status.IN_REVIEW, "reviewer", Status.DRAFT, "Myth 2 needs a source."),
    ("approve", Status.IN_REVIEW, "reviewer", Status.APPROVED, ""),
    ("publish", Status.APPROVED, "publisher", Status.PUBLISHED, ""),
    ("withdraw", Status.PUBLISHED, "publisher", Status.WITHDRAWN, "Superseded."),
    ("withdraw", Status.SCHEDULED, "publisher", Status.WITHDRAWN, "Cancelled."),
    ("reopen", Status.WITHDRAWN, "publisher", Status.DRAFT, ""),
    ("reopen", Status.WITHDRAWN, "writer", Status.DRAFT, ""),
]


def arrange(start, writer):
    if start == Status.SCHEDULED:
        return release_in(start, writer, publish_at=timezone.now() + timedelta(days=2))
    return release_in(start, writer)


@pytest.mark.parametrize(("name", "start", "role", "end", "comment"), CASES)
def test_transition_allowed(name, start, role, end, comment, writer, reviewer, publisher):
    actor = {"writer": writer, "reviewer": reviewer, "publisher": publisher}[role]
    release = arrange(start, writer)
    before = release.version
    entry = workflow.release_transition(
        release=release, actor=actor, transition=name, comment=comment
    )
    release.refresh_from_db()
    assert release.status == end
    assert release.version == before + 1
    assert (entry.from_status, entry.to_status, entry.actor, entry.comment) == (
        start,
        end,
        actor,
        comment,
    )
    assert release.log_entries.filter(to_status=end, actor=actor).count() >= 1


@pytest.mark.parametrize(("name", "start", "role", "end", "comment"), CASES)
def test_transition_from_wrong_state_changes_nothing(
    name, start, role, end, comment, writer, reviewer, publisher
):
    actor = {"writer": writer, "reviewer": reviewer, "publisher": publisher}[role]
    wrong = {
        "submit": Status.APPROVED,
        "request_changes": Status.DRAFT,
        "approve": Status.DRAFT,
        "publish": Status.IN_REVIEW,
        "withdraw": Status.DRAFT,
        "reopen": Status.PUBLISHED,
    }[name]
    release = arrange(wrong, writer)
    before = snapshot(release)
    with pytest.raises(ValidationError) as exc:
        workflow.release_transition(release=release, actor=actor, transition=name, comment="x")
    assert exc.value.code == "wrong_state"
    assert snapshot(release) == before


@pytest.mark.parametrize(("name", "start", "role", "end", "comment"), CASES)
def test_transition_without_permission_changes_nothing(
    name, start, role, end, comment, writer, reviewer, publisher
):
    release = arrange(start, writer)
    outsiders = [
        u
        for u in (writer, reviewer, publisher, UserFactory(is_staff=False))
        if not workflow.may(u, name)
    ]
    assert outsiders
    for outsider in outsiders:
        before = snapshot(release)
        with pytest.raises(ValidationError) as exc:
            workflow.release_transition(
                release=release, actor=outsider, transition=name, comment="x"
            )
        assert exc.value.code == "permission_denied"
        assert snapshot(release) == before


def test_superuser_may_run_every_transition(writer):
    boss = UserFactory(is_superuser=True)
    release = release_in(Status.DRAFT, writer)
    for name, comment in [
        ("submit", ""),
        ("request_changes", "Tighten the lede."),
        ("submit", ""),
        ("approve", ""),
        ("publish", ""),
        ("withdraw", "Error in Myth 1."),
        ("reopen", ""),
    ]:
        if name == "approve":
            revision_create(release=release, author=writer)  # boss submitted; writer saved last
        workflow.release_transition(release=release, actor=boss, transition=name, comment=comment)
    assert release.status == Status.DRAFT
    assert release.log_entries.count() == 7


def test_inactive_user_may_do_nothing(writer):
    writer.is_active = False
    writer.save()
    release = release_in(Status.DRAFT, UserFactory(role="writer"))
    with pytest.raises(ValidationError) as exc:
        workflow.release_submit(release=release, actor=writer)
    assert exc.value.code == "permission_denied"


@pytest.mark.parametrize("name", ["request_changes", "withdraw"])
@pytest.mark.parametrize("comment", ["", "   \n "])
def test_reasons_are_required(name, comment, writer, reviewer, publisher):
    start = Status.IN_REVIEW if name == "request_changes" else Status.PUBLISHED
    actor = reviewer if name == "request_changes" else publisher
    release = release_in(start, writer)
    before = snapshot(release)
    with pytest.raises(ValidationError) as exc:
        workflow.release_transition(release=release, actor=actor, transition=name, comment=comment)
    assert exc.value.code == "comment_required"
    assert snapshot(release) == before


# --- Checklist -------------------------------------------------------------------------------


def test_checklist_lists_every_problem_and_blocks_submit(writer):
    release = ReleaseFactory(contact=None)
    response = ResponseFactory(release=release, verdict="")
    FigureFactory(response=response, alt_text="", credit=" ")
    revision_create(release=release, author=writer)
    with pytest.raises(ValidationError) as exc:
        workflow.release_submit(release=release, actor=writer)
    codes = sorted(e.code for e in exc.value.error_list)
    assert codes == ["no_alt_text", "no_contact", "no_credit", "no_verdict"]
    assert any("Myth 1, figure 1 has no alt text" in m for m in exc.value.messages)
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert not release.log_entries.exists()


def test_checklist_refuses_an_empty_release(writer):
    release = ReleaseFactory()
    with pytest.raises(ValidationError) as exc:
        workflow.release_submit(release=release, actor=writer)
    assert [e.code for e in exc.value.error_list] == ["no_responses"]


def test_checklist_runs_on_approve_and_publish_too(writer, reviewer, publisher):
    release = release_in(Status.IN_REVIEW, writer)
    # A revision saved while in review without alt text (e.g. through another path).
    release.responses.first().figures.update(alt_text="")
    revision_create(release=release, author=writer)
    with pytest.raises(ValidationError) as exc:
        workflow.release_approve(release=release, actor=reviewer)
    assert [e.code for e in exc.value.error_list] == ["no_alt_text"]

    approved = release_in(Status.APPROVED, writer)
    approved.responses.update(verdict="")
    revision_create(release=approved, author=writer)
    with pytest.raises(ValidationError) as exc:
        workflow.release_publish(release=approved, actor=publisher)
    assert {e.code for e in exc.value.error_list} == {"no_verdict"}
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.live_revision is None


def test_submit_records_a_revision_when_there_is_none(writer):
    release = release_with_content()
    assert not release.revisions.exists()
    entry = workflow.release_submit(release=release, actor=writer)
    assert entry.revision == release.revisions.get()
    assert entry.revision.author == writer


# --- Four-eyes ---------------------------------------------------------------------------------


def test_reviewer_may_not_approve_what_they_saved_last(writer, reviewer):
    release = release_in(Status.IN_REVIEW, writer)
    revision_create(release=release, author=reviewer)  # the reviewer fixed a typo
    before = snapshot(release)
    with pytest.raises(ValidationError) as exc:
        workflow.release_approve(release=release, actor=reviewer)
    assert exc.value.code == "self_approval"
    assert snapshot(release) == before
    # Another reviewer may.
    workflow.release_approve(release=release, actor=UserFactory(role="reviewer"))
    assert release.status == Status.APPROVED


def test_an_unchanged_save_records_no_revision(writer, reviewer):
    release = release_in(Status.IN_REVIEW, writer)
    edit(release, "The reviewer's title")
    mine = workflow.release_edit_saved(release=release, actor=reviewer)
    count, version = release.revisions.count(), release.version
    again = workflow.release_edit_saved(release=release, actor=writer)
    assert again == mine
    assert release.revisions.count() == count
    assert release.version == version + 1  # still a save: other open forms are stale
    assert release.revisions.order_by("-number").first().author == reviewer


def test_an_unchanged_save_by_the_writer_does_not_launder_the_reviewers_text(writer, reviewer):
    """The reviewer rewrites the title, the writer saves without changing anything: the text
    is still the reviewer's, so the reviewer may not approve it."""
    release = release_in(Status.IN_REVIEW, writer)
    edit(release, "The reviewer's title")
    workflow.release_edit_saved(release=release, actor=reviewer)
    workflow.release_edit_saved(release=release, actor=writer)
    before = snapshot(release)
    with pytest.raises(ValidationError) as exc:
        workflow.release_approve(release=release, actor=reviewer)
    assert exc.value.code == "self_approval"
    assert snapshot(release) == before


def test_a_reviewer_who_changed_the_text_since_submission_may_not_approve(writer, reviewer):
    """Even when the writer changed something else afterwards (the reviewer's title stays)."""
    release = release_in(Status.IN_REVIEW, writer)
    edit(release, "The reviewer's title")
    workflow.release_edit_saved(release=release, actor=reviewer)
    Release.objects.filter(pk=release.pk).update(lede="The writer's lede.")
    workflow.release_edit_saved(release=release, actor=writer)
    assert release.revisions.order_by("-number").first().author == writer
    before = snapshot(release)
    with pytest.raises(ValidationError) as exc:
        workflow.release_approve(release=release, actor=reviewer)
    assert exc.value.code == "self_approval"
    assert snapshot(release) == before
    # A reviewer who wrote nothing may.
    workflow.release_approve(release=release, actor=UserFactory(role="reviewer"))
    assert release.status == Status.APPROVED


def test_edits_before_an_earlier_submission_still_count_until_approval(writer, reviewer):
    """Issue 9, item 7: a send-back and a resubmission do not wipe the reviewer's authorship;
    only an approval or a publication starts a new round."""
    release = release_in(Status.IN_REVIEW, writer)
    edit(release, "The reviewer's title")
    workflow.release_edit_saved(release=release, actor=reviewer)
    workflow.release_request_changes(release=release, actor=reviewer, comment="Lede, please.")
    edit(release, "The writer's own title again")
    workflow.release_edit_saved(release=release, actor=writer)
    workflow.release_submit(release=release, actor=writer)
    with pytest.raises(ValidationError) as exc:
        workflow.release_approve(release=release, actor=reviewer)
    assert exc.value.code == "self_approval"
    workflow.release_approve(release=release, actor=UserFactory(role="reviewer"))
    assert release.status == Status.APPROVED


def test_edits_before_the_last_approval_do_not_block_a_later_review(writer, reviewer):
    release = release_in(Status.IN_REVIEW, writer)
    edit(release, "The reviewer's title")
    workflow.release_edit_saved(release=release, actor=reviewer)
    workflow.release_approve(release=release, actor=UserFactory(role="reviewer"))
    edit(release, "The writer's title after approval")
    workflow.release_edit_saved(release=release, actor=writer)
    workflow.release_submit(release=release, actor=writer)
    workflow.release_approve(release=release, actor=reviewer)
    assert release.status == Status.APPROVED


def test_self_approval_setting_lifts_the_four_eyes_rule(settings, writer, reviewer):
    settings.PRESSDESK_ALLOW_SELF_APPROVAL = True
    release = release_in(Status.IN_REVIEW, writer)
    revision_create(release=release, author=reviewer)
    workflow.release_approve(release=release, actor=reviewer)
    assert release.status == Status.APPROVED


# --- Race safety ---------------------------------------------------------------------------------


@pytest.mark.postgres
def test_two_transitions_on_stale_copies_give_one_transition_and_one_log_row(
    writer, reviewer, publisher
):
    """The conditional UPDATE (works on SQLite, which ignores select_for_update)."""
    release = release_in(Status.IN_REVIEW, writer)
    mine, theirs = Release.objects.get(pk=release.pk), Release.objects.get(pk=release.pk)
    workflow.release_approve(release=mine, actor=reviewer)
    with pytest.raises(ValidationError) as exc:
        workflow.release_request_changes(
            release=theirs, actor=UserFactory(role="reviewer"), comment="No."
        )
    assert exc.value.code == "conflict"
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    assert release.log_entries.filter(from_status=Status.IN_REVIEW).count() == 1


@pytest.mark.parametrize(("name", "start", "role", "end", "comment"), CASES)
def test_transition_refuses_a_stale_expected_version_and_takes_the_right_one(
    name, start, role, end, comment, writer, reviewer, publisher
):
    actor = {"writer": writer, "reviewer": reviewer, "publisher": publisher}[role]
    release = arrange(start, writer)
    seen = release.version
    before = snapshot(release)
    for stale in (seen - 1, seen + 1):
        with pytest.raises(ValidationError) as exc:
            workflow.release_transition(
                release=release,
                actor=actor,
                transition=name,
                comment=comment,
                expected_version=stale,
            )
        assert exc.value.code == "conflict"
        assert snapshot(release) == before
    workflow.release_transition(
        release=release, actor=actor, transition=name, comment=comment, expected_version=seen
    )
    release.refresh_from_db()
    assert (release.status, release.version) == (end, seen + 1)


def test_the_expected_version_decides_not_the_instance(writer, reviewer):
    """An unchanged save since the instance was read: the version the actor saw is what counts."""
    release = release_in(Status.IN_REVIEW, writer)
    read_at = release.version
    Release.objects.filter(pk=release.pk).update(version=F("version") + 1)
    with pytest.raises(ValidationError) as exc:
        workflow.release_approve(release=release, actor=reviewer, expected_version=read_at)
    assert exc.value.code == "conflict"
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW
    workflow.release_approve(release=release, actor=reviewer, expected_version=read_at + 1)
    assert Release.objects.get(pk=release.pk).status == Status.APPROVED


@pytest.mark.parametrize(("name", "start", "role", "end", "comment"), CASES)
def test_each_transition_records_the_revision_transition_target_names(
    name, start, role, end, comment, writer, reviewer, publisher
):
    actor = {"writer": writer, "reviewer": reviewer, "publisher": publisher}[role]
    release = arrange(start, writer)
    target = workflow.transition_target(release, name)
    assert target is not None
    entry = workflow.release_transition(
        release=release, actor=actor, transition=name, comment=comment
    )
    assert entry.revision == target


def test_transition_target_of_a_scheduled_release_with_an_edit_live(writer, publisher):
    """Withdraw acts on what the public sees; publish on the scheduled, approved revision."""
    release = release_in(Status.PUBLISHED, writer)
    live = release.live_revision
    edit(release)
    workflow.release_edit_saved(release=release, actor=writer)
    assert workflow.transition_target(release, "withdraw") == live
    assert workflow.transition_target(release, "submit") == workflow.latest_revision(release)
    assert workflow.latest_revision(release) != live
    scheduled = release_in(Status.SCHEDULED, writer, publish_at=timezone.now() + timedelta(days=2))
    assert workflow.transition_target(scheduled, "publish") == scheduled.scheduled_revision
    assert workflow.transition_target(scheduled, "withdraw") == scheduled.scheduled_revision


@pytest.mark.django_db(transaction=True)
@pytest.mark.database("postgresql")  # two threads need two real connections to one database
def test_two_threads_publishing_at_once_one_wins():
    ensure_roles()
    writer = UserFactory(role="writer")
    release = release_in(Status.APPROVED, writer)
    publishers = [UserFactory(role="publisher") for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes, read_before_either_wrote = [], []

    def act(user):
        try:
            copy = Release.objects.get(pk=release.pk)
            barrier.wait(timeout=10)
            read_before_either_wrote.append(copy.status)
            workflow.release_publish(release=copy, actor=user)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=act, args=(u,)) for u in publishers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # The race happened: both threads read the release as approved before either published.
    assert read_before_either_wrote == [Status.APPROVED, Status.APPROVED]
    assert sorted(outcomes) == ["conflict", "ok"]
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.log_entries.filter(to_status=Status.PUBLISHED).count() == 1


# --- Publishing, scheduling, expiry --------------------------------------------------------------


def test_publish_now_makes_the_latest_revision_live(writer, publisher, time_machine):
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    release = release_in(Status.APPROVED, writer)
    latest = release.revisions.order_by("-number").first()
    generation = public_generation()
    workflow.release_publish(release=release, actor=publisher)
    assert release.status == Status.PUBLISHED
    assert release.live_revision == latest
    assert release.first_published_at == timezone.now()
    assert Release.objects.published().get().public_revision_id == latest.pk
    # The public generation moves in the transition's own transaction.
    assert public_generation() == generation + 1


def test_republishing_keeps_the_first_publication_date(writer, reviewer, publisher, time_machine):
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    release = release_in(Status.PUBLISHED, writer)
    first = release.first_published_at
    time_machine.move_to("2026-04-01 09:00:00+00:00", tick=False)
    edit(release)
    workflow.release_edit_saved(release=release, actor=writer)
    workflow.release_submit(release=release, actor=writer)
    workflow.release_approve(release=release, actor=reviewer)
    workflow.release_publish(
        release=release, actor=publisher, notice_kind="correction", notice_note="Title fixed."
    )
    assert release.first_published_at == first


@pytest.mark.postgres
def test_scheduled_release_is_invisible_before_and_visible_after(
    client, writer, publisher, time_machine
):
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    release = release_in(Status.APPROVED, writer)
    Release.objects.filter(pk=release.pk).update(publish_at=timezone.now() + timedelta(hours=3))
    release.refresh_from_db()
    workflow.release_publish(release=release, actor=publisher)
    assert release.status == Status.SCHEDULED
    assert release.scheduled_revision is not None and release.live_revision is None
    url = reverse("myths:release-detail", kwargs={"slug": release.slug})
    assert not Release.objects.published().exists()
    assert client.get(url).status_code == 404

    time_machine.move_to("2026-03-01 12:00:01+00:00", tick=False)
    # No cron job has run: the queryset alone makes it public.
    assert Release.objects.published().get().public_revision_id == release.scheduled_revision_id
    assert client.get(url).status_code == 200

    entries = workflow.publish_due()
    assert [(e.from_status, e.to_status, e.actor) for e in entries] == [
        (Status.SCHEDULED, Status.PUBLISHED, None)
    ]
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.live_revision_id == entries[0].revision_id
    assert release.scheduled_revision is None
    assert release.first_published_at == release.publish_at
    assert workflow.publish_due() == []  # idempotent


@pytest.mark.postgres
def test_publish_scheduled_command_publishes_and_expires(writer, time_machine):
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    due = release_in(Status.SCHEDULED, writer, publish_at=timezone.now() + timedelta(hours=1))
    later = release_in(Status.SCHEDULED, writer, publish_at=timezone.now() + timedelta(days=9))
    expiring = release_in(
        Status.PUBLISHED, writer, expire_at=timezone.now() + timedelta(hours=1, minutes=30)
    )
    time_machine.move_to("2026-03-01 11:00:00+00:00", tick=False)
    from io import StringIO

    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "1 published, 1 withdrawn" in out.getvalue()
    due.refresh_from_db()
    later.refresh_from_db()
    expiring.refresh_from_db()
    assert due.status == Status.PUBLISHED
    assert later.status == Status.SCHEDULED
    assert expiring.status == Status.WITHDRAWN and expiring.live_revision is None
    assert expiring.log_entries.filter(to_status=Status.WITHDRAWN, actor=None).exists()
    assert list(Release.objects.published()) == [due]


@pytest.mark.postgres
def test_expired_release_is_hidden_before_the_command_runs(client, writer, time_machine):
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    release = release_in(Status.PUBLISHED, writer, expire_at=timezone.now() + timedelta(days=1))
    assert Release.objects.published().exists()
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    assert not Release.objects.published().exists()
    url = reverse("myths:release-detail", kwargs={"slug": release.slug})
    assert client.get(url).status_code == 404


def test_withdraw_takes_the_release_off_the_site(writer, publisher):
    release = release_in(Status.PUBLISHED, writer)
    workflow.release_withdraw(release=release, actor=publisher, comment="Figures outdated.")
    assert release.live_revision is None and release.scheduled_revision is None
    assert not Release.objects.published().exists()


def test_withdraw_is_possible_while_a_new_version_is_drafted(writer, publisher):
    release = release_in(Status.PUBLISHED, writer)
    edit(release)
    workflow.release_edit_saved(release=release, actor=writer)
    assert release.status == Status.DRAFT and release.live_revision is not None
    assert "withdraw" in [t.name for t in workflow.available_transitions(release, publisher)]
    workflow.release_withdraw(release=release, actor=publisher, comment="Pulled.")
    assert not Release.objects.published().exists()


# --- Edits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [Status.APPROVED, Status.SCHEDULED])
def test_editing_approved_or_scheduled_release_sends_it_back_to_draft(start, writer):
    release = arrange(start, writer)
    edit(release)
    revision = workflow.release_edit_saved(release=release, actor=writer)
    assert release.status == Status.DRAFT
    assert release.scheduled_revision is None
    assert revision == release.revisions.order_by("-number").first()
    entry = release.log_entries.first()
    assert (entry.from_status, entry.to_status) == (start, Status.DRAFT)


def test_editing_a_published_release_never_changes_public_pages(client, writer):
    release = release_in(Status.PUBLISHED, writer)
    live = release.live_revision
    url = reverse("myths:release-detail", kwargs={"slug": release.slug})
    before = client.get(url).content
    release.title = "A completely different title"
    release.save()
    release.responses.update(body="Swapped text after publication.")
    workflow.release_edit_saved(release=release, actor=writer)
    assert release.status == Status.DRAFT
    assert release.live_revision == live
    assert Release.objects.published().get().public_revision_id == live.pk
    after = client.get(url)
    assert after.status_code == 200
    assert after.content == before
    assert b"Swapped text" not in after.content


@pytest.mark.postgres
def test_editing_a_due_scheduled_release_keeps_it_public(writer, time_machine):
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    release = release_in(Status.SCHEDULED, writer, publish_at=timezone.now() + timedelta(hours=1))
    scheduled = release.scheduled_revision
    time_machine.move_to("2026-03-01 10:30:00+00:00", tick=False)
    edit(release)
    workflow.release_edit_saved(release=release, actor=writer)
    assert release.status == Status.DRAFT
    assert release.live_revision == scheduled
    assert Release.objects.published().get().public_revision_id == scheduled.pk


@pytest.mark.parametrize("start", [Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED])
def test_a_save_that_changes_no_content_keeps_the_approval(start, writer):
    """E.g. a publisher moving the expiry time: the status stays, no revision is recorded."""
    release = arrange(start, writer)
    Release.objects.filter(pk=release.pk).update(expire_at=timezone.now() + timedelta(days=30))
    count = release.revisions.count()
    workflow.release_edit_saved(release=release, actor=writer)
    assert release.status == start
    assert release.revisions.count() == count  # no content change, no revision


def test_publisher_may_publish_a_scheduled_release_now(client, writer, publisher):
    release = arrange(Status.SCHEDULED, writer)
    scheduled = release.scheduled_revision
    workflow.release_publish(release=release, actor=publisher)
    assert release.status == Status.PUBLISHED
    assert release.live_revision == scheduled and release.scheduled_revision is None
    assert release.publish_at <= timezone.now()
    assert client.get(release.get_absolute_url()).status_code == 200


def test_editing_a_draft_or_in_review_release_keeps_its_status(writer):
    for status in (Status.DRAFT, Status.IN_REVIEW):
        release = release_in(status, writer)
        count = release.revisions.count()
        edit(release, f"Edited while {status}")
        workflow.release_edit_saved(release=release, actor=writer)
        assert release.status == status
        assert release.revisions.count() == count + 1


@pytest.mark.postgres
def test_version_claim_refuses_a_stale_or_missing_version(writer):
    release = release_in(Status.DRAFT, writer)
    version = release.version
    workflow.release_version_claim(release=release, expected_version=version)
    assert Release.objects.get(pk=release.pk).version == version + 1
    for stale in (version, None):
        with pytest.raises(ValidationError) as exc:
            workflow.release_version_claim(release=release, expected_version=stale)
        assert exc.value.code == "stale_edit"
    assert Release.objects.get(pk=release.pk).version == version + 1


# --- Side effects --------------------------------------------------------------------------------


def test_side_effects_run_after_commit(
    django_capture_on_commit_callbacks, mailoutbox, writer, reviewer, publisher
):
    other_reviewer = UserFactory(role="reviewer")
    release = release_in(Status.DRAFT, writer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_submit(release=release, actor=writer)
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == sorted([reviewer.email, other_reviewer.email])
    assert "Awaiting review" in mailoutbox[0].subject

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_request_changes(
            release=release, actor=reviewer, comment="Myth 1 needs a second source."
        )
    assert [m.to for m in mailoutbox] == [[writer.email]]
    assert "Myth 1 needs a second source." in mailoutbox[0].body

    workflow.release_submit(release=release, actor=writer)
    workflow.release_approve(release=release, actor=reviewer)
    mailoutbox.clear()
    generation = public_generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.release_publish(release=release, actor=publisher)
    assert callbacks
    assert public_generation() == generation + 1
    assert [m.to for m in mailoutbox] == [[writer.email]]
    assert "published" in mailoutbox[0].subject


def test_mail_text_is_plain_and_complete(
    django_capture_on_commit_callbacks, mailoutbox, settings, writer, reviewer, publisher
):
    """Subjects and bodies come from templates: plain text (nothing escaped), the comment when
    there is one, and the change form's address on the configured site."""
    settings.PRESSDESK_SITE_URL = "https://press.example.org/"
    release = release_in(Status.DRAFT, writer)
    Release.objects.filter(pk=release.pk).update(title="Fish & <chips>")
    release.refresh_from_db()
    url = "https://press.example.org" + reverse("admin:myths_release_change", args=[release.pk])
    writer_name = writer.get_full_name()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_submit(release=release, actor=writer)
    assert mailoutbox[0].subject == "[Pressdesk] Awaiting review: Fish & <chips>"
    # The title was changed behind the slug's back: the quality check's warning is in the e-mail.
    assert mailoutbox[0].body == (
        f"{writer_name} submitted “Fish & <chips>” for review.\n\n\n"
        "The quality check found:\n"
        f"- Warning: The address “{release.slug}” does not follow the title (“fish-chips”): "
        "check it.\n\n"
        f"Review it: {url}\n"
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_request_changes(release=release, actor=reviewer, comment="Say 'why'.")
    assert mailoutbox[0].subject == "[Pressdesk] Fish & <chips>: changes requested"
    assert mailoutbox[0].body == (
        f"“Fish & <chips>”: changes requested by {reviewer.get_full_name()}.\n\nSay 'why'.\n{url}\n"
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_submit(release=release, actor=writer, comment="Fixed: & <now>.")
    assert mailoutbox[0].body == (
        f"{writer_name} submitted “Fish & <chips>” for review.\n\n"
        f"Fixed: & <now>.\n\n"
        "The quality check found:\n"
        f"- Warning: The address “{release.slug}” does not follow the title (“fish-chips”): "
        "check it.\n\n"
        f"Review it: {url}\n"
    )


def test_withdraw_empties_the_public_cache(
    client, django_capture_on_commit_callbacks, writer, publisher
):
    release = release_in(Status.PUBLISHED, writer)
    url = reverse("myths:release-detail", kwargs={"slug": release.slug})
    assert client.get(url).status_code == 200  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_withdraw(release=release, actor=publisher, comment="Outdated.")
    assert client.get(url).status_code == 404


def test_publishing_an_edit_shows_it_at_once(
    client, django_capture_on_commit_callbacks, writer, reviewer, publisher
):
    release = release_in(Status.PUBLISHED, writer)
    url = reverse("myths:release-detail", kwargs={"slug": release.slug})
    assert b"A corrected title" not in client.get(url).content  # now cached
    edit(release, "A corrected title")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_edit_saved(release=release, actor=writer)
        workflow.release_submit(release=release, actor=writer)
        workflow.release_approve(release=release, actor=reviewer)
    assert b"A corrected title" not in client.get(url).content  # not yet published
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_publish(
            release=release, actor=publisher, notice_kind="correction", notice_note="Retitled."
        )
    assert b"A corrected title" in client.get(url).content


def test_no_mail_and_no_bump_when_a_transition_is_refused(
    django_capture_on_commit_callbacks, mailoutbox, writer, reviewer
):
    release = release_in(Status.DRAFT, writer)
    generation = public_generation()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        workflow.release_publish(release=release, actor=reviewer)
    assert mailoutbox == []
    assert public_generation() == generation


# --- Dashboard queries ---------------------------------------------------------------------------


def test_what_waits_for_whom(writer, reviewer, publisher):
    in_review = release_in(Status.IN_REVIEW, writer)
    approved = release_in(Status.APPROVED, writer)
    sent_back = release_in(Status.IN_REVIEW, writer)
    workflow.release_request_changes(release=sent_back, actor=reviewer, comment="Fix the lede.")
    own = release_in(Status.IN_REVIEW, writer)
    edit(own, "The reviewer's own title")  # the reviewer saved it last: not theirs to review
    workflow.release_edit_saved(release=own, actor=reviewer)
    assert set(Release.objects.awaiting_review_by(reviewer)) == {in_review}
    assert set(Release.objects.awaiting_review_by(UserFactory(role="reviewer"))) == {
        in_review,
        own,
    }
    assert list(Release.objects.ready_to_publish()) == [approved]
    assert list(Release.objects.sent_back_to(writer)) == [sent_back]
    assert list(Release.objects.sent_back_to(publisher)) == []
    # The dashboard offers each list only to those who may act on it.
    assert workflow_dashboard(reviewer)["awaiting_review"] == [in_review]
    assert set(Release.objects.awaiting_review_by(publisher)) == {in_review, own}
    assert workflow_dashboard(publisher)["awaiting_review"] == []
    assert workflow_dashboard(writer)["awaiting_review"] == []
    assert workflow_dashboard(publisher)["ready_to_publish"] == [approved]
    assert workflow_dashboard(reviewer)["ready_to_publish"] == []
    assert workflow_dashboard(writer)["sent_back"] == [sent_back]


def test_awaiting_review_leaves_out_what_the_reviewer_may_not_approve(writer, reviewer):
    """The dashboard applies approve's four-eyes rule: a reviewer's title, saved over unchanged by
    the writer afterwards, is still not theirs to approve."""
    laundered = release_in(Status.IN_REVIEW, writer)
    edit(laundered, "The reviewer's title")
    workflow.release_edit_saved(release=laundered, actor=reviewer)
    Release.objects.filter(pk=laundered.pk).update(lede="The writer's lede.")
    workflow.release_edit_saved(release=laundered, actor=writer)
    assert laundered.revisions.order_by("-number").first().author == writer
    untouched = release_in(Status.IN_REVIEW, writer)
    assert list(Release.objects.awaiting_review_by(reviewer)) == [untouched]


def test_restore_makes_an_old_revision_the_working_copy(writer, reviewer):
    release = release_in(Status.APPROVED, writer)
    old = release.revisions.order_by("number").first()
    old_title = release.title
    Release.objects.filter(pk=release.pk).update(title="Rewritten")
    release.responses.update(body="Entirely new words.")
    workflow.release_edit_saved(release=release, actor=writer)
    new = workflow.release_restore(release=release, revision=old, actor=reviewer)
    release.refresh_from_db()
    assert release.title == old_title
    assert release.status == Status.DRAFT
    assert new.number == release.revisions.count()
    assert new.content["responses"] == old.content["responses"]
    assert Revision.objects.get(pk=new.pk).author == reviewer
