"""Reviewers' comments on one response of a release, and their resolution by a writer.

The only writer of ResponseComment rows: who may comment or resolve, and in which state, is
checked here; refusals are coded ValidationErrors the admin turns into messages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Release, Response, ResponseComment
from .workflow import latest_revision

COMMENT_PERMISSION = "myths.add_responsecomment"
RESOLVE_PERMISSION = "myths.resolve_responsecomment"


def comment_create(*, response: Response, actor, text: str) -> ResponseComment:
    """A reviewer's comment on `response`, recorded at the release's latest revision.

    Needs `myths.add_responsecomment` (PermissionDenied otherwise), a release in review (code
    `wrong_state`: a comment belongs to a review) and some text (code `empty`).
    """
    if actor is None or not actor.is_active or not actor.has_perm(COMMENT_PERMISSION):
        raise PermissionDenied(_("You may not comment on responses."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a comment first."), code="empty")
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=response.release_id)
        if release.status != Release.Status.IN_REVIEW:
            raise ValidationError(
                _("Comments on a response are made while the release is in review."),
                code="wrong_state",
            )
        latest = latest_revision(release)
        return ResponseComment.objects.create(
            release=release,
            response=response,
            claim_id=response.claim_id,
            revision_number=latest.number if latest else 0,
            author=actor,
            text=text,
        )


def comment_resolve(*, comment: ResponseComment, actor) -> ResponseComment:
    """Mark `comment` resolved by `actor`, once.

    Needs `myths.resolve_responsecomment` (PermissionDenied otherwise); a comment already
    resolved, also by someone else a moment ago, is refused with code `already_resolved`.
    """
    if actor is None or not actor.is_active or not actor.has_perm(RESOLVE_PERMISSION):
        raise PermissionDenied(_("You may not resolve comments."))
    with transaction.atomic():
        # The conditional update decides between two writers pressing "Resolved" together.
        resolved = ResponseComment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
            resolved_by=actor, resolved_at=timezone.now()
        )
        if not resolved:
            raise ValidationError(_("This comment was already resolved."), code="already_resolved")
    comment.refresh_from_db()
    return comment
