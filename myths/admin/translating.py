"""The release admin's translations: the "Translate into…" page, the change form's panel of
claims whose original changed since they were translated, and the list filter of stale ones.

Making a translation and telling staleness are myths.translations' business; this module only
asks and shows.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from myths import translations, workflow


class TranslateForm(forms.Form):
    """The language to translate into: any the site offers but the original's and those taken."""

    language = forms.ChoiceField(label=gettext_lazy("Translate into"))

    def __init__(self, *args, original, **kwargs):
        super().__init__(*args, **kwargs)
        taken = {original.language, *original.translations.values_list("language", flat=True)}
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES if code not in taken
        ]


class StaleTranslationFilter(admin.SimpleListFilter):
    """Translations with at least one claim whose original changed since it was translated."""

    title = gettext_lazy("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("stale", gettext_lazy("Original changed since translated")),
            ("any", gettext_lazy("Any translation")),
            ("none", gettext_lazy("Originals only")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.filter(pk__in=translations.stale_translation_ids(queryset))
        if self.value() == "any":
            return queryset.filter(translation_of__isnull=False)
        if self.value() == "none":
            return queryset.filter(translation_of__isnull=True)
        return queryset


class ReleaseTranslationAdminMixin:
    """ "Translate into…" and the staleness panel for the release admin."""

    def translation_context(self, request, release) -> dict:
        """What the change form's translation panel needs: the stale claims with their diffs,
        the checklist's warnings, and whether this user may translate."""
        stale = translations.stale_claims(release)
        return {
            "translation_stale": stale,
            # The gate's other warnings are in the change form's quality banner (admin/quality.py).
            "checklist_warnings": [
                message
                for warning in (workflow.checklist_warnings(release) if stale else [])
                if warning.code == "stale_translation"
                for message in warning.messages
            ],
            "translation_can_translate": self.has_add_permission(request),
        }

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/translate/",
                self.admin_site.admin_view(self.translate_view),
                name="{}_{}_translate".format(*info),
            ),
            *super().get_urls(),
        ]

    def translate_view(self, request, object_id):
        """Ask for a language (GET); create the linked draft and open it (POST)."""
        release = self.get_object(request, unquote(object_id))
        if release is None:
            raise Http404
        if not (self.has_add_permission(request) and self.has_view_permission(request, release)):
            raise PermissionDenied
        original = release.translation_of or release
        form = TranslateForm(request.POST or None, original=original)
        if request.method == "POST" and form.is_valid():
            try:
                translation = translations.release_translate(
                    release=original, language=form.cleaned_data["language"], actor=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Draft translation created: translate the text, then submit it for review."),
                    messages.SUCCESS,
                )
                info = self.opts.app_label, self.opts.model_name
                return HttpResponseRedirect(
                    reverse("admin:{}_{}_change".format(*info), args=[translation.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": release,
            "source": original,
            "form": form,
            "title": _("Translate “%(title)s”") % {"title": original.title},
        }
        return TemplateResponse(request, "admin/myths/release/translate.html", context)
