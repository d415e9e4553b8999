"""Previews of unpublished revisions on the public template: for staff, and through share links.

Never public, never indexed, never cached: every answer is noindex and `private, no-store`.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Revision
from ..revisions import revision_content
from ..sharing import share_link_resolve
from .views import in_content_language, release_identity


@dataclass(frozen=True)
class Preview:
    """What the public template needs to mark a page as a preview (banner, noindex)."""

    label: str
    revision: Revision
    shared: bool = False


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _render_revision(request, revision: Revision, label: str, *, shared: bool = False):
    content = revision_content(revision)
    response = render(
        request,
        "myths/release_detail.html",
        {
            "content": content,
            **release_identity(revision.release, content),
            "release": revision.release,
            "public_date": None,
            "preview": Preview(label=label, revision=revision, shared=shared),
        },
    )
    return _private(in_content_language(response, content.language))


@permission_required("myths.view_release", raise_exception=True)
def revision_preview(request, pk):
    """Staff preview of any revision, on the real public template, marked as a preview."""
    revision = get_object_or_404(Revision.objects.select_related("release"), pk=pk)
    label = _("Preview of revision %(number)s — %(status)s, not public") % {
        "number": revision.number,
        "status": revision.get_status_display().lower(),
    }
    return _render_revision(request, revision, label)


def share_preview(request, token):
    """The latest revision of the one release a share link names, for a reader without account.

    Invalid, expired or revoked links answer 404 or 410 with a short page; all answers are
    noindex and never cached.
    """
    try:
        link = share_link_resolve(token)
    except ValidationError as exc:
        status = 410 if exc.code in ("expired", "revoked") else 404
        return _private(
            render(request, "myths/share_link_closed.html", {"message": exc.message}, status=status)
        )
    revision = link.release.revisions.order_by("-number").first()
    if revision is None:
        return _private(
            render(
                request,
                "myths/share_link_closed.html",
                {"message": _("There is nothing to preview yet.")},
                status=404,
            )
        )
    label = _("Shared preview — draft, not public. This link expires on %(date)s.") % {
        "date": timezone.localtime(link.expires_at).strftime("%d %B %Y")
    }
    return _render_revision(request, revision, label, shared=True)
