"""The release admin's view of the quality gate: the change form's banner of problems, and the
list's "Quality" column and filter, read from the summary each revision stores.

Finding problems is myths.quality's business; this module only asks and shows.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, ngettext

from myths import quality


class QualityFilter(admin.SimpleListFilter):
    """Releases whose latest revision has blocking problems, only warnings, or neither."""

    title = gettext_lazy("quality")
    parameter_name = "quality"

    def lookups(self, request, model_admin):
        return [
            ("block", gettext_lazy("Blocked from publication")),
            ("warn", gettext_lazy("Warnings only")),
            ("clean", gettext_lazy("No problems")),
        ]

    def queryset(self, request, queryset):
        if self.value() in ("block", "warn", "clean"):
            return queryset.quality(self.value())
        return queryset


class ReleaseQualityAdminMixin:
    """The gate's banner on the change form and its column in the list."""

    def get_queryset(self, request):
        # One subquery for the whole list: the column reads the stored summary, runs no check.
        return super().get_queryset(request).with_latest_quality()

    @admin.display(description=gettext_lazy("Quality"))
    def quality_column(self, obj):
        summary = getattr(obj, "latest_quality", None) or {}
        blocking, warnings = summary.get("block", 0), summary.get("warn", 0)
        if not blocking and not warnings:
            return "✓"
        parts = []
        if blocking:
            parts.append(
                ngettext("%(count)s blocking problem", "%(count)s blocking problems", blocking)
                % {"count": blocking}
            )
        if warnings:
            parts.append(
                ngettext("%(count)s warning", "%(count)s warnings", warnings) % {"count": warnings}
            )
        return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts))

    def quality_context(self, request, release) -> dict:
        """The problems of the working copy, blocking ones first, each with its fix and field."""
        return {"quality_problems": quality.release_problems(release)}
