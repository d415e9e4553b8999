"""The "Import release" page of the release admin, as a mixin so releases.py stays declarative.

The view only turns the form and the service's ValidationError into a page; what an import makes
is decided by myths.importing.release_import().
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from myths.forms import ReleaseImportForm
from myths.importing import release_import


class ReleaseImportAdminMixin:
    """Adds admin/myths/release/import/ (URL name `admin:myths_release_import`)."""

    import_template = "admin/myths/release/import.html"

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
        if request.method == "POST":
            form = ReleaseImportForm(request.POST, request.FILES)
        else:
            form = ReleaseImportForm()
        if form.is_bound and form.is_valid():
            try:
                result = release_import(
                    text_or_bytes=form.cleaned_data["data"],
                    author=request.user,
                    filename=form.cleaned_data["file"].name,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                first, *rest = result.summary_lines()
                messages.success(
                    request,
                    format_html(
                        "{} {}<br>{}",
                        _("Imported as a draft:"),
                        first,
                        format_html_join(mark_safe("<br>"), "– {}", ((line,) for line in rest)),
                    ),
                )
                return redirect(reverse("admin:myths_release_change", args=[result.release.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import release"),
            "form": form,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, self.import_template, context)
