"""The press contact's admin as myths extends it (contacts may not import myths): after a change
of a contact's details, the published releases that still show the older ones, and the batch
that republishes them through myths.workflow.contact_releases_refresh.

Registered in place of contacts' own PressContactAdmin, whose behaviour it keeps.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts.admin import PressContactAdmin
from contacts.models import DETAIL_FIELDS, PressContact
from myths import workflow
from myths.models import Release
from myths.revisions import ContactContent, revision_content

from .locking import posted_int

RELEASE_FIELD = "release"


def contact_differences(shown: ContactContent, current: ContactContent) -> list[tuple]:
    """(field's name, what the release shows, what the contact says now) per detail that differs."""
    old, new = shown.to_snapshot(), current.to_snapshot()
    rows = [
        (PressContact._meta.get_field(name).verbose_name, old.get(name, ""), new.get(name, ""))
        for name in DETAIL_FIELDS
        if old.get(name, "") != new.get(name, "")
    ]
    if old.get("social", []) != new.get("social", []):
        rows.append((_("social media"), _handles(shown), _handles(current)))
    return rows


def _handles(contact: ContactContent) -> str:
    return ", ".join(
        f"{handle} ({label})" if label else handle for _network, label, handle in contact.social
    )


class ContactRefreshAdmin(PressContactAdmin):
    change_form_template = "admin/contacts/presscontact/change_form.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_outdated_releases"
        view = self.admin_site.admin_view(self.outdated_releases_view)
        return [path("<path:object_id>/releases/", view, name=name), *super().get_urls()]

    def outdated_url(self, contact) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_outdated_releases",
            args=[contact.pk],
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        contact = self.get_object(request, unquote(object_id))
        if contact is not None:
            extra_context = {
                **(extra_context or {}),
                "outdated_count": Release.objects.showing_outdated_contact(contact).count(),
                "outdated_url": self.outdated_url(contact),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        """After a save that leaves published releases showing older details, go to their list
        (unless the editor asked to keep editing)."""
        response = super().response_change(request, obj)
        if any(key in request.POST for key in ("_continue", "_addanother", "_saveasnew")):
            return response
        count = Release.objects.showing_outdated_contact(obj).count()
        if not count:
            return response
        self.message_user(
            request,
            ngettext(
                "%(n)d published release still shows older details of this contact.",
                "%(n)d published releases still show older details of this contact.",
                count,
            )
            % {"n": count},
            messages.WARNING,
        )
        return HttpResponseRedirect(self.outdated_url(obj))

    def outdated_releases_view(self, request, object_id):
        """The published releases that show older details of the contact, and (POST, for
        publishers) their republication with the current ones."""
        contact = self.get_object(request, unquote(object_id))
        if contact is None:
            raise Http404(_("No such contact."))
        if not self.has_view_or_change_permission(request, contact):
            raise PermissionDenied
        may_publish = workflow.may(request.user, "publish")
        if request.method == "POST":
            if not may_publish:
                raise PermissionDenied
            return self._republish(request, contact)
        current = ContactContent.from_contact(contact)
        releases = (
            Release.objects.showing_outdated_contact(contact)
            .select_related("live_revision")
            .order_by("-public_date", "pk")
        )
        rows = []
        for release in releases:
            refusal = workflow.contact_refresh_refusal(release=release, actor=request.user)
            shown = revision_content(release.live_revision).contact
            rows.append(
                {
                    "release": release,
                    "differences": contact_differences(shown, current),
                    "refusal": refusal.messages[0] if refusal and may_publish else "",
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": contact,
            "title": _("Published releases showing older details of %(contact)s")
            % {"contact": contact},
            "rows": rows,
            "may_publish": may_publish,
            "release_field": RELEASE_FIELD,
            "selectable": sum(1 for row in rows if not row["refusal"]),
        }
        return TemplateResponse(
            request, "admin/contacts/presscontact/outdated_releases.html", context
        )

    def _republish(self, request, contact):
        versions = {}
        for value in request.POST.getlist(RELEASE_FIELD):
            if value.isdigit():
                versions[int(value)] = posted_int(request, f"version-{value}")
        outcome = workflow.contact_releases_refresh(
            contact=contact, actor=request.user, versions=versions
        )
        for entry in outcome.refreshed:
            # Django's admin log records the workflow too (as the release's buttons do).
            self.log_change(request, entry.release, entry.comment)
        if outcome.refreshed or not outcome.refused:
            self.message_user(
                request,
                ngettext(
                    "%(n)d release republished with the contact's current details.",
                    "%(n)d releases republished with the contact's current details.",
                    len(outcome.refreshed),
                )
                % {"n": len(outcome.refreshed)},
                messages.SUCCESS if outcome.refreshed else messages.WARNING,
            )
        if outcome.refused:
            self.message_user(
                request,
                format_html(
                    "{}<ul>{}</ul>",
                    ngettext(
                        "%(n)d release was not republished:",
                        "%(n)d releases were not republished:",
                        len(outcome.refused),
                    )
                    % {"n": len(outcome.refused)},
                    format_html_join(
                        "", "<li>{}: {}</li>", ((r.title, why) for r, why in outcome.refused)
                    ),
                ),
                messages.ERROR,
            )
        return HttpResponseRedirect(self.outdated_url(contact))


admin.site.unregister(PressContact)
admin.site.register(PressContact, ContactRefreshAdmin)
