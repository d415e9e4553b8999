"""The "Import release" pages of the release admin, as a mixin so releases.py stays declarative:
step 1 a paste box or a file; step 2 a preview of how the text was understood, with each warning
beside its line; only then "Create draft" (or, when the text matches a release already there,
update that draft as a new revision or make a copy deliberately).

The views only turn forms and the services' ValidationErrors into pages; what an import makes is
decided by myths.importing.
"""

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from myths.forms import ReleaseImportConfirmForm, ReleaseImportForm
from myths.importing import release_import
from myths.importing.preview import (
    docx_discard,
    docx_keep,
    docx_kept,
    import_matches,
    import_read,
    import_token,
    is_docx,
)
from myths.importing.service import release_import_update


class ReleaseImportAdminMixin:
    """Adds admin/myths/release/import/ (URL name `admin:myths_release_import`)."""

    import_template = "admin/myths/release/import.html"
    import_preview_template = "admin/myths/release/import_preview.html"

    def has_import_permission(self, request) -> bool:
        """The one place the import permission is checked, for the button and the page."""
        return request.user.has_perm("myths.import_release")

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="myths_release_import",
            )
        ]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"has_import_permission": self.has_import_permission(request)} | (
            extra_context or {}
        )
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._import_confirm(request)
        bound = request.method == "POST"
        form = ReleaseImportForm(request.POST, request.FILES) if bound else ReleaseImportForm()
        if form.is_bound and form.is_valid():
            data, filename = form.cleaned_data["data"], form.cleaned_data["filename"]
            try:
                text, parsed = import_read(text_or_bytes=data, filename=filename)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                docx = docx_keep(data) if is_docx(filename) else ""
                return self._import_preview(request, text, filename, parsed, docx=docx)
        return self._import_page(request, form)

    def _import_page(self, request, form, errors=()):
        context = self._import_context(request, _("Import release")) | {
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, self.import_template, context)

    def _import_preview(self, request, text, filename, parsed, errors=(), docx=""):
        """The text as understood, each warning beside its line, and the buttons to go on."""
        by_line: dict[int, list[str]] = {}
        general = []
        for warning in parsed.warnings:
            line = getattr(warning, "line", None)
            (by_line.setdefault(line, []) if line else general).append(warning)
        lines = [
            (number, line, by_line.get(number, []))
            for number, line in enumerate(text.split("\n"), start=1)
        ]
        context = self._import_context(request, _("Check the import")) | {
            "parsed": parsed,
            "filename": filename,
            "source_lines": lines,
            "general_warnings": general,
            "figures": [_figure_shown(figure) for figure in parsed.figures],
            "matches": list(import_matches(text=text, parsed=parsed)),
            "token": import_token(text=text, filename=filename, docx=docx),
            "errors": errors,
        }
        return TemplateResponse(request, self.import_preview_template, context)

    def _import_confirm(self, request):
        form = ReleaseImportConfirmForm(request.POST)
        if not form.is_valid():
            errors = [e for errors in form.errors.values() for e in errors]
            return self._import_page(request, ReleaseImportForm(), errors)
        source = form.cleaned_data["token"]
        docx = source.get("docx", "")
        try:
            # A Word file waited in the private import directory (preview.docx_keep).
            source["data"] = docx_kept(docx) if docx else source["text"]
            text, parsed = import_read(text_or_bytes=source["data"], filename=source["filename"])
        except ValidationError as error:
            return self._import_page(request, ReleaseImportForm(), error.messages)
        matches = list(import_matches(text=text, parsed=parsed))
        choice = form.cleaned_data["choice"]
        try:
            result = self._import_apply(request, choice, form, source, matches)
        except ValidationError as error:
            return self._import_preview(
                request, text, source["filename"], parsed, errors=error.messages, docx=docx
            )
        if docx:
            docx_discard(docx)
        first, *rest = result.summary_lines()
        messages.success(
            request,
            format_html(
                "{} {}<br>{}",
                _("Imported as a draft:") if choice != form.UPDATE else _("Draft updated:"),
                first,
                format_html_join(mark_safe("<br>"), "– {}", ((line,) for line in rest)),
            ),
        )
        return redirect(reverse("admin:myths_release_change", args=[result.release.pk]))

    def _import_apply(self, request, choice, form, source, matches):
        if choice == form.UPDATE:
            target = next((r for r in matches if r.pk == form.cleaned_data["target"]), None)
            if target is None:
                raise ValidationError(_("Choose one of the matching releases to update."))
            return release_import_update(
                release=target,
                text_or_bytes=source["data"],
                filename=source["filename"],
                author=request.user,
                expected_version=form.cleaned_data["version"],
            )
        if matches and choice != form.COPY:
            raise ValidationError(
                _("This text matches a release already here: update it or create a copy.")
            )
        return release_import(
            text_or_bytes=source["data"], author=request.user, filename=source["filename"]
        )

    def _import_context(self, request, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": self.has_view_permission(request),
        }


def _figure_shown(figure) -> dict:
    """A Word image for the preview: its cleaned bytes as a data: thumbnail (the admin's CSP
    allows data: images), nothing stored yet."""
    figure.image.seek(0)
    encoded = base64.b64encode(figure.image.read()).decode()
    kind = "png" if figure.image.name.endswith(".png") else "jpeg"
    if figure.image.name.endswith(".webp"):
        kind = "webp"
    return {
        "claim": figure.claim,
        "name": figure.image.name,
        "thumbnail": f"data:image/{kind};base64,{encoded}",
        "caption": figure.caption,
        "credit": figure.credit,
        "alt_text": figure.alt_text,
    }
