"""The release admin's workflow parts: transition buttons and list actions, the version check on
save, the revisions pages (list, compare, restore) and share links.

Everything here calls myths.workflow / myths.sharing and reports with message_user; no status is
assigned here. ReleaseAdmin (myths/admin.py) mixes this in and stays declarative.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sharing, workflow
from .diff import revisions_diff
from .models import Release, Revision, ShareLink

BOTH = [ActionLocation.CHANGE_FORM, ActionLocation.CHANGE_LIST]
COMMENT_FIELD = "workflow_comment"
CONFIRM_FIELD = "workflow_confirm"


class EditConflict(Exception):
    """A save lost the version race after its form was validated; raised to roll it back."""

    def __init__(self, error: ValidationError):
        super().__init__(error.message)
        self.error = error


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


class ReleaseEditAdminMixin:
    """Optimistic locking for admin pages that edit a release or part of it (its responses).

    The form carries the release's version (forms.ReleaseVersionForm); `claim_release_version`
    claims it again inside the save's transaction, and `edit_saved` records the edit. A save that
    loses a race in either place raises EditConflict: the admin's atomic block rolls the whole
    save back, and the page says why instead of failing with a 500.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # The atomic block of the save was rolled back: nothing of this save was written.
            self.message_user(request, conflict.error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except EditConflict as conflict:
            self.message_user(request, conflict.error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def claim_release_version(self, release, form) -> None:
        try:
            workflow.release_version_claim(
                release=release, expected_version=form.cleaned_data.get("version_marker")
            )
        except ValidationError as error:
            raise EditConflict(error) from error

    def edit_saved(self, request, release, changed_fields=()):
        try:
            return workflow.release_edit_saved(
                release=release, actor=request.user, changed_fields=changed_fields
            )
        except ValidationError as error:
            # A transition landed between the version claim and the status change.
            raise EditConflict(
                ValidationError(
                    _(
                        "Not saved: “%(title)s” was moved in the workflow by someone else while "
                        "you were saving. Reload the page and apply your changes again."
                    )
                    % {"title": release.title},
                    code=error.code,
                )
            ) from error


class ReleaseWorkflowAdminMixin(ReleaseEditAdminMixin):
    """Transitions, revisions, compare, restore and share links for the release admin."""

    actions = [
        "submit",
        "request_changes",
        "approve",
        "publish",
        "withdraw",
        "reopen",
        "create_share_link",
    ]

    # --- Who may use what (one place per layer, STYLE rule 6) -----------------------------------

    def has_submit_permission(self, request, obj=None):
        return workflow.may(request.user, "submit")

    def has_review_permission(self, request, obj=None):
        return workflow.may(request.user, "approve")

    def has_publish_permission(self, request, obj=None):
        return workflow.may(request.user, "publish")

    def has_reopen_permission(self, request, obj=None):
        return workflow.may(request.user, "reopen")

    def has_share_permission(self, request, obj=None):
        return request.user.has_perm("myths.share_release")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            # Moving the publish or expiry time is a publisher's decision, not a writer's.
            fields += ["publish_at", "expire_at"]
        if obj is not None and obj.first_published_at:
            # The public URL is a promise: links to the page and its PDF must keep working.
            fields += ["slug"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        fields = dict(super().get_prepopulated_fields(request, obj))
        if obj is not None and obj.first_published_at:
            fields.pop("slug", None)  # read-only now: nothing to fill in from the title
        return fields

    # --- Transitions as actions -----------------------------------------------------------------

    def _transition(self, request, queryset, name):
        spec = workflow.TRANSITIONS[name]
        comment = request.POST.get(COMMENT_FIELD, "")
        on_change_form = "version_marker" in request.POST
        if not on_change_form and CONFIRM_FIELD not in request.POST:
            return self._ask_comment(request, queryset, spec)
        if on_change_form and any(self._unsaved_changes(request, r) for r in queryset):
            # The button acts on the saved release: going ahead would drop what was typed.
            self.message_user(
                request,
                _(
                    "Save your changes first: the form has edits that are not saved yet, and "
                    "“%(action)s” acts on the saved version. Nothing was done."
                )
                % {"action": spec.label},
                messages.ERROR,
            )
            return None
        done = 0
        for release in queryset:
            if on_change_form:
                # Act on the version the user was looking at, not on one saved since.
                try:
                    release.version = int(request.POST["version_marker"])
                except ValueError:
                    self.message_user(request, _("Bad version marker."), messages.ERROR)
                    return None
            elif not self._confirmed_version(request, release, name):
                continue
            try:
                workflow.release_transition(
                    release=release, actor=request.user, transition=name, comment=comment
                )
            except ValidationError as error:
                for message in _messages_of(error):
                    self.message_user(request, message, messages.ERROR)
            else:
                done += 1
                self.message_user(
                    request,
                    _("“%(title)s” is now %(status)s.")
                    % {"title": release.title, "status": release.get_status_display().lower()},
                    messages.SUCCESS,
                )
        return None

    def _unsaved_changes(self, request, release) -> bool:
        """Whether the change form posted with a button differs from the saved release.

        Fields and inline formsets left out of the POST altogether count as unchanged (a button
        posted on its own has nothing to lose); the version fields are not content.
        """
        form = self.get_form(request, release, change=True)(
            request.POST, request.FILES, instance=release
        )
        if _form_differs(form, request, ignore=("version_marker", "base_revision")):
            return True
        formsets, _inlines = self._create_formsets(request, release, change=True)
        return any(
            _form_differs(inline_form, request)
            for formset in formsets
            if formset.management_form.add_prefix("TOTAL_FORMS") in request.POST
            for inline_form in formset.forms
        )

    def _confirmed_version(self, request, release, name) -> bool:
        """Point `release` at the version confirmed on the list action's page, if the revision
        shown there is still the one the transition would act on; report it otherwise."""
        version = _int_or_none(request.POST.get(f"{CONFIRM_FIELD}_version_{release.pk}"))
        number = _int_or_none(request.POST.get(f"{CONFIRM_FIELD}_revision_{release.pk}"))
        target = _target_revision(release, name)
        if version is None or number != (target.number if target else 0):
            self.message_user(
                request,
                _(
                    "“%(title)s” changed after you confirmed (it is now at revision %(number)s): "
                    "nothing was done to it. Check it and try again."
                )
                % {"title": release.title, "number": target.number if target else 0},
                messages.ERROR,
            )
            return False
        # The transition's conditional update refuses it if anything was saved since.
        release.version = version
        return True

    def _ask_comment(self, request, queryset, spec):
        """The list action's intermediate page: which revision of each release the transition
        will act on (passed on with its version, so a later change is refused), and a comment
        box where one is required; then the same action again."""
        return TemplateResponse(
            request,
            "admin/myths/release/workflow_comment.html",
            {
                **self.admin_site.each_context(request),
                "title": spec.label,
                "opts": self.opts,
                "transition": spec,
                "releases": [
                    (release, _target_revision(release, spec.name)) for release in queryset
                ],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "comment_field": COMMENT_FIELD,
                "confirm_field": CONFIRM_FIELD,
            },
        )

    @admin.action(
        permissions=["submit"], description=gettext_lazy("Submit for review"), location=BOTH
    )
    def submit(self, request, queryset):
        return self._transition(request, queryset, "submit")

    @admin.action(
        permissions=["review"], description=gettext_lazy("Send back for changes"), location=BOTH
    )
    def request_changes(self, request, queryset):
        return self._transition(request, queryset, "request_changes")

    @admin.action(permissions=["review"], description=gettext_lazy("Approve"), location=BOTH)
    def approve(self, request, queryset):
        return self._transition(request, queryset, "approve")

    @admin.action(
        permissions=["publish"], description=gettext_lazy("Publish or schedule"), location=BOTH
    )
    def publish(self, request, queryset):
        return self._transition(request, queryset, "publish")

    @admin.action(permissions=["publish"], description=gettext_lazy("Withdraw"), location=BOTH)
    def withdraw(self, request, queryset):
        return self._transition(request, queryset, "withdraw")

    @admin.action(
        permissions=["reopen"], description=gettext_lazy("Reopen as draft"), location=BOTH
    )
    def reopen(self, request, queryset):
        return self._transition(request, queryset, "reopen")

    @admin.action(
        permissions=["share"], description=gettext_lazy("Create a share link"), location=BOTH
    )
    def create_share_link(self, request, queryset):
        for release in queryset:
            try:
                link = sharing.share_link_create(release=release, actor=request.user)
            except ValidationError as error:
                for message in _messages_of(error):
                    self.message_user(request, message, messages.ERROR)
                continue
            self.message_user(
                request,
                _("Share link for “%(title)s”, valid until %(date)s: %(url)s")
                % {
                    "title": release.title,
                    "date": link.expires_at.strftime("%d %b %Y"),
                    "url": sharing.share_link_url(link),
                },
                messages.SUCCESS,
            )

    # --- Saving: the version check, then a revision ---------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            self.claim_release_version(obj, form)
        else:
            obj.created_by = request.user
        obj.updated_by = request.user
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Only what the form edits: status, revision pointers and first publication belong to
        # myths/workflow.py, and the admin's in-memory copy of them may be stale by now.
        editable = [f.name for f in obj._meta.concrete_fields if f.name in form.fields]
        obj.save(update_fields=[*editable, "version", "updated_by", "updated_at"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = Release.objects.values_list("status", flat=True).get(pk=form.instance.pk)
        self.edit_saved(request, form.instance, changed_fields=form.changed_data)
        if form.instance.status != before:
            self.message_user(
                request,
                _("Edited while %(before)s: the release is a draft again and needs a new review.")
                % {"before": Release.Status(before).label.lower()},
                messages.WARNING,
            )

    # --- The change page's context ---------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        release = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if release is not None:
            available = workflow.available_transitions(release, request.user)
            extra_context.update(
                workflow_available=[t.name for t in available]
                + (["create_share_link"] if self.has_share_permission(request) else []),
                workflow_needs_comment=[t.name for t in available if t.comment_required],
                workflow_comment_field=COMMENT_FIELD,
                workflow_log=release.log_entries.select_related("actor", "revision")[:50],
                workflow_revisions=release.revisions.select_related("author")[:5],
                workflow_revision_count=release.revisions.count(),
                workflow_share_links=[
                    (link, sharing.share_link_url(link))
                    for link in sharing.active_share_links(release).select_related("created_by")
                ],
                workflow_can_share=self.has_share_permission(request),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # --- Revisions, compare, restore, share-link revocation -------------------------------------

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
                    release=release,
                    expected_version=_int_or_none(request.POST.get("version_marker")),
                )
                new = workflow.release_restore(
                    release=release, revision=revision, actor=request.user
                )
        except ValidationError as error:
            for message in _messages_of(error):
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


def _target_revision(release, name):
    """The revision a transition acts on: what gets approved, published, withdrawn."""
    if name == "publish" and release.status == Release.Status.SCHEDULED:
        return release.scheduled_revision
    if name == "withdraw":
        return release.live_revision or release.scheduled_revision
    return workflow.latest_revision(release)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _form_differs(form, request, ignore=()) -> bool:
    """Whether a bound form's posted values differ from its initial ones; a field missing from
    the POST does not count, nor do browsers' CRLF line endings in a textarea."""
    for name in form.changed_data:
        field = form.fields[name]
        if name in ignore or field.widget.value_omitted_from_data(
            request.POST, request.FILES, form.add_prefix(name)
        ):
            continue
        initial, data = form[name].initial, form[name].data
        if isinstance(data, str) and isinstance(initial, str | None):
            if _newlines(data) != _newlines(initial or ""):
                return True
        else:
            return True
    return False


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
