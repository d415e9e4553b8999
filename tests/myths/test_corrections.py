"""Corrections as a workflow step (myths.workflow.release_publish): a new version of a release the
public has seen goes out as a correction or a clarification with a public note, or as a silent
typography fix that changes no word; the notice is written with the publication, scheduled with
it, and dropped with the schedule."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.cache import public_generation
from myths import workflow
from myths.models import Figure, Release, ReleaseNotice, Response, WorkflowLogEntry
from tests.factories import UserFactory, arrange_state, release_with_content

pytestmark = pytest.mark.django_db
Status = Release.Status
Kind = ReleaseNotice.Kind


@pytest.fixture
def public(time_machine):
    """A release published on 1 March 2026."""
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    return arrange_state(release_with_content(title="The port stayed open"), Status.PUBLISHED)


def new_version(release, *, title=None, body=None):
    """Edit the working copy of a published release and take it through review to approval,
    as the desk does before the publisher's step."""
    if title is not None:
        Release.objects.filter(pk=release.pk).update(title=title)
    if body is not None:
        Response.objects.filter(release=release, position=1).update(body=body)
    writer, reviewer = UserFactory(role="writer"), UserFactory(role="reviewer")
    workflow.release_edit_saved(release=release, actor=writer)
    workflow.release_submit(release=release, actor=writer)
    workflow.release_approve(release=release, actor=reviewer)
    release.refresh_from_db()
    return release


def publish(release, kind="", note="", **kwargs):
    return workflow.release_publish(
        release=release,
        actor=kwargs.pop("actor", None) or UserFactory(role="publisher"),
        notice_kind=kind,
        notice_note=note,
        **kwargs,
    )


def untouched(release):
    """Everything a refused publication must leave alone."""
    release.refresh_from_db()
    return (
        release.status,
        release.version,
        release.live_revision_id,
        release.scheduled_revision_id,
        WorkflowLogEntry.objects.filter(release=release).count(),
        ReleaseNotice.objects.count(),
        public_generation(),
    )


# --- First publication, and what needs no notice ---------------------------------------------


def test_a_first_publication_needs_no_notice():
    release = arrange_state(release_with_content(), Status.APPROVED)
    assert not workflow.notice_required(release)
    publish(release)
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert not ReleaseNotice.objects.exists()


def test_a_first_scheduled_publication_needs_no_notice():
    release = release_with_content()
    arrange_state(release, Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=1))
    assert not ReleaseNotice.objects.exists()


def test_the_same_text_republished_after_a_withdrawal_needs_no_notice(public):
    publisher = UserFactory(role="publisher")
    workflow.release_withdraw(release=public, actor=publisher, comment="Checking a figure.")
    workflow.release_reopen(release=public, actor=publisher)
    workflow.release_submit(release=public, actor=UserFactory(role="writer"))
    workflow.release_approve(release=public, actor=UserFactory(role="reviewer"))
    assert not workflow.notice_required(public)
    publish(public)
    assert public.status == Status.PUBLISHED
    assert not ReleaseNotice.objects.exists()


# --- A new version needs a kind, and a note for a public one -------------------------------------


def test_a_new_version_needs_a_kind(public):
    new_version(public, title="The port stayed open all year")
    assert workflow.notice_required(public)
    before = untouched(public)
    for kind in ("", "erratum"):
        with pytest.raises(ValidationError) as refused:
            publish(public, kind=kind, note="Whatever.")
        assert refused.value.code == "notice_required"
        assert untouched(public) == before


@pytest.mark.parametrize("kind", [Kind.CORRECTION, Kind.CLARIFICATION])
def test_a_correction_or_clarification_needs_a_public_note(public, kind):
    new_version(public, title="The port stayed open all year")
    before = untouched(public)
    with pytest.raises(ValidationError) as refused:
        publish(public, kind=kind, note="   ")
    assert refused.value.code == "note_required"
    assert untouched(public) == before


@pytest.mark.parametrize("kind", [Kind.CORRECTION, Kind.CLARIFICATION])
def test_a_correction_is_recorded_with_the_publication(
    public, kind, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-04-03 10:00:00+00:00", tick=False)
    new_version(public, title="The port stayed open all year")
    publisher = UserFactory(role="publisher")
    generation = public_generation()
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            public,
            kind=kind,
            note="  The port was open all year, not all month.  ",
            actor=publisher,
        )
    notice = ReleaseNotice.objects.get()
    assert (notice.release, notice.revision, notice.kind, notice.actor) == (
        public,
        public.live_revision,
        kind,
        publisher,
    )
    assert notice.note == "The port was open all year, not all month."
    assert notice.published_at == timezone.now()
    assert notice.is_public
    assert public.log_entries.filter(to_status=Status.PUBLISHED).count() == 2
    assert public_generation() != generation  # the page cache is emptied like any publication
    assert list(ReleaseNotice.objects.shown_with(public.live_revision)) == [notice]


def test_a_new_version_after_a_withdrawal_compares_with_what_was_public(public):
    publisher = UserFactory(role="publisher")
    workflow.release_withdraw(release=public, actor=publisher, comment="A figure is wrong.")
    workflow.release_reopen(release=public, actor=publisher)
    new_version(public, title="The port stayed open all year")
    assert workflow.notice_required(public)
    with pytest.raises(ValidationError) as refused:
        publish(public, kind=Kind.TYPOGRAPHY)
    assert refused.value.code == "typography_changes_words"
    publish(public, kind=Kind.CORRECTION, note="The period was wrong.")
    assert ReleaseNotice.objects.get().revision == public.live_revision


# --- A typography fix: silent, and refused when a word changed -----------------------------------


def test_a_typography_fix_that_changes_no_word_is_silent(public):
    Response.objects.filter(release=public).update(body="The port -- it is said -- was closed.")
    new_version(public)
    publish(public, kind=Kind.CORRECTION, note="Rewritten.")
    new_version(public, body="The port — it is said — was closed…")
    publish(public, kind=Kind.TYPOGRAPHY)
    assert public.status == Status.PUBLISHED
    fix = ReleaseNotice.objects.get(kind=Kind.TYPOGRAPHY)
    assert fix.revision == public.live_revision and not fix.is_public
    assert [n.kind for n in ReleaseNotice.objects.shown_with(public.live_revision)] == [
        Kind.CORRECTION
    ]


@pytest.mark.parametrize(
    ("title", "body", "named"),
    [
        ("The port stayed shut", None, "“open” → “shut”"),
        ("The port stayed open", "The port stayed open in 2018.", "Myth 1"),
        ("The Port stayed open", None, "“port” → “Port”"),
        ("Порт остался открыт", None, "“The port stayed open” → “Порт остался открыт”"),
    ],
    ids=["word", "number-in-answer", "case", "cyrillic"],
)
def test_a_typography_fix_that_changes_a_word_is_refused(public, title, body, named):
    new_version(public, title=title, body=body)
    before = untouched(public)
    with pytest.raises(ValidationError) as refused:
        publish(public, kind=Kind.TYPOGRAPHY)
    assert refused.value.code == "typography_changes_words"
    assert named in refused.value.messages[0]
    assert untouched(public) == before
    assert public.live_revision.title == "The port stayed open"


def test_the_refusal_is_in_the_publishers_language(public):
    new_version(public, title="The port stayed shut")
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        publish(public, kind=Kind.TYPOGRAPHY)
    message = refused.value.messages[0]
    assert message.startswith("Ce n’est pas une correction typographique")
    assert "titre\u00a0: «\u00a0open\u00a0» → «\u00a0shut\u00a0»" in message


def test_a_long_refusal_lists_five_places_and_counts_the_rest(public):
    # Seven places: title, lede, two answers, two captions, the more-information sentence.
    Release.objects.filter(pk=public.pk).update(lede="New lede.", more_info_label="New label")
    Response.objects.filter(release=public).update(body="Entirely new words.")
    Figure.objects.filter(response__release=public).update(caption="A new caption")
    new_version(public, title="A new title")
    with pytest.raises(ValidationError) as refused:
        publish(public, kind=Kind.TYPOGRAPHY)
    assert refused.value.messages[0].count("→") == workflow.CHANGES_LISTED
    assert "and 2 more" in refused.value.messages[0]


# --- Who, and races ---------------------------------------------------------------------------


def test_a_writer_may_not_publish_a_correction(public):
    new_version(public, title="The port stayed open all year")
    before = untouched(public)
    with pytest.raises(ValidationError) as refused:
        publish(public, kind=Kind.CORRECTION, note="Fixed.", actor=UserFactory(role="writer"))
    assert refused.value.code == "permission_denied"
    assert untouched(public) == before


def test_a_stale_publication_writes_no_notice(public):
    new_version(public, title="The port stayed open all year")
    seen = public.version
    Release.objects.filter(pk=public.pk).update(version=seen + 1)  # someone acted meanwhile
    with pytest.raises(ValidationError) as refused:
        publish(public, kind=Kind.CORRECTION, note="Fixed.", expected_version=seen)
    assert refused.value.code == "conflict"
    assert not ReleaseNotice.objects.exists()


# --- A scheduled correction --------------------------------------------------------------------


@pytest.fixture
def scheduled(public, time_machine):
    """A correction of `public` scheduled on 3 April for 10:00 on 4 April 2026."""
    time_machine.move_to("2026-04-03 10:00:00+00:00", tick=False)
    new_version(public, title="The port stayed open all year")
    Release.objects.filter(pk=public.pk).update(publish_at=timezone.now() + timedelta(days=1))
    public.refresh_from_db()
    publish(public, kind=Kind.CORRECTION, note="The period was wrong.")
    assert public.status == Status.SCHEDULED
    return public


def shown(release):
    row = Release.objects.published().with_public_notice().get(pk=release.pk)
    return row.public_revision_id, row.public_modified


def test_a_scheduled_correction_is_dated_at_its_publish_time_and_shown_then(
    scheduled, time_machine
):
    notice = ReleaseNotice.objects.get()
    assert notice.published_at == scheduled.publish_at
    assert notice.revision == scheduled.scheduled_revision
    assert shown(scheduled) == (scheduled.live_revision_id, None)
    assert not ReleaseNotice.objects.shown_with(scheduled.live_revision).exists()
    time_machine.move_to(scheduled.publish_at + timedelta(seconds=1), tick=False)
    # No cron job has run: the page shows the corrected revision, and its notice, by itself.
    assert shown(scheduled) == (scheduled.scheduled_revision_id, notice.published_at)
    assert list(ReleaseNotice.objects.shown_with(scheduled.scheduled_revision)) == [notice]
    workflow.publish_due()
    assert ReleaseNotice.objects.get().published_at == scheduled.publish_at


def test_a_scheduled_correction_published_now_is_dated_now(scheduled):
    publish(scheduled)  # no second notice asked: it was given when scheduling
    assert scheduled.status == Status.PUBLISHED
    assert ReleaseNotice.objects.get().published_at == timezone.now()


def test_a_scheduled_correction_moves_with_its_publish_time(scheduled):
    later = scheduled.publish_at + timedelta(days=2)
    Release.objects.filter(pk=scheduled.pk).update(publish_at=later)
    workflow.release_edit_saved(
        release=scheduled, actor=UserFactory(role="publisher"), changed_fields={"publish_at"}
    )
    assert ReleaseNotice.objects.get().published_at == later


def test_editing_a_scheduled_correction_drops_its_notice(scheduled):
    Release.objects.filter(pk=scheduled.pk).update(title="The port stayed open, all year")
    workflow.release_edit_saved(release=scheduled, actor=UserFactory(role="writer"))
    assert scheduled.status == Status.DRAFT
    assert not ReleaseNotice.objects.exists()


def test_withdrawing_a_scheduled_correction_drops_its_notice(scheduled):
    workflow.release_withdraw(
        release=scheduled, actor=UserFactory(role="publisher"), comment="Not yet."
    )
    assert not ReleaseNotice.objects.exists()


def test_a_correction_public_by_its_time_keeps_its_notice_when_withdrawn(scheduled, time_machine):
    time_machine.move_to(scheduled.publish_at + timedelta(minutes=1), tick=False)
    workflow.release_withdraw(
        release=scheduled, actor=UserFactory(role="publisher"), comment="Legal."
    )
    assert ReleaseNotice.objects.count() == 1  # readers saw it: the record stays
