from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import workflow
from .admin_import import ReleaseImportAdminMixin
from .admin_workflow import ReleaseEditAdminMixin, ReleaseWorkflowAdminMixin
from .forms import FigureForm, ReleaseAdminForm, ResponseAdminForm, ResponseInlineForm
from .models import Claim, Figure, Release, Response, Source, Topic

admin.site.site_header = _("Pressdesk")
admin.site.site_title = _("Pressdesk")
admin.site.index_title = _("Newsroom")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["wording", "claimant", "first_appeared_on"]
    list_filter = ["topics"]
    search_fields = ["wording", "claimant", "first_appeared_in"]
    autocomplete_fields = ["topics"]
    prepopulated_fields = {"slug": ["wording"]}
    fieldsets = [
        (None, {"fields": ["wording", "slug", "topics"]}),
        (
            _("Where it came from"),
            {
                "fields": [
                    "claimant",
                    "first_appeared_on",
                    "first_appeared_in",
                    "first_appearance_url",
                ]
            },
        ),
    ]


class ResponseInline(admin.StackedInline):
    model = Response
    form = ResponseInlineForm
    extra = 0
    min_num = 0
    fields = ["position", "claim", "new_claim", "verdict", "body"]
    autocomplete_fields = ["claim"]
    show_change_link = True
    verbose_name = _("claim and response")

    class Media:
        js = ["myths/admin/editor.js"]

    verbose_name_plural = _("claims and responses (Myth 1, Myth 2, … in the order of position)")


class FigureInline(admin.StackedInline):
    model = Figure
    form = FigureForm
    extra = 0
    fields = ["position", "image", "caption", "credit", "alt_text"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ["position", "url", "title", "publisher"]


@admin.register(Release)
class ReleaseAdmin(ReleaseImportAdminMixin, ReleaseWorkflowAdminMixin, admin.ModelAdmin):
    """Releases. Workflow buttons, revisions and share links: ReleaseWorkflowAdminMixin;
    the "Import release" page: ReleaseImportAdminMixin."""

    form = ReleaseAdminForm
    list_display = ["title", "status", "language", "publish_at", "updated_at", "updated_by"]
    list_filter = ["status", "language", "contact"]
    search_fields = ["title", "lede", "responses__claim__wording"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["translation_of"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "status",
        "public_version",
        "first_published_at",
        "created_by",
        "created_at",
        "updated_by",
    ]
    inlines = [ResponseInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "lede",
                    "language",
                    "translation_of",
                    # Hidden: the version the form was opened at (optimistic locking).
                    "version_marker",
                    "base_revision",
                ]
            },
        ),
        (
            _("Contact and further information"),
            {"fields": ["contact", "more_info_url", "more_info_label"]},
        ),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "public_version",
                    "publish_at",
                    "expire_at",
                    "first_published_at",
                ]
            },
        ),
        (
            _("Record"),
            {"classes": ["collapse"], "fields": ["created_by", "created_at", "updated_by"]},
        ),
    ]

    @admin.display(description=_("what the public sees"))
    def public_version(self, obj):
        if obj.live_revision_id and obj.scheduled_revision_id:
            return _("Revision %(live)s now; revision %(next)s from the publish time") % {
                "live": obj.live_revision.number,
                "next": obj.scheduled_revision.number,
            }
        if obj.live_revision_id:
            return _("Revision %(n)s") % {"n": obj.live_revision.number}
        if obj.scheduled_revision_id:
            return _("Revision %(n)s from the publish time") % {"n": obj.scheduled_revision.number}
        return _("Nothing (not public)")

    def get_changeform_initial_data(self, request):
        from contacts.models import PressContact

        initial = super().get_changeform_initial_data(request)
        default = PressContact.objects.default()
        if default and "contact" not in initial:
            initial["contact"] = default.pk
        return initial


@admin.register(Response)
class ResponseAdmin(ReleaseEditAdminMixin, admin.ModelAdmin):
    """Figures and sources of one response (Django's admin does not nest inlines). Checked
    against its release's version like the release form, which edits the same responses."""

    form = ResponseAdminForm
    list_display = ["claim", "release", "position", "verdict"]
    list_filter = ["verdict"]
    search_fields = ["claim__wording", "release__title", "body"]
    autocomplete_fields = ["claim", "release"]
    # version_marker and base_revision are hidden: the release's version when the form was opened.
    fields = ["release", "position", "claim", "verdict", "body", "version_marker", "base_revision"]
    inlines = [FigureInline, SourceInline]

    class Media:
        js = ["myths/admin/editor.js"]

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
