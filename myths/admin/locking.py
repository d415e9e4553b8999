"""Optimistic edit locking for admin pages that edit a release or part of it: the version the form
was opened at is claimed again on save, and a lost race becomes a message instead of a 500.

The version rules live in myths.workflow (release_version_claim, release_edit_saved); this module
passes them the version marker posted by the form and turns their ValidationError into a rollback.
A save refused after validation (a lost race, a media storage that refuses an image) shows the
same form again with what the editor posted and the reason, so no typed text is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from myths import workflow
from myths.models import Release, Revision
from myths.uploads import MEDIA_WRITE_FAILED, MediaWriteError, media_writes_undone_on_error

# Fields of the release form the workflow writes (and logs) rather than the form's save.
WORKFLOW_FIELDS = frozenset({"issued_on"})

# Set on the request while the refused save's form is shown again (see changeform_view).
REFUSED_SAVE = "pressdesk_refused_save"


class EditConflict(Exception):
    """A save lost the version race after its form was validated; raised to roll it back."""

    def __init__(self, error: ValidationError):
        super().__init__(error.message)
        self.error = error


def posted_int(request, name: str) -> int | None:
    """An integer the page posted back (a version marker, a revision number); None if missing or
    not a number, which the workflow refuses as stale."""
    try:
        return int(request.POST.get(name))
    except (TypeError, ValueError):
        return None


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("someone")


def last_changed_by(current: Release) -> str:
    """Who changed `current` last, by a save (`updated_by`) or a workflow move (the log)."""
    entry = current.log_entries.select_related("actor").first()
    if entry and entry.actor and entry.created_at >= current.updated_at:
        return _display_name(entry.actor)
    return _display_name(current.updated_by)


def difference_link(release: Release, base_revision: int | None):
    """A link to the compare view from the revision the editor started from to the latest one;
    the revisions page when there is nothing to compare."""
    latest = Revision.objects.filter(release=release).order_by("-number").first()
    if latest and base_revision and latest.number != base_revision:
        return format_html(
            '<a href="{}?a={}&amp;b={}">{}</a>',
            reverse("admin:myths_release_compare", args=[release.pk]),
            base_revision,
            latest.number,
            _("See what changed since you opened it"),
        )
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:myths_release_revisions", args=[release.pk]),
        _("See the revisions"),
    )


def conflict_error(release: Release, base_revision: int | None, *, moved: bool) -> ValidationError:
    """The refusal of a save that lost a race: who changed the release, and the difference."""
    # As it is now, not the admin's copy (which holds the refused save's data).
    current = Release.objects.select_related("updated_by").get(pk=release.pk)
    values = {"title": current.title, "who": last_changed_by(current)}
    if moved:
        lead = _(
            "Not saved: “%(title)s” was moved in the workflow by someone else (%(who)s) while you "
            "were saving."
        )
    else:
        lead = _(
            "Not saved: %(who)s saved “%(title)s” after you opened it; your changes were not "
            "saved, so as not to overwrite theirs."
        )
    return ValidationError(
        format_html(
            "{} {}. {}",
            lead % values,
            difference_link(release, base_revision),
            _(
                "Your text is still in the form below: copy what you want to keep, reload the "
                "page and apply it again."
            ),
        ),
        code="stale_edit",
    )


def refused_form(form_class, refusal: ValidationError):
    """`form_class`, made invalid by `refusal`: bound to the posted data it shows them again,
    and it can never be saved."""

    class RefusedForm(form_class):
        def clean(self):
            # Not the form's own clean(): its version check would repeat the refusal, less fully.
            raise refusal

    RefusedForm.__name__ = RefusedForm.__qualname__ = form_class.__name__
    return RefusedForm


class ReleaseEditAdminMixin:
    """Optimistic locking for admin pages that edit a release or part of it (its responses).

    The form carries the release's version (forms.ReleaseVersionForm); `claim_release_version`
    claims it again inside the save's transaction, and `edit_saved` records the edit. A save that
    loses a race in either place raises EditConflict: the admin's atomic block rolls the whole
    save back, and the same page is shown again with the posted text and the reason. A figure
    the media storage refuses (uploads.MediaWriteError) is handled the same way.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            # A save that fails is rolled back; so are the image files it had stored already.
            with media_writes_undone_on_error():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            refusal = conflict.error
        except MediaWriteError:
            refusal = ValidationError(MEDIA_WRITE_FAILED, code="media_write_failed")
        if getattr(request, REFUSED_SAVE, None) is not None:
            raise RuntimeError("A refused save cannot be refused twice.")  # pragma: no cover
        # The atomic block of the save was rolled back: nothing of this save was written. The
        # second pass binds the same POST to a form that refuses it (get_form), so the admin
        # shows the editor's text again, with the reason, and saves nothing.
        setattr(request, REFUSED_SAVE, refusal)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, REFUSED_SAVE, None)
        return form_class if refusal is None else refused_form(form_class, refusal)

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
            raise EditConflict(
                conflict_error(release, form.cleaned_data.get("base_revision"), moved=False)
            ) from error

    def edit_saved(self, request, release, changed_fields=()):
        try:
            return workflow.release_edit_saved(
                release=release, actor=request.user, changed_fields=changed_fields
            )
        except ValidationError as error:
            # A transition landed between the version claim and the status change.
            raise EditConflict(
                conflict_error(release, posted_int(request, "base_revision"), moved=True)
            ) from error


class ReleaseSaveAdminMixin(ReleaseEditAdminMixin):
    """Saving a release from its change form: the version check, then a revision."""

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
        # myths/workflow.py, and the admin's in-memory copy of them may be stale by now. So does
        # the date of issue, which the workflow sets and logs (save_related).
        editable = [
            f.name
            for f in obj._meta.concrete_fields
            if f.name in form.fields and f.name not in WORKFLOW_FIELDS
        ]
        obj.save(update_fields=[*editable, "version", "updated_by", "updated_at"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Before the revision is recorded: it holds the order without gaps.
        form.instance.positions_renumber()
        before = Release.objects.values_list("status", flat=True).get(pk=form.instance.pk)
        self.edit_saved(request, form.instance, changed_fields=form.changed_data)
        if change and "issued_on" in form.changed_data:
            try:
                workflow.release_issued_set(
                    release=form.instance,
                    actor=request.user,
                    issued_on=form.cleaned_data["issued_on"],
                )
            except ValidationError as error:
                # Refused (a date in the future, no permission): nothing of the save is kept.
                raise EditConflict(error) from error
        if form.instance.status != before:
            self.message_user(
                request,
                _("Edited while %(before)s: the release is a draft again and needs a new review.")
                % {"before": Release.Status(before).label.lower()},
                messages.WARNING,
            )


class ResponseSaveAdminMixin(ReleaseEditAdminMixin):
    """Saving or deleting a response (with its figures and sources): checked against its
    release's version like the release form, which edits the same responses."""

    def save_model(self, request, obj, form, change):
        if change:
            # Claimed before anything is written, in the admin's transaction: a refused save
            # writes nothing, and the other editor's work stays.
            self.claim_release_version(Release.objects.get(pk=form.locked_release_id), form)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.release.positions_renumber()
        # A response is part of its release: its edit is a revision of the release, with the
        # same consequences (an approved release goes back to draft).
        self.edit_saved(request, form.instance.release)
        previous = form.initial.get("release")
        if change and previous and previous != form.instance.release_id:
            left = Release.objects.get(pk=previous)
            left.positions_renumber()  # the gap the response left behind
            self.edit_saved(request, left)

    def delete_model(self, request, obj):
        release = obj.release
        super().delete_model(request, obj)
        release.positions_renumber()
        self.edit_saved(request, release)

    def delete_queryset(self, request, queryset):
        releases = list(Release.objects.filter(responses__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for release in releases:
            release.positions_renumber()
            workflow.release_edit_saved(release=release, actor=request.user)
