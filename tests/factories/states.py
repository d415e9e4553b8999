"""Releases in a given workflow state, reached only through myths.workflow.

`arrange_state` is the one door tests use to put a release into a state; nothing here writes
`status` or a revision pointer.
"""

from contextlib import nullcontext
from datetime import timedelta

import time_machine
from django.utils import timezone

from myths import workflow
from myths.models import Release, ReleaseNotice
from myths.revisions import revision_create
from tests.factories.content import release_with_content
from tests.factories.users import UserFactory

Status = Release.Status

# The transitions that lead from a new draft to each state, and who runs each one.
STEPS = {
    Status.DRAFT: [],
    Status.IN_REVIEW: ["submit"],
    Status.APPROVED: ["submit", "approve"],
    Status.SCHEDULED: ["submit", "approve", "publish"],
    Status.PUBLISHED: ["submit", "approve", "publish"],
    Status.WITHDRAWN: ["submit", "approve", "publish", "withdraw"],
}
# The publisher who published is the one who withdraws.
ROLE_OF_STEP = {
    "submit": "writer",
    "approve": "reviewer",
    "publish": "publisher",
    "withdraw": "publisher",
}


def _moment_of_publishing(status, publish_at):
    """When the publisher must press "publish" for the workflow to leave `status` with this
    `publish_at`: a minute before it for a scheduled release, at it for a published one; None
    means now will do."""
    if publish_at is None:
        return None
    now = timezone.now()
    if status == Status.SCHEDULED and publish_at <= now:
        return publish_at - timedelta(minutes=1)
    if status in (Status.PUBLISHED, Status.WITHDRAWN):
        return publish_at
    return None


def arrange_state(
    release,
    status,
    *,
    publish_at=None,
    expire_at=None,
    author=None,
    notice_kind=ReleaseNotice.Kind.CORRECTION,
    notice_note="Corrected for a test.",
):
    """Put `release` into `status` the way its users would, for a test about reading, not about
    transitions.

    A writer (`author`, or a new one) saves a revision and submits, a reviewer approves, a
    publisher publishes (or schedules, when `publish_at` is ahead) and withdraws. A release that
    has left draft already (e.g. a published one whose working copy a test edited) is first sent
    back to draft by the writer's save, as the admin would, so its edits are what gets published.
    A refusal of the workflow (e.g. a release failing the checklist) is raised, never papered
    over. Times the clock has already passed are reached by travelling back: a scheduled release
    whose `publish_at` is past was scheduled a minute before it (the state between the publish
    time and the scheduler's next run); a published release given `publish_at` was published at
    that moment, which is also its first publication time. A withdrawn release keeps no live
    revision. Publishing a new version of a release the public has seen records a notice of
    `notice_kind` with `notice_note` (a correction, unless told otherwise).
    """
    if status == Status.SCHEDULED and publish_at is None:
        raise ValueError("A scheduled release needs its publish_at.")
    Release.objects.filter(pk=release.pk).update(publish_at=publish_at, expire_at=expire_at)
    release.refresh_from_db()
    writer = author or UserFactory(role="writer")
    actors = {"writer": writer}
    moment = _moment_of_publishing(status, publish_at)
    clock = time_machine.travel(moment, tick=False) if moment else nullcontext()
    with clock:
        if release.status == Status.DRAFT:
            revision_create(release=release, author=writer)
        else:
            workflow.release_edit_saved(release=release, actor=writer)
        release.refresh_from_db()
        for step in STEPS[status]:
            role = ROLE_OF_STEP[step]
            if role not in actors:
                actors[role] = UserFactory(role=role)
            # A new version of a release the public has seen goes out as a correction.
            notice = step == "publish" and workflow.notice_required(release)
            workflow.release_transition(
                release=release,
                actor=actors[role],
                transition=step,
                comment="Arranged for a test." if step == "withdraw" else "",
                notice_kind=notice_kind if notice else "",
                notice_note=notice_note if notice else "",
            )
    release.refresh_from_db()
    return release


def published_release(
    responses: int = 2, figures: int = 1, sources: int = 1, *, publish_at=None, **kwargs
):
    """A complete release, published (live revision) at `publish_at` or now."""
    release = release_with_content(responses=responses, figures=figures, sources=sources, **kwargs)
    return arrange_state(release, Status.PUBLISHED, publish_at=publish_at)


NON_PUBLIC_STATES = ["draft", "in_review", "approved", "scheduled", "withdrawn", "expired"]


def non_public_release(state: str, *, word: str = "", **kwargs):
    """A release in one of the states the public must never see, with `word` in its text.

    `word` goes into the title, lede and the first claim, so search and filter tests can look
    for it. Withdrawn and expired releases were public once: withdrawn by a publisher (no live
    revision left), expired by its expiry time passing (its live revision kept).
    """
    word = word or f"secret{state.replace('_', '')}"
    release = release_with_content(
        responses=1, title=f"Hidden {word} release", lede=f"Lede with {word}.", **kwargs
    )
    claim = release.responses.get().claim
    claim.wording = f"The {word} claim is true"
    claim.save()
    now = timezone.now()
    arrangements = {
        "draft": (Status.DRAFT, {}),
        "in_review": (Status.IN_REVIEW, {}),
        "approved": (Status.APPROVED, {}),
        "scheduled": (Status.SCHEDULED, {"publish_at": now + timedelta(days=2)}),
        "withdrawn": (Status.WITHDRAWN, {"publish_at": now - timedelta(days=3)}),
        "expired": (
            Status.PUBLISHED,
            {"publish_at": now - timedelta(days=3), "expire_at": now - timedelta(hours=1)},
        ),
    }
    if state not in arrangements:
        raise ValueError(state)
    status, times = arrangements[state]
    return arrange_state(release, status, **times)
