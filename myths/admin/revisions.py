"""The release admin's revision pages: every revision, two compared side by side, one restored as
a new draft; the change page's revision and share-link panel, and revoking a share link.

Restoring claims the version the page was opened at (myths.workflow) before it writes anything;
share links are revoked by myths.sharing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from myths import sharing, workflow
from myths.diff import revisions_diff
from myths.models import Revision, ShareLink

from .locking import posted_int


class ReleaseRevisionAdminMixin:
    """Revisions, compare, restore and share-link revocation for the release admin."""

    def revision_context(self, request, release) -> dict:
        """The change page's latest revisions and active share links."""
        return {
            "workflow_revisions": release.revisions.select_related("author")[:5],
            "workflow_revision_count": release.revisions.count(),
            "workflow_share_links": [
                (link, sharing.share_link_url(link))
                for link in sharing.active_share_links(release).select_related("created_by")
            ],
            "workflow_can_share": self.has_share_permission(request),
        }

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/",
                wrap(self.revisions_view),
                name="{}_{}_revisions".format(*info),
            ),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            path(
                "<path:object_id>/share-links/<int:link_id>/revoke/",
                wrap(self.revoke_share_link_view),
                name="{}_{}_revoke_share_link".format(*info),
            ),
            *super().get_urls(),
        ]

    def _release_or_404(self, request, object_id, *, change=False):
        release = self.get_object(request, unquote(object_id))
        if release is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, release)
            if change
            else self.has_view_or_change_permission(request, release)
        )
        if not allowed:
            raise PermissionDenied
        return release

    def _context(self, request, release, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": release,
            "title": title,
            "subtitle": str(release),
            **extra,
        }

    def revisions_view(self, request, object_id):
        """Every revision: number, who, when, state; preview, compare and restore links."""
        release = self._release_or_404(request, object_id)
        revisions = list(release.revisions.select_related("author"))
        return TemplateResponse(
            request,
            "admin/myths/release/revisions.html",
            self._context(
                request,
                release,
                _("Revisions"),
                revisions=revisions,
                comments=release.response_comments.for_page(),
                live_id=release.live_revision_id,
                scheduled_id=release.scheduled_revision_id,
                can_restore=self.has_change_permission(request, release),
            ),
        )

    def compare_view(self, request, object_id):
        """Side by side: revision `a` (older) and `b` (newer) of one release."""
        release = self._release_or_404(request, object_id)
        try:
            a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
        except ValueError:
            return HttpResponseBadRequest(_("Choose two revisions to compare (?a=1&b=2)."))
        old = get_object_or_404(Revision, release=release, number=a)
        new = get_object_or_404(Revision, release=release, number=b)
        sections = revisions_diff(old, new)
        return TemplateResponse(
            request,
            "admin/myths/release/compare.html",
            self._context(
                request,
                release,
                _("Revision %(a)s and revision %(b)s") % {"a": a, "b": b},
                old=old,
                new=new,
                sections=sections,
                unchanged=not any(s.changed for s in sections),
            ),
        )

    def restore_view(self, request, object_id, number):
        """POST: make revision `number` the working copy again, as a new draft revision."""
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:myths_release_revisions", args=[object_id]))
        release = self._release_or_404(request, object_id, change=True)
        revision = get_object_or_404(Revision, release=release, number=number)
        try:
            with transaction.atomic():
                workflow.release_version_claim(
                    release=release, expected_version=posted_int(request, "version_marker")
                )
                new = workflow.release_restore(
                    release=release, revision=revision, actor=request.user
                )
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:myths_release_revisions", args=[release.pk]))
        self.message_user(
            request,
            _("Revision %(old)s restored as revision %(new)s (a draft).")
            % {"old": revision.number, "new": new.number},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:myths_release_change", args=[release.pk]))

    def revoke_share_link_view(self, request, object_id, link_id):
        """POST: revoke one of the release's share links."""
        release = self._release_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:myths_release_change", args=[release.pk]))
        link = get_object_or_404(ShareLink, pk=link_id, release=release)
        try:
            sharing.share_link_revoke(link=link, actor=request.user)
        except ValidationError as error:
            raise PermissionDenied(error.message) from error
        self.message_user(request, _("The share link was revoked."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:myths_release_change", args=[release.pk]))
