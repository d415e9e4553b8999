"""The release admin's comments on single responses: the panel's context, and the two POST
pages that add a comment (reviewers) and resolve one (writers).

myths.comments writes and checks; this layer only turns its answers into messages and records
them in Django's admin log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _

from myths import comments
from myths.models import Response, ResponseComment

from .locking import posted_int


def _beside_each_response(groups) -> dict[int, dict]:
    """Per response id: its number, its open comments and its resolved ones."""
    return {
        response.pk: {
            "number": number,
            "open": [c for c in group if c.resolved_at is None],
            "resolved": [c for c in group if c.resolved_at is not None],
        }
        for number, response, group in groups
    }


class ReleaseCommentAdminMixin:
    """Comments on a response, shown on the release's change form grouped by myth."""

    def comment_context(self, request, release) -> dict:
        """Each response of the release as (number, response, its comments), the responses'
        order, in two queries however many there are; and what this user may do with them."""
        responses = list(release.responses.select_related("claim").order_by("position", "pk"))
        by_response: dict[int | None, list[ResponseComment]] = {}
        for comment in release.response_comments.for_page():
            by_response.setdefault(comment.response_id, []).append(comment)
        current = {response.pk for response in responses}
        groups = [
            (number, response, by_response.get(response.pk, []))
            for number, response in enumerate(responses, start=1)
        ]
        return {
            "comment_groups": groups,
            # What each response's inline block shows beside its claim (response_comments.html).
            "comment_by_response": _beside_each_response(groups),
            # Comments whose response was since removed (or replaced by a restore) stay visible.
            "comment_earlier": [
                comment
                for response_id, group in by_response.items()
                if response_id not in current
                for comment in group
            ],
            "comment_can_add": request.user.has_perm(comments.COMMENT_PERMISSION)
            and release.status == release.Status.IN_REVIEW,
            "comment_can_resolve": request.user.has_perm(comments.RESOLVE_PERMISSION),
            "comment_any": bool(by_response),
            "comment_open_count": sum(
                1 for group in by_response.values() for c in group if c.resolved_at is None
            ),
        }

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/comments/add/",
                wrap(self.comment_add_view),
                name="{}_{}_comment_add".format(*info),
            ),
            path(
                "<path:object_id>/comments/<int:comment_id>/resolve/",
                wrap(self.comment_resolve_view),
                name="{}_{}_comment_resolve".format(*info),
            ),
            *super().get_urls(),
        ]

    def _back_to_form(self, request, release):
        """The change form again, at the myth the form was about (a number, or the top)."""
        url = reverse("admin:myths_release_change", args=[release.pk])
        number = posted_int(request, "number")
        return HttpResponseRedirect(f"{url}#comments-myth-{number}" if number else url)

    def comment_add_view(self, request, object_id):
        """POST: a reviewer's comment on one response of this release."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        release = self._release_or_404(request, object_id)
        response = get_object_or_404(
            Response, release=release, pk=request.POST.get("response") or 0
        )
        try:
            comments.comment_create(
                response=response, actor=request.user, text=request.POST.get("text", "")
            )
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.log_change(
                request, release, _("Commented on “%(claim)s”.") % {"claim": response.claim}
            )
            self.message_user(request, _("Your comment is recorded."), messages.SUCCESS)
        return self._back_to_form(request, release)

    def comment_resolve_view(self, request, object_id, comment_id):
        """POST: a writer marks a comment resolved."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        release = self._release_or_404(request, object_id, change=True)
        comment = get_object_or_404(ResponseComment, release=release, pk=comment_id)
        try:
            comments.comment_resolve(comment=comment, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.log_change(
                request, release, _("Resolved a comment on “%(claim)s”.") % {"claim": comment.claim}
            )
            self.message_user(request, _("The comment is marked resolved."), messages.SUCCESS)
        return self._back_to_form(request, release)
