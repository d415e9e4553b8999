"""The release admin's workflow buttons and list actions (transitions and share links), and the
list action's confirmation page; who may use them is checked here once per layer.

Each action calls myths.workflow with the version the user saw (`expected_version=`, from the
change form's version marker or the confirmation page) and reports with message_user; no status
and no version is assigned here. Which revision a transition acts on is workflow.transition_target.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from myths import sharing, workflow
from myths.forms import ReleaseNoticeForm
from myths.models import Release

from .locking import posted_int

BOTH = [ActionLocation.CHANGE_FORM, ActionLocation.CHANGE_LIST]
COMMENT_FIELD = "workflow_comment"
CONFIRM_FIELD = "workflow_confirm"
VERSION_FIELD = "version_marker"  # the change form's hidden version (forms.ReleaseVersionForm)
# What the publish step asks of a new version of a public release (forms.ReleaseNoticeForm).
NOTICE_KIND_FIELD, NOTICE_NOTE_FIELD = "notice_kind", "notice_note"


class ReleaseTransitionAdminMixin:
    """Transitions and share links as admin actions: buttons on the change form, list actions
    with a confirmation page."""

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

    # --- The change form's buttons ----------------------------------------------------------------

    def transition_context(self, request, release) -> dict:
        """What the change form's workflow panel needs: the buttons this user may press on
        `release` now, which of them need a comment, and the workflow log."""
        available = workflow.available_transitions(release, request.user)
        log = list(release.log_entries.select_related("actor", "revision")[:50])
        asks_notice = any(t.name == "publish" for t in available) and workflow.notice_required(
            release
        )
        return {
            **self.banner_context(release, log),
            "workflow_available": [t.name for t in available]
            + (["create_share_link"] if self.has_share_permission(request) else []),
            "workflow_needs_comment": [t.name for t in available if t.comment_required],
            "workflow_comment_field": COMMENT_FIELD,
            "workflow_log": log,
            "workflow_notice_form": ReleaseNoticeForm() if asks_notice else None,
            "workflow_notices": list(release.notices.select_related("actor", "revision")),
        }

    def banner_context(self, release, log) -> dict:
        """What the banner at the top of the change form says: the reviewer's comment when the
        release was just sent back, and what still stops it from going to review or the public.

        `log` is the workflow log, newest first. Only releases still on their way to the public
        get a banner: once approved, the checklist has been passed.
        """
        if release.status not in (Release.Status.DRAFT, Release.Status.IN_REVIEW):
            return {}
        last = log[0] if log else None
        sent_back = (
            last
            if last
            and release.status == Release.Status.DRAFT
            and last.from_status == Release.Status.IN_REVIEW
            else None
        )
        # What still stops the release is the quality gate's banner (quality_banner.html), shown
        # right below this one: listing the checklist here as well would say it twice.
        return {"banner_sent_back": sent_back}

    # --- Transitions as actions -----------------------------------------------------------------

    def _transition(self, request, queryset, name):
        spec = workflow.TRANSITIONS[name]
        on_change_form = VERSION_FIELD in request.POST
        if not on_change_form and CONFIRM_FIELD not in request.POST:
            return self._ask_comment(request, queryset, spec)
        seen = self._change_form_version(request, queryset, spec) if on_change_form else None
        if on_change_form and seen is None:
            return None
        for release in queryset:
            expected = seen if on_change_form else self._confirmed_version(request, release, name)
            if expected is not None:
                self._run(request, release, name, expected)
        return None

    def _run(self, request, release, name, expected_version: int) -> None:
        """Run one transition on the version the user saw, and say how it went."""
        try:
            workflow.release_transition(
                release=release,
                actor=request.user,
                transition=name,
                comment=request.POST.get(COMMENT_FIELD, ""),
                expected_version=expected_version,
                notice_kind=request.POST.get(NOTICE_KIND_FIELD, ""),
                notice_note=request.POST.get(NOTICE_NOTE_FIELD, ""),
            )
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            # Django's admin log ("Recent actions", the object's history) records the workflow
            # too; the workflow module stays free of admin imports, so the admin layer writes it.
            self.log_change(request, release, _workflow_log_message(name, release))
            self.message_user(
                request,
                _("“%(title)s” is now %(status)s.")
                % {"title": release.title, "status": release.get_status_display().lower()},
                messages.SUCCESS,
            )

    def _change_form_version(self, request, queryset, spec) -> int | None:
        """The version a button on the change form acts on: the one the form was opened at.

        None (reported) when the form holds unsaved edits or its version marker is not a number.
        """
        if any(self._unsaved_changes(request, release) for release in queryset):
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
        seen = posted_int(request, VERSION_FIELD)
        if seen is None:
            self.message_user(request, _("Bad version marker."), messages.ERROR)
        return seen

    def _unsaved_changes(self, request, release) -> bool:
        """Whether the change form posted with a button differs from the saved release.

        Fields and inline formsets left out of the POST altogether count as unchanged (a button
        posted on its own has nothing to lose); the version fields are not content. The inline
        formsets are built as the admin's change view builds them, through its public hooks.
        """
        form = self.get_form(request, release, change=True)(
            request.POST, request.FILES, instance=release
        )
        if _form_differs(form, request, ignore=(VERSION_FIELD, "base_revision")):
            return True
        return any(
            _form_differs(inline_form, request)
            for formset in self._posted_formsets(request, release)
            for inline_form in formset.forms
        )

    def _posted_formsets(self, request, release):
        """The change form's inline formsets bound to the POST, those it posted at all.

        Prefixes follow the admin's rule: the formset's default prefix, numbered from the second
        inline that shares it.
        """
        prefixes = {}
        for formset_class, inline in self.get_formsets_with_inlines(request, release):
            prefix = formset_class.get_default_prefix()
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
            if prefixes[prefix] != 1 or not prefix:
                prefix = f"{prefix}-{prefixes[prefix]}"
            formset = formset_class(**self.get_formset_kwargs(request, release, inline, prefix))
            if formset.management_form.add_prefix("TOTAL_FORMS") in request.POST:
                yield formset

    def _confirmed_version(self, request, release, name) -> int | None:
        """The version confirmed for `release` on the list action's page, if the revision shown
        there is still the one the transition would act on; None (reported) otherwise."""
        version = posted_int(request, f"{CONFIRM_FIELD}_version_{release.pk}")
        number = posted_int(request, f"{CONFIRM_FIELD}_revision_{release.pk}")
        target = workflow.transition_target(release, name)
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
            return None
        # The transition's conditional update refuses it if anything was saved since.
        return version

    def _ask_comment(self, request, queryset, spec):
        """The list action's intermediate page: which revision of each release the transition
        will act on (passed on with its version, so a later change is refused), a comment box
        where one is required, and for publishing new versions of public releases the kind of
        change and its public note; then the same action again."""
        new_versions = (
            [release for release in queryset if workflow.notice_required(release)]
            if spec.name == "publish"
            else []
        )
        return TemplateResponse(
            request,
            "admin/myths/release/workflow_comment.html",
            {
                **self.admin_site.each_context(request),
                "title": spec.label,
                "opts": self.opts,
                "transition": spec,
                "releases": [
                    (release, workflow.transition_target(release, spec.name))
                    for release in queryset
                ],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "comment_field": COMMENT_FIELD,
                "confirm_field": CONFIRM_FIELD,
                "new_versions": new_versions,
                "notice_form": ReleaseNoticeForm() if new_versions else None,
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
                for message in error.messages:
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


def _workflow_log_message(name: str, release) -> str:
    """The admin log's change message for a transition: what was done and the state it left."""
    return _("%(action)s: now %(status)s.") % {
        "action": workflow.TRANSITIONS[name].label,
        "status": release.get_status_display().lower(),
    }


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
