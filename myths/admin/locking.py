"""Optimistic edit locking for admin pages that edit a release or part of it: the version the form
was opened at is claimed again on save, and a lost race becomes a message instead of a 500.

The version rules live in myths.workflow (release_version_claim, release_edit_saved); this module
passes them the version marker posted by the form and turns their ValidationError into a rollback.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from myths import workflow
from myths.models import Release


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
        # A response is part of its release: its edit is a revision of the release, with the
        # same consequences (an approved release goes back to draft).
        self.edit_saved(request, form.instance.release)
        previous = form.initial.get("release")
        if change and previous and previous != form.instance.release_id:
            self.edit_saved(request, Release.objects.get(pk=previous))

    def delete_model(self, request, obj):
        release = obj.release
        super().delete_model(request, obj)
        self.edit_saved(request, release)

    def delete_queryset(self, request, queryset):
        releases = list(Release.objects.filter(responses__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for release in releases:
            workflow.release_edit_saved(release=release, actor=request.user)
