"""The editorial workflow: the ONLY module that assigns a release's status and revision pointers.

    draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published
      ▲                  │                                │  (publish_at in the future)
      └─request_changes──┘                                └────────▶ scheduled ──(due)──▶ published
    withdrawn ◀──withdraw── published / scheduled (or any state while a published revision is live)
    withdrawn ──reopen──▶ draft

Every transition is one function with keyword-only arguments (`release=`, `actor=`, `comment=`,
`expected_version=`). It checks the actor's permission and the starting state, runs the
pre-publication checklist where it applies, and writes the new state with ONE conditional UPDATE
(`WHERE status = <seen> AND version = <expected>`): of two people acting at once exactly one changes
the row, the other gets a `conflict` error and nothing changes (SQLite ignores `select_for_update`,
a conditional update works everywhere). `expected_version` is the version the actor saw (the admin
passes the form's version marker); without it, the version `release` was read with. Which revision
a transition acts on is decided here as well (`transition_target`). Each successful transition
writes one WorkflowLogEntry; where what the public sees may change, the release's entries of the
public index are rewritten (myths/public_index.py), the public generation is bumped and the myth
register's rows are rewritten in the same transaction (core/cache.py, myths/register.py), and
e-mail goes out after commit.

Errors are `ValidationError`s with one of these codes: `permission_denied`, `wrong_state`,
`comment_required`, `checklist`, `self_approval`, `conflict`, `stale_edit`, `issued_date`; a
contact refresh also `not_public`, `contact_unavailable`, `up_to_date`; and for a new version of
a release the public has seen, `notice_required`, `note_required`, `typography_changes_words`.

Publishing (or scheduling) a new version of a release that has been public asks what kind of
change it is (`release_publish(notice_kind=, notice_note=)`): a correction or a clarification,
each with a public note readers see dated on the page, in the PDF and the feeds, or a silent
typography fix, refused when any word changed (myths/revisions/wording.py). The ReleaseNotice is
written in the publication's transaction; a scheduled one takes the publish time, follows it when
it moves, and goes with the schedule when the release is edited or withdrawn before it.

A release's identity is given here too, once (issue 13): its office's next reference number when
it is first published or scheduled, and its issued date and moment when it first goes public
(`issued_on` kept if set, e.g. from the imported dateline; an earlier one is logged as
back-dated). A publisher back-dates an archive release with `release_issued_set`.

Editing is part of the workflow too (`release_edit_saved`): an approved or scheduled release that is
edited goes back to draft, so nobody can get approval and then swap the text; a published release
that is edited keeps its `live_revision`, so the public keeps seeing what was approved.
"""

from __future__ import annotations

import logging
import string
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.models import ContactChange, PressContact, PressOffice, ReferenceCounter
from core.cache import public_cache_bump

from . import quality
from .links import release_links_check
from .models import Claim, Release, ReleaseNotice, Revision, WorkflowLogEntry
from .notifications import notify_author, notify_reviewers
from .pdf.tasks import release_pdfs_render
from .public_index import public_index_refresh
from .register import register_refresh_release
from .revisions import (
    ContactContent,
    ReleaseContent,
    content_changed,
    release_rows_restore,
    revision_content,
    revision_create,
)
from .revisions.wording import wording_changes
from .sharing import share_links_revoke_all
from .translations import translation_sources_refresh

logger = logging.getLogger(__name__)
Status = Release.Status
NoticeKind = ReleaseNotice.Kind


@dataclass(frozen=True)
class Transition:
    """What the admin needs to offer a transition: its name, label and rules."""

    name: str
    label: str
    permissions: tuple[str, ...]  # any one of them allows it
    sources: tuple[str, ...]
    comment_required: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", "Submit for review", ("myths.submit_release",), (Status.DRAFT,)),
        Transition(
            "request_changes",
            "Send back for changes",
            ("myths.review_release",),
            (Status.IN_REVIEW,),
            comment_required=True,
        ),
        Transition("approve", "Approve", ("myths.review_release",), (Status.IN_REVIEW,)),
        Transition(
            "publish",
            "Publish or schedule",
            ("myths.publish_release",),
            (Status.APPROVED, Status.SCHEDULED),
        ),
        Transition(
            "withdraw",
            "Withdraw",
            ("myths.publish_release",),
            (Status.PUBLISHED, Status.SCHEDULED),
            comment_required=True,
        ),
        Transition(
            "reopen",
            "Reopen as draft",
            ("myths.submit_release", "myths.publish_release"),
            (Status.WITHDRAWN,),
        ),
    ]
}


def _scheduled_for_text(when) -> str:
    local = timezone.localtime(when)
    return _("scheduled for %(when)s") % {"when": dateformat.format(local, "j E Y, H:i")}


# What the author's e-mail says happened; lazy, so it reads in the release's language (the
# e-mail is rendered in it), not in the language of whoever acted.
_scheduled_for = lazy(_scheduled_for_text, str)


# --- Checks ------------------------------------------------------------------------------------


def may(user, transition: str) -> bool:
    """Whether `user` holds a permission that allows `transition` (state aside)."""
    if user is None or not user.is_active:
        return False
    return any(user.has_perm(p) for p in TRANSITIONS[transition].permissions)


def _can_withdraw(release: Release) -> bool:
    # Also while a new version of a published release is being edited: it is public all the same.
    return release.status in TRANSITIONS["withdraw"].sources or (
        release.status != Status.WITHDRAWN and release.live_revision_id is not None
    )


def state_allows(release: Release, transition: str) -> bool:
    """Whether `transition` may start from the release's current state."""
    if transition == "withdraw":
        return _can_withdraw(release)
    return release.status in TRANSITIONS[transition].sources


def available_transitions(release: Release, user) -> list[Transition]:
    """The transitions `user` may run on `release` now: what the change form offers as buttons."""
    return [t for t in TRANSITIONS.values() if may(user, t.name) and state_allows(release, t.name)]


def checklist_problems(content: ReleaseContent, *, stage: str = "submit") -> list[ValidationError]:
    """Everything that refuses `stage` (submit, approve, publish) for `content`, one coded error
    each: the blocking problems of the quality gate (myths/quality.py) that apply to that stage.

    Sending to review needs responses with verdicts, figures with alt text and credit, and a
    contact; approving and publishing need the whole gate passed (links, captions, sources where
    required, …); publishing also needs a contact that is no import's unaccepted proposal.
    """
    return quality.blocking_errors(content, stage=stage)


def checklist_warnings(release: Release) -> list[ValidationError]:
    """What a publisher should know before publishing, without being stopped by it: the gate's
    warnings on the release's working copy (checklist_problems refuse, these do not)."""
    return [p.as_error() for p in quality.release_problems(release) if not p.blocks]


def latest_revision(release: Release) -> Revision | None:
    return release.revisions.order_by("-number").first()


def transition_target(release: Release, transition: str) -> Revision | None:
    """The revision `transition` acts on and records: what is submitted, approved, published.

    Withdrawing takes the public revision (live, else scheduled); publishing a scheduled release
    publishes its scheduled revision (any content edit sends a scheduled release back to draft, so
    it is still the approved one); every other transition acts on the latest revision (None if the
    release has none yet). The admin's confirmation page shows this revision before the act.
    """
    if transition == "withdraw":
        return release.live_revision or release.scheduled_revision
    if transition == "publish" and release.status == Status.SCHEDULED:
        return release.scheduled_revision
    return latest_revision(release)


def _wrote_part_of(release: Release, actor, latest: Revision) -> bool:
    """Whether `actor` saved `latest`, or changed the content since it was last approved or
    published."""
    return release.written_in_part_by(actor, latest=latest)


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _check(release: Release, actor, transition: str, comment: str) -> None:
    if not may(actor, transition):
        raise _error(
            _("You may not %(action)s releases.")
            % {"action": TRANSITIONS[transition].label.lower()},
            "permission_denied",
        )
    if not state_allows(release, transition):
        raise _error(
            _("“%(title)s” is %(status)s: it cannot be given “%(action)s” now.")
            % {
                "title": release.title,
                "status": release.get_status_display().lower(),
                "action": TRANSITIONS[transition].label,
            },
            "wrong_state",
        )
    if TRANSITIONS[transition].comment_required and not comment.strip():
        raise _error(
            _("“%(action)s” needs a comment saying why.")
            % {"action": TRANSITIONS[transition].label},
            "comment_required",
        )


def _checked_revision(release: Release, actor, transition: str) -> Revision:
    """The revision `transition` acts on (recording one if the release has none), if it passes
    the checklist."""
    revision = transition_target(release, transition) or revision_create(
        release=release, author=actor
    )
    stage = transition if transition in (quality.APPROVE, quality.PUBLISH) else quality.SUBMIT
    problems = checklist_problems(revision_content(revision), stage=stage)
    if problems:
        raise ValidationError(problems, code="checklist")
    return revision


# --- Notices: what a new version of a public release changed --------------------------------------

NOTE_REQUIRED = {
    NoticeKind.CORRECTION: gettext_lazy(
        "A correction needs a public note: say what was wrong and what the release says now."
    ),
    NoticeKind.CLARIFICATION: gettext_lazy(
        "A clarification needs a public note: say what was made clearer."
    ),
}
# How many changed places a refused typography fix lists; the rest is counted.
CHANGES_LISTED = 5


def last_public_revision(release: Release) -> Revision | None:
    """The revision readers saw last: the live one, else the last one published before the
    release was withdrawn; None for a release never published."""
    if release.live_revision_id:
        return release.live_revision
    entry = (
        release.log_entries.filter(to_status=Status.PUBLISHED, revision__isnull=False)
        .select_related("revision")
        .first()
    )
    return entry.revision if entry else None


def _new_public_version(release: Release, revision: Revision | None) -> Revision | None:
    """The public revision `revision` would replace, if it is a new version of a release the public
    has seen (its content differs); None for a first publication or the same text again."""
    previous = last_public_revision(release)
    if previous is None or revision is None or previous.pk == revision.pk:
        return None
    return None if previous.content == revision.content else previous


def notice_required(release: Release) -> bool:
    """Whether pressing "publish" on `release` now needs a notice kind (and for most kinds a
    note): a new version of a release the public has seen. Publishing a scheduled release now
    needs none, its notice was given when it was scheduled."""
    if release.status == Status.SCHEDULED:
        return False
    return _new_public_version(release, transition_target(release, "publish")) is not None


def _checked_notice(*, release: Release, revision: Revision, kind: str, note: str):
    """The (kind, note) publishing `revision` records, or None when it is no new version of a
    public release; raise `notice_required`, `note_required` or `typography_changes_words`."""
    previous = _new_public_version(release, revision)
    if previous is None:
        return None
    if kind not in NoticeKind.values:
        raise _error(
            _(
                "“%(title)s” has been public before: say whether this version is a correction, "
                "a clarification or a typography fix."
            )
            % {"title": release.title},
            "notice_required",
        )
    note = note.strip()
    if kind in NOTE_REQUIRED and not note:
        raise _error(str(NOTE_REQUIRED[kind]), "note_required")
    if kind == NoticeKind.TYPOGRAPHY:
        changes = wording_changes(revision_content(previous), revision_content(revision))
        if changes:
            listed = "; ".join(str(change) for change in changes[:CHANGES_LISTED])
            if len(changes) > CHANGES_LISTED:
                listed += "; " + _("and %(count)s more") % {"count": len(changes) - CHANGES_LISTED}
            raise _error(
                _(
                    "This is not a typography fix: words changed since the public version "
                    "(%(changes)s). Publish it as a correction or a clarification, with a "
                    "public note."
                )
                % {"changes": listed},
                "typography_changes_words",
            )
    return kind, note


def _drop_unpublished_notice(release: Release, fields: dict) -> None:
    """A scheduled revision taken off the schedule before its time (edited, withdrawn, expired)
    never reached the public: neither does the notice scheduled with it."""
    if (
        release.scheduled_revision_id
        and "scheduled_revision" in fields
        and fields["scheduled_revision"] is None
        and (release.publish_at is None or release.publish_at > timezone.now())
    ):
        ReleaseNotice.objects.filter(revision_id=release.scheduled_revision_id).delete()


# --- The one place that writes status ----------------------------------------------------------


def _move(
    *,
    release: Release,
    actor,
    to_status: str,
    comment: str = "",
    revision: Revision | None = None,
    fields: dict | None = None,
    expected_version: int | None = None,
) -> WorkflowLogEntry:
    """Write `to_status` if the row still has the status `release` was read with and the version
    `expected_version` (default: the one `release` was read with); raise `conflict` otherwise.

    Must run inside transaction.atomic. Refreshes `release` and returns the log entry.
    """
    version = release.version if expected_version is None else expected_version
    changed = Release.objects.filter(pk=release.pk, status=release.status, version=version).update(
        status=to_status, version=F("version") + 1, **(fields or {})
    )
    if not changed:
        raise _error(
            _(
                "“%(title)s” was changed by someone else a moment ago. Reload the page to see "
                "its current state."
            )
            % {"title": release.title},
            "conflict",
        )
    if to_status != Status.PUBLISHED:
        _drop_unpublished_notice(release, fields or {})
    entry = WorkflowLogEntry.objects.create(
        release=release,
        revision=revision,
        actor=actor,
        from_status=release.status,
        to_status=to_status,
        comment=comment.strip(),
    )
    release.refresh_from_db()
    return entry


def _after_commit(func) -> None:
    """Run a side effect once the transaction commits; a failure is logged, never raised."""

    def run():
        try:
            func()
        except Exception:  # e-mail or cache trouble must not undo a committed transition
            logger.exception("Workflow side effect failed")

    transaction.on_commit(run)


def _public_changed(release: Release) -> None:
    """What the public sees of `release` changes in this transaction: rewrite its entries of the
    public index, bump the public generation with it, rewrite the myth register rows of its claims
    (after the bump, whose row lock serialises such transactions, so each reads the others'
    committed rows), and once it commits queue the PDFs of its languages (each links to the
    others)."""
    public_index_refresh(release=release)
    public_cache_bump()
    register_refresh_release(release_id=release.pk)
    _after_commit(lambda: release_pdfs_render.enqueue(release_id=release.pk))


# --- Identity: reference numbers and the date of issue --------------------------------------------


def reference_pattern_fields(pattern: str) -> set[str]:
    """The replacement fields a reference pattern names ({year}, {seq:03} → {"year", "seq"});
    raises ValueError for a pattern str.format could not read."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name}


def _reference_take(*, office: PressOffice, issued: date) -> str:
    """The office's next reference number in the scope of `issued` (its year, when the pattern
    has {year}), formatted by the office's pattern.

    Runs inside the publishing transaction. The counter row is created if missing with
    INSERT … ON CONFLICT DO NOTHING (two first publications of a new year cannot both create
    it) and then locked (SELECT … FOR UPDATE) until the transaction ends: concurrent first
    publications of one office queue here and get consecutive numbers. A publication that is
    rolled back gives its number back with it (nothing was committed); a committed one keeps it
    for ever, withdrawn or not. A number some other release already holds (another office with
    the same pattern, a pattern changed back) is skipped, never given twice.
    """
    scope = str(issued.year) if "year" in reference_pattern_fields(office.reference_pattern) else ""
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(office=office, scope=scope)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(office=office, scope=scope)
    while True:
        counter.last += 1
        reference = office.reference_pattern.format(year=issued.year, seq=counter.last)
        if not Release.objects.filter(reference=reference).exists():
            break
    counter.save(update_fields=["last"])
    return reference


def _issue_fields(issued_on: date | None, moment: datetime, zone) -> dict:
    """`issued_on` and `issued_at` for a release that went or goes public at `moment`.

    An issued date already set (an imported dateline, a publisher's back-dating) is kept, at the
    time of day of `moment` in the office's time zone `zone`; otherwise it is that day.
    """
    local = timezone.localtime(moment, zone)
    issued_on = issued_on or local.date()
    if issued_on == local.date():
        return {"issued_on": issued_on, "issued_at": moment}
    return {"issued_on": issued_on, "issued_at": datetime.combine(issued_on, local.time(), zone)}


def _identity_fields(release: Release, *, goes_live_at: datetime | None, planned: datetime) -> dict:
    """What a publication gives the release's identity: its reference number the first time it
    is published or scheduled (`planned` is when it goes public: its year is the reference's),
    and its date of issue the first time it goes live (`goes_live_at`; None for scheduling)."""
    fields = {}
    if goes_live_at is not None and release.issued_at is None:
        fields.update(_issue_fields(release.issued_on, goes_live_at, release.time_zone))
    if not release.reference:
        office = release.office or PressOffice.objects.default()
        if office is not None:
            issued = fields.get("issued_on") or release.issued_on
            issued = issued or timezone.localtime(planned, release.time_zone).date()
            fields["reference"] = _reference_take(office=office, issued=issued)
    return fields


def _log_back_dated(release: Release, actor, revision, *, comment: str) -> WorkflowLogEntry:
    return WorkflowLogEntry.objects.create(
        release=release,
        revision=revision,
        actor=actor,
        from_status=release.status,
        to_status=release.status,
        comment=comment,
        back_dated=True,
    )


def _log_if_back_dated(release: Release, actor, revision) -> None:
    """After a first publication: an issued date before the day it went public is an archive
    release's, and the log says so (the date came from the import or a publisher)."""
    if release.issued_at is None or release.first_published_at is None:
        return
    published_on = timezone.localtime(release.first_published_at, release.time_zone).date()
    if release.log_entries.filter(back_dated=True).exists():
        return  # a publisher's back-dating before publication said so already
    if release.issued_on and release.issued_on < published_on:
        _log_back_dated(
            release,
            actor,
            revision,
            comment=_("Back-dated: issued on %(issued)s, first published on %(published)s.")
            % {"issued": date_format(release.issued_on), "published": date_format(published_on)},
        )


def release_issued_set(
    *, release: Release, actor, issued_on: date | None, comment: str = ""
) -> WorkflowLogEntry:
    """Set the date of issue of `release` (its dateline's date): a publisher's act, for an
    archive release published today under its original date. Needs `myths.publish_release`.

    The date may not be in the future, nor be cleared once the release has gone public
    (`issued_date`; cleared before, the first publication gives it). A release already public
    keeps the time of day it went public, on the new date, so page, feeds, sitemap and
    structured data move together; one not yet public keeps the date for its first publication.
    Logged as a back-dating (`WorkflowLogEntry.back_dated`) when the date is before the day the
    release first went public (not yet public: before today), else as a change of the date.
    Empties the public cache when the release is public.
    """
    if not may(actor, "publish"):
        raise _error(_("Only a publisher may change the date of issue."), "permission_denied")
    with transaction.atomic():
        release = (
            Release.objects.select_for_update(of=("self",))
            .select_related("office")
            .get(pk=release.pk)
        )
        today = timezone.localtime(timezone.now(), release.time_zone).date()
        if issued_on is None:
            if release.issued_at is not None:
                raise _error(
                    _("A release that has gone public keeps a date of issue."), "issued_date"
                )
            Release.objects.filter(pk=release.pk).update(issued_on=None)
            return WorkflowLogEntry.objects.create(
                release=release,
                actor=actor,
                from_status=release.status,
                to_status=release.status,
                comment=_("Date of issue cleared: the first publication will give it."),
            )
        if issued_on > today:
            raise _error(
                _("The date of issue cannot be in the future: schedule the release instead."),
                "issued_date",
            )
        fields = {"issued_on": issued_on}
        if release.issued_at is not None:
            # Public already: the same time of day it went public, on the new date.
            moment = release.first_published_at or release.issued_at
            fields.update(_issue_fields(issued_on, moment, release.time_zone))
        Release.objects.filter(pk=release.pk).update(**fields)
        release.refresh_from_db()
        gone_public = release.first_published_at
        first_day = (
            timezone.localtime(gone_public, release.time_zone).date() if gone_public else today
        )
        values = {"issued": date_format(issued_on)}
        if issued_on < first_day:
            text = _("Back-dated: issued on %(issued)s.") % values
        else:
            text = _("Date of issue set to %(issued)s.") % values
        public = release.live_revision_id or release.scheduled_revision_id
        entry = WorkflowLogEntry.objects.create(
            release=release,
            revision=release.live_revision or release.scheduled_revision,
            actor=actor,
            from_status=release.status,
            to_status=release.status,
            comment=f"{text} {comment.strip()}".strip(),
            back_dated=issued_on < first_day,
        )
        if public:
            _public_changed(release)
    return entry


# --- Transitions ---------------------------------------------------------------------------------


def release_submit(
    *, release: Release, actor, comment: str = "", expected_version: int | None = None
) -> WorkflowLogEntry:
    """draft → in review. Needs `myths.submit_release` and a release that passes the checklist.

    E-mails every reviewer (except the actor) and queues the check of its links after commit.
    """
    with transaction.atomic():
        _check(release, actor, "submit", comment)
        revision = _checked_revision(release, actor, "submit")
        entry = _move(
            release=release,
            actor=actor,
            to_status=Status.IN_REVIEW,
            comment=comment,
            revision=revision,
            expected_version=expected_version,
        )
        _after_commit(lambda: notify_reviewers(entry))
        _after_commit(lambda: release_links_check.enqueue(release.pk))
    return entry


def release_request_changes(
    *, release: Release, actor, comment: str, expected_version: int | None = None
) -> WorkflowLogEntry:
    """in review → draft, with a required comment. Needs `myths.review_release`.

    E-mails the author (who submitted it) the comment after commit.
    """
    with transaction.atomic():
        _check(release, actor, "request_changes", comment)
        entry = _move(
            release=release,
            actor=actor,
            to_status=Status.DRAFT,
            comment=comment,
            revision=transition_target(release, "request_changes"),
            expected_version=expected_version,
        )
        _after_commit(lambda: notify_author(entry, gettext_lazy("changes requested")))
    return entry


def release_approve(
    *, release: Release, actor, comment: str = "", expected_version: int | None = None
) -> WorkflowLogEntry:
    """in review → approved. Needs `myths.review_release` and a release passing the checklist.

    Four-eyes rule: refused (`self_approval`) when the actor saved the latest revision, or any
    revision that changed the content (claim fields included) since the release was last approved
    or published (Release.written_in_part_by; a later unchanged save by someone else does not
    make their text someone else's), unless settings.PRESSDESK_ALLOW_SELF_APPROVAL is on.
    """
    with transaction.atomic():
        _check(release, actor, "approve", comment)
        revision = _checked_revision(release, actor, "approve")
        if not settings.PRESSDESK_ALLOW_SELF_APPROVAL and _wrote_part_of(release, actor, revision):
            raise _error(
                _(
                    "You wrote part of “%(title)s” since it was last approved or published: "
                    "another reviewer must approve it (four-eyes rule)."
                )
                % {"title": release.title},
                "self_approval",
            )
        return _move(
            release=release,
            actor=actor,
            to_status=Status.APPROVED,
            comment=comment,
            revision=revision,
            expected_version=expected_version,
        )


def release_publish(
    *,
    release: Release,
    actor,
    comment: str = "",
    expected_version: int | None = None,
    notice_kind: str = "",
    notice_note: str = "",
) -> WorkflowLogEntry:
    """approved → published now, or → scheduled when `publish_at` is in the future;
    scheduled → published now (the publisher does not wait for the publish time).

    Needs `myths.publish_release` and a release passing the checklist. Publishing now makes the
    latest revision the `live_revision` (setting `first_published_at` the first time); scheduling
    stores it as `scheduled_revision`, which `published()` shows once `publish_at` has come (with no
    cron job), while a revision already live stays public until then. E-mails the author.

    A new version of a release the public has seen needs `notice_kind` (a ReleaseNotice.Kind):
    a correction or a clarification with `notice_note`, the public note, or a typography fix,
    refused unless no word of any public field changed. The ReleaseNotice is written with the
    publication, dated now or at the publish time. A first publication needs none.
    """
    with transaction.atomic():
        _check(release, actor, "publish", comment)
        now = timezone.now()

        def goes_live(revision, **more):
            return {
                "live_revision": revision,
                "scheduled_revision": None,
                "first_published_at": Coalesce("first_published_at", now),
                **_identity_fields(release, goes_live_at=now, planned=now),
                **more,
            }

        if release.status == Status.SCHEDULED:
            revision = transition_target(release, "publish")  # the scheduled, approved one
            problems = checklist_problems(revision_content(revision), stage=quality.PUBLISH)
            if problems:
                raise ValidationError(problems, code="checklist")
            to_status, subject = Status.PUBLISHED, gettext_lazy("published")
            fields = goes_live(revision, publish_at=now)
            notice = None
            # Its notice, given when it was scheduled, is dated when it actually goes public.
            ReleaseNotice.objects.filter(revision=revision).update(published_at=now)
        else:
            revision = _checked_revision(release, actor, "publish")
            notice = _checked_notice(
                release=release, revision=revision, kind=notice_kind, note=notice_note
            )
            if release.publish_at and release.publish_at > now:
                # The reference is given at scheduling: the embargoed copies sent out before the
                # publish time carry the number the public page will show.
                to_status, subject = Status.SCHEDULED, _scheduled_for(release.publish_at)
                fields = {
                    "scheduled_revision": revision,
                    **_identity_fields(release, goes_live_at=None, planned=release.publish_at),
                }
            else:
                to_status, subject = Status.PUBLISHED, gettext_lazy("published")
                fields = goes_live(revision)
        first_time = release.first_published_at is None
        entry = _move(
            release=release,
            actor=actor,
            to_status=to_status,
            comment=comment,
            revision=revision,
            fields=fields,
            expected_version=expected_version,
        )
        if notice:
            kind, note = notice
            ReleaseNotice.objects.create(
                release=release,
                revision=revision,
                kind=kind,
                note=note,
                actor=actor,
                published_at=release.publish_at if to_status == Status.SCHEDULED else now,
            )
        if first_time:
            _log_if_back_dated(release, actor, revision)
        _public_changed(release)
        _after_commit(lambda: notify_author(entry, subject))
    return entry


def release_withdraw(
    *, release: Release, actor, comment: str, expected_version: int | None = None
) -> WorkflowLogEntry:
    """published or scheduled (or any state while a revision is live) → withdrawn.

    Needs `myths.publish_release` and a reason. Clears `live_revision` and `scheduled_revision`,
    so the release leaves every public page at once, and revokes its share links in the same
    transaction (a release withdrawn "for legal reasons" must not stay readable through a link).
    """
    with transaction.atomic():
        _check(release, actor, "withdraw", comment)
        entry = _move(
            release=release,
            actor=actor,
            to_status=Status.WITHDRAWN,
            comment=comment,
            revision=transition_target(release, "withdraw"),
            fields={"live_revision": None, "scheduled_revision": None},
            expected_version=expected_version,
        )
        share_links_revoke_all(release=release)
        _public_changed(release)
    return entry


def release_reopen(
    *, release: Release, actor, comment: str = "", expected_version: int | None = None
) -> WorkflowLogEntry:
    """withdrawn → draft, to be reworked and go through review again.

    Needs `myths.submit_release` or `myths.publish_release`.
    """
    with transaction.atomic():
        _check(release, actor, "reopen", comment)
        return _move(
            release=release,
            actor=actor,
            to_status=Status.DRAFT,
            comment=comment,
            revision=transition_target(release, "reopen"),
            expected_version=expected_version,
        )


# --- Contact refresh: published releases take their contact's current details ------------------


def contact_refresh_refusal(*, release: Release, actor) -> ValidationError | None:
    """Why `actor` may not republish `release` with its contact's current details, or None.

    The four-eyes rule of a contact refresh: the batch publishes contact details without a
    reviewer, so the publisher who runs it must not be someone who changed that contact since the
    release's public revision was recorded (contacts.ContactChange); another publisher checks
    what they typed. Also needs `myths.publish_release` and a published revision.
    """
    if not may(actor, "publish"):
        return _error(_("You may not publish releases."), "permission_denied")
    live = release.live_revision
    if live is None or release.status == Status.WITHDRAWN:
        return _error(
            _("“%(title)s” is not published: there is nothing to republish.")
            % {"title": release.title},
            "not_public",
        )
    shown = revision_content(live).contact
    if shown is None or shown.id is None:
        return _error(
            _("“%(title)s” shows no press contact.") % {"title": release.title}, "up_to_date"
        )
    if ContactChange.objects.filter(contact_id=shown.id).by(actor).since(live.created_at).exists():
        return _error(
            _(
                "You changed this contact since “%(title)s” was published: another publisher "
                "must republish it (four-eyes rule)."
            )
            % {"title": release.title},
            "self_approval",
        )
    return None


def release_contact_refresh(
    *, release: Release, actor, expected_version: int | None = None
) -> WorkflowLogEntry:
    """Republish `release`'s public revision with its press contact's details as they are now,
    and nothing else: one new revision (saved by nobody; the log entry names `actor`), published at
    once, one log entry. No public notice: the content is not corrected (the revision and the log
    entry keep the record).

    What the public saw stays word for word except the contact block; edits waiting in the working
    copy are not published: the working copy is recorded again after the refresh, under its
    previous author, so it stays the latest revision (the next submit or approval acts on it, and
    the four-eyes rule still sees who wrote it). The status does not change. Refused with a coded
    error: `permission_denied`, `not_public`, `self_approval` (contact_refresh_refusal),
    `contact_unavailable` (the contact was deleted or is an unaccepted proposal), `up_to_date`
    (the release already shows the current details), `conflict` (the release was saved or moved
    since the actor saw `expected_version`).
    """
    with transaction.atomic():
        refusal = contact_refresh_refusal(release=release, actor=actor)
        if refusal is not None:
            raise refusal
        live = release.live_revision
        content = revision_content(live)
        contact = (
            PressContact.objects.accepted()
            .prefetch_related("social_handles")
            .filter(pk=content.contact.id)
            .first()
        )
        if contact is None:
            raise _error(
                _("The press contact of “%(title)s” is no longer public.")
                % {"title": release.title},
                "contact_unavailable",
            )
        current = ContactContent.from_contact(contact)
        if current.to_snapshot() == content.contact.to_snapshot():
            raise _error(
                _("“%(title)s” already shows the contact's current details.")
                % {"title": release.title},
                "up_to_date",
            )
        working = latest_revision(release)
        # Saved by nobody, as the scheduler's entries are: the log entry names the publisher. As
        # its author, the publisher would count as a writer of edits waiting in the working copy
        # (Release.written_in_part_by) and could no longer review them.
        revision = revision_create(
            release=release, author=None, content=replace(content, contact=current)
        )
        entry = _move(
            release=release,
            actor=actor,
            to_status=release.status,
            comment=_(
                "Republished with the current details of the press contact “%(contact)s”; "
                "nothing else changed."
            )
            % {"contact": contact},
            revision=revision,
            fields={"live_revision": revision},
            expected_version=expected_version,
        )
        if working is not None and working.pk != live.pk:
            # Unpublished edits: the working copy (with the contact's new details, as any save
            # would now record) is the latest revision again, credited to whoever wrote it.
            revision_create(release=release, author=working.author)
        _public_changed(release)
    return entry


@dataclass
class ContactRefreshOutcome:
    """What a batch contact refresh did: one log entry per release republished, and each release
    refused with the reason (the message of its coded error)."""

    refreshed: list[WorkflowLogEntry] = field(default_factory=list)
    refused: list[tuple[Release, str]] = field(default_factory=list)


def contact_releases_refresh(
    *, contact: PressContact, actor, versions: dict[int, int]
) -> ContactRefreshOutcome:
    """Republish, one by one through release_contact_refresh, the releases `versions` names (its
    keys are release ids, its values the versions the actor saw), each in its own transaction:
    one refusal (a conflict, the four-eyes rule) keeps none of the others from going through.

    Only releases that show `contact` on their public page are taken (Release.objects
    .showing_outdated_contact); any other id is reported as up to date.
    """
    outcome = ContactRefreshOutcome()
    outdated = Release.objects.showing_outdated_contact(contact).in_bulk(list(versions))
    others = Release.objects.in_bulk(list(versions))
    for pk in sorted(versions):
        release = outdated.get(pk)
        if release is None:
            if pk in others:
                outcome.refused.append(
                    (others[pk], _("It no longer shows older details of this contact."))
                )
            continue
        try:
            outcome.refreshed.append(
                release_contact_refresh(release=release, actor=actor, expected_version=versions[pk])
            )
        except ValidationError as error:
            outcome.refused.append((release, " ".join(error.messages)))
    return outcome


TRANSITION_FUNCTIONS = {
    "submit": release_submit,
    "request_changes": release_request_changes,
    "approve": release_approve,
    "publish": release_publish,
    "withdraw": release_withdraw,
    "reopen": release_reopen,
}


def release_transition(
    *,
    release: Release,
    actor,
    transition: str,
    comment: str = "",
    expected_version: int | None = None,
    notice_kind: str = "",
    notice_note: str = "",
) -> WorkflowLogEntry:
    """Run the transition named `transition` (a key of TRANSITIONS); for the admin's buttons.

    `expected_version` is the version the actor saw: the transition is refused (`conflict`) if
    the release was saved or moved since. `notice_kind` and `notice_note` go to `publish` (see
    release_publish); other transitions take none.
    """
    notice = (
        {"notice_kind": notice_kind, "notice_note": notice_note} if transition == "publish" else {}
    )
    return TRANSITION_FUNCTIONS[transition](
        release=release,
        actor=actor,
        comment=comment,
        expected_version=expected_version,
        **notice,
    )


# --- The scheduler -----------------------------------------------------------------------------


def _promote(release: Release) -> WorkflowLogEntry:
    """scheduled → published, by the scheduler (actor None): the scheduled revision goes live,
    issued at its publish time when it goes public for the first time."""
    first_time = release.first_published_at is None
    revision = release.scheduled_revision
    entry = _move(
        release=release,
        actor=None,
        to_status=Status.PUBLISHED,
        comment=_("Published at the scheduled time."),
        revision=revision,
        fields={
            "live_revision": F("scheduled_revision"),
            "scheduled_revision": None,
            "first_published_at": Coalesce("first_published_at", "publish_at"),
            **_identity_fields(
                release, goes_live_at=release.publish_at, planned=release.publish_at
            ),
        },
    )
    if first_time:
        _log_if_back_dated(release, None, revision)
    return entry


def publish_due(*, now=None) -> list[WorkflowLogEntry]:
    """Record scheduled → published for every release whose `publish_at` has come.

    The public already sees them (published() needs no cron); this writes the log entry and moves
    `scheduled_revision` into `live_revision`. A release another process moved first is skipped.
    """
    now = now or timezone.now()
    entries = []
    for release in Release.objects.scheduled().filter(publish_at__lte=now):
        try:
            with transaction.atomic():
                entries.append(_promote(release))
                _public_changed(release)
        except ValidationError:
            continue
    return entries


def expire_due(*, now=None) -> list[WorkflowLogEntry]:
    """Withdraw (actor None) every public or scheduled release whose `expire_at` has passed, and
    revoke its share links, as a publisher's withdrawal does."""
    now = now or timezone.now()
    entries = []
    due = Release.objects.exclude(status=Status.WITHDRAWN).filter(expire_at__lte=now)
    for release in due.filter(Q(live_revision__isnull=False) | Q(scheduled_revision__isnull=False)):
        try:
            with transaction.atomic():
                entries.append(
                    _move(
                        release=release,
                        actor=None,
                        to_status=Status.WITHDRAWN,
                        comment=_("Expired at its expiry time."),
                        revision=release.live_revision or release.scheduled_revision,
                        fields={"live_revision": None, "scheduled_revision": None},
                    )
                )
                share_links_revoke_all(release=release)
                _public_changed(release)
        except ValidationError:
            continue
    return entries


# --- Editing -----------------------------------------------------------------------------------


def release_version_claim(*, release: Release, expected_version: int | None) -> None:
    """Claim the right to save an edit based on `expected_version`, or raise `stale_edit`.

    One conditional UPDATE bumps the version only if nobody saved since the editor opened the form;
    call it inside the save's transaction, before anything is written, so a refused save writes
    nothing and the first editor's work stays.
    """
    if expected_version is None:
        raise _error(
            _("The form was sent without its version marker: reload the page and try again."),
            "stale_edit",
        )
    changed = Release.objects.filter(pk=release.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not changed:
        raise _error(
            _("Someone saved “%(title)s” after you opened it; your changes were not saved.")
            % {"title": release.title},
            "stale_edit",
        )
    release.version = expected_version + 1


# Fields of the working copy that public pages read directly (URL, language, translations,
# publish and expiry times): changing them on a public or scheduled release must empty the cache.
PUBLIC_FIELDS = frozenset({"publish_at", "expire_at", "slug", "language", "translation_of"})


# Fields no revision records because they say *when*, not *what*: only a publisher may change them
# (the admin makes them read-only to others), and a change on a public or scheduled release is
# logged like a transition.
TIME_FIELDS = {"publish_at": gettext_lazy("Publish time"), "expire_at": gettext_lazy("Expiry time")}


def _log_times_changed(release: Release, actor, changed_fields) -> None:
    changed = [name for name in TIME_FIELDS if name in changed_fields]
    public = release.live_revision_id or release.scheduled_revision_id
    if not changed or not public:
        return

    def shown(value):
        return date_format(timezone.localtime(value), "j F Y, H:i") if value else _("none")

    WorkflowLogEntry.objects.create(
        release=release,
        revision=release.live_revision or release.scheduled_revision,
        actor=actor,
        from_status=release.status,
        to_status=release.status,
        comment="; ".join(
            _("%(field)s set to %(value)s")
            % {"field": TIME_FIELDS[name], "value": shown(getattr(release, name))}
            for name in changed
        ),
    )


# An edit of the content of a release in these states sends it back to draft, with this log note.
EDITED_BACK_TO_DRAFT = {
    Status.APPROVED: gettext_lazy("Edited after approval: back to draft for a new review."),
    Status.SCHEDULED: gettext_lazy("Edited while scheduled: unscheduled, back to draft."),
    Status.PUBLISHED: gettext_lazy(
        "Edited after publication: the published version stays public until this one is "
        "approved and published."
    ),
}


def _publish_times_effects(release: Release, changed_fields) -> None:
    """What a save means for the public before its content is compared: a changed public field of
    a live or scheduled release shows at once, and a scheduled release already due is recorded as
    published first, so the edit does not take it off the site."""
    if PUBLIC_FIELDS.intersection(changed_fields) and (
        release.live_revision_id or release.scheduled_revision_id
    ):
        _public_changed(release)
    if "publish_at" in changed_fields and release.scheduled_revision_id and release.publish_at:
        # A scheduled correction is dated when it goes public: it moves with the publish time.
        ReleaseNotice.objects.filter(revision_id=release.scheduled_revision_id).update(
            published_at=release.publish_at
        )
    if (
        release.status == Status.SCHEDULED
        and release.publish_at
        and release.publish_at <= timezone.now()
    ):
        _promote(release)
        _public_changed(release)


def release_edit_saved(*, release: Release, actor, changed_fields=()) -> Revision:
    """Record an edit of the release (or of one of its responses) as a new revision, if the
    content changed; otherwise return the latest revision and record none.

    Call it after the release and its inlines are saved. If the content changed (the snapshot
    differs from the previous revision's), an approved or scheduled release goes back to draft
    (its scheduled revision cleared; one already due is first recorded as published, so the edit
    does not take it off the site); a published one goes to draft too but keeps its
    `live_revision`, so the public sees no change until the new version is approved and published.
    Logs the status change, if any, and a new publish or expiry time (TIME_FIELDS; every other
    field the public sees is in the snapshot). `changed_fields` names the release's fields the
    edit changed: when one of PUBLIC_FIELDS is among them and a revision is live or scheduled, the
    public generation is bumped with the edit, so the public sees e.g. a new expiry time at once.
    """
    with transaction.atomic():
        release.refresh_from_db()
        _log_times_changed(release, actor, changed_fields)
        _publish_times_effects(release, changed_fields)
        previous = latest_revision(release)
        translation_sources_refresh(release=release, previous=previous)
        # Only a change of content needs a new review: a publisher moving the publish or expiry
        # time of an approved or scheduled release keeps its approval. And only a change of
        # content is a revision: recording an unchanged save under the saver's name would make
        # someone else's text look like theirs to the four-eyes rule.
        changed = content_changed(previous, release, changed_fields=changed_fields)
        revision = revision_create(release=release, author=actor) if changed else previous
        if changed and release.status in EDITED_BACK_TO_DRAFT:
            unscheduled = release.scheduled_revision_id is not None
            _move(
                release=release,
                actor=actor,
                to_status=Status.DRAFT,
                comment=str(EDITED_BACK_TO_DRAFT[release.status]),
                revision=revision,
                fields={"scheduled_revision": None, "updated_by": actor},
            )
            if unscheduled:
                # Not public yet (one already due was promoted above), so no page changes; its
                # entry, waiting for publish_at, must go.
                public_index_refresh(release=release)
        else:
            Release.objects.filter(pk=release.pk).update(version=F("version") + 1, updated_by=actor)
            release.refresh_from_db()
    return revision


def claim_edit_saved(*, claim: Claim, actor) -> list[Revision]:
    """Record an edit of a claim (wording, claimant, first appearance, topics) as an edit of every
    release that answers it, credited to `actor`; returns each release's latest revision.

    A claim's fields are part of each answering release's snapshot. Recorded here, the change is
    the claim editor's to the four-eyes rule, not whoever saves the release next; each release
    then goes through release_edit_saved like any edit (approved or scheduled back to draft, a
    published one keeping its live revision until the change is reviewed). Call it after the
    claim and its topics are saved.
    """
    releases = Release.objects.filter(responses__claim=claim).distinct().order_by("pk")
    return [release_edit_saved(release=release, actor=actor) for release in releases]


def release_restore(*, release: Release, revision: Revision, actor) -> Revision:
    """Make an old revision the working copy again, recorded as a new revision (a draft).

    The release's fields, responses, figures and sources are rebuilt from the snapshot
    (`revisions.release_rows_restore`); the slug is kept (links to it must keep working). Its share
    links are revoked in the same transaction: they were sent out for another text. Needs
    `myths.change_release`.
    """
    if revision.release_id != release.pk:
        raise _error(_("That revision belongs to another release."), "wrong_release")
    if actor is None or not actor.has_perm("myths.change_release"):
        raise _error(_("You may not edit releases."), "permission_denied")
    content = revision_content(revision)
    language_changed = content.language != release.language
    with transaction.atomic():
        release_rows_restore(release=release, content=content)
        share_links_revoke_all(release=release)
        return release_edit_saved(
            release=release,
            actor=actor,
            changed_fields={"language"} if language_changed else (),
        )
