"""The myths ModelAdmins, declarative: what each list shows, which fields the forms have, which
inlines; the behaviour is mixed in (locking, transitions, revisions, importing modules).

Which field a role may change is decided here too (publish times, a published release's slug).
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from myths import workflow
from myths.forms import (
    ClaimAutocompleteSelect,
    FigureForm,
    ReleaseAdminForm,
    ResponseAdminForm,
    ResponseInlineForm,
)
from myths.models import Claim, Figure, Release, Response, Source, Topic
from myths.thumbnails import thumbnail_url

from .comments import ReleaseCommentAdminMixin
from .importing import ReleaseImportAdminMixin
from .locking import ReleaseSaveAdminMixin, ResponseSaveAdminMixin
from .quality import QualityFilter, ReleaseQualityAdminMixin
from .revisions import ReleaseRevisionAdminMixin
from .transitions import ReleaseTransitionAdminMixin
from .translating import ReleaseTranslationAdminMixin, StaleTranslationFilter

admin.site.site_header = _("Pressdesk")
admin.site.site_title = _("Pressdesk")
admin.site.index_title = _("Newsroom")

# The models edited inside each response on the release form (forms.RESPONSE_PARTS).
PARTS = ("figure", "source")


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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the topics: the claim is part of every release that answers it, and its editor,
        # not the next person to save one of them, is the author of the change (four-eyes rule).
        if change and form.has_changed():
            workflow.claim_edit_saved(claim=form.instance, actor=request.user)


class ResponseInline(admin.StackedInline):
    """A claim and its response, with its figures and sources edited in place
    (forms.ResponseInlineForm.parts, templates/admin/myths/release/response_inline.html)."""

    model = Response
    form = ResponseInlineForm
    template = "admin/myths/release/response_inline.html"
    extra = 0
    min_num = 0
    fields = ["position", "claim", "new_claim", "verdict", "body"]
    autocomplete_fields = ["claim"]
    verbose_name = _("claim and response")
    verbose_name_plural = _("claims and responses (Myth 1, Myth 2, … in the order of position)")

    class Media:
        js = ["myths/admin/editor.js", "myths/admin/ordering.js"]
        css = {"all": ["myths/admin/desk.css"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "claim":
            kwargs["widget"] = ClaimAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # One query each for the claims, figures and sources, whatever the number of claims.
        return (
            super()
            .get_queryset(request)
            .select_related("claim", "release")
            .prefetch_related("figures", "sources")
        )


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
class ReleaseAdmin(
    ReleaseCommentAdminMixin,
    ReleaseImportAdminMixin,
    ReleaseTransitionAdminMixin,
    ReleaseRevisionAdminMixin,
    ReleaseTranslationAdminMixin,
    ReleaseQualityAdminMixin,
    ReleaseSaveAdminMixin,
    admin.ModelAdmin,
):
    """Releases. Workflow buttons, list actions and share links: transitions.py; comments on a
    response: comments.py; revision pages:
    revisions.py; the version check on save: locking.py; the "Import release" page: importing.py;
    "Translate into…", the stale-translation panel and list filter: translating.py.
    """

    form = ReleaseAdminForm
    list_display = [
        "first_figure",
        "title",
        "status",
        "language",
        "quality_column",
        "publish_at",
        "last_edited",
    ]
    list_display_links = ["title"]
    list_select_related = ["updated_by"]
    list_filter = ["status", "language", QualityFilter, StaleTranslationFilter, "contact"]
    search_fields = ["title", "lede", "responses__claim__wording"]

    @admin.display(description=_("last edited"), ordering="updated_at")
    def last_edited(self, obj):
        """When and by whom, in one column: the list must fit 1280 px with the sidebar open."""
        when = date_format(timezone.localtime(obj.updated_at), "SHORT_DATETIME_FORMAT")
        who = obj.updated_by.get_username() if obj.updated_by else ""
        return format_html("{}<br>{}", when, who) if who else when

    date_hierarchy = "created_at"
    autocomplete_fields = ["translation_of"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "reference",
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
            {
                "fields": [
                    "contact",
                    "more_info_url",
                    "more_info_label",
                ]
            },
        ),
        (
            _("Office, dateline and notes"),
            {
                "fields": [
                    ("office", "reference"),
                    ("dateline_place", "issued_on"),
                    "valid_as_of",
                    "notes_to_editors",
                ]
            },
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

    class Media:
        css = {"all": ["myths/admin/desk.css"]}
        js = ["myths/admin/a11y.js"]

    def get_queryset(self, request):
        # The first figure's file for the list, in the list's one query.
        first = Figure.objects.filter(response__release=OuterRef("pk")).order_by(
            "response__position", "response_id", "position", "pk"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(first_figure_image=Subquery(first.values("image")[:1]))
        )

    @admin.display(description=_("picture"))
    def first_figure(self, obj):
        image = getattr(obj, "first_figure_image", None)
        if not image:
            return ""
        return format_html(
            '<img src="{}" alt="" class="pd-list-thumb" width="64" loading="lazy">',
            thumbnail_url(image),
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ResponseInline):
            # Figures and sources in place only for someone who may edit them on their own page.
            perms = [f"myths.{a}_{m}" for a in ("add", "change", "delete") for m in PARTS]
            kwargs["form_kwargs"] = {"parts_editable": request.user.has_perms(perms)}
        return kwargs

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # The figures and sources of each response, once the response has its primary key.
        deleted = set(map(id, getattr(formset, "deleted_forms", [])))
        for response_form in formset.forms:
            if response_form.instance.pk and id(response_form) not in deleted:
                save_parts = getattr(response_form, "save_parts", None)
                if save_parts:
                    save_parts()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            # Moving the publish or expiry time, choosing the issuing office and the date of
            # issue are a publisher's decisions, not a writer's.
            fields += ["publish_at", "expire_at", "office", "issued_on"]
        if obj is not None and obj.has_gone_public():
            # The public URL is a promise: links to the page and its PDF must keep working,
            # from the moment the page is public (a scheduled release is, once its time comes,
            # before the scheduler records it).
            fields += ["slug"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        fields = dict(super().get_prepopulated_fields(request, obj))
        if obj is not None and obj.has_gone_public():
            fields.pop("slug", None)  # read-only now: nothing to fill in from the title
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The change form with its workflow panel: buttons and log, revisions and share links."""
        release = self.get_object(request, unquote(object_id))
        if release is not None:
            extra_context = {
                **(extra_context or {}),
                **self.transition_context(request, release),
                **self.revision_context(request, release),
                **self.translation_context(request, release),
                **self.comment_context(request, release),
                **self.quality_context(request, release),
            }
        return super().change_view(request, object_id, form_url, extra_context)

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
        from contacts.models import PressContact, PressOffice

        initial = super().get_changeform_initial_data(request)
        office = PressOffice.objects.default()
        if office and "office" not in initial:
            initial["office"] = office.pk
        default = (office and office.default_contact) or PressContact.objects.default()
        if default and "contact" not in initial:
            initial["contact"] = default.pk
        return initial


@admin.register(Response)
class ResponseAdmin(ResponseSaveAdminMixin, admin.ModelAdmin):
    """Figures and sources of one response (Django's admin does not nest inlines). Checked
    against its release's version like the release form, which edits the same responses
    (locking.py)."""

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
