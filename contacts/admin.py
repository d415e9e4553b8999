from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.cache import public_cache_bump

from .forms import PressOfficeForm
from .models import PressContact, PressOffice, SocialHandle
from .services import contact_accept, contact_changed, contact_details_changed


class SocialHandleInline(admin.TabularInline):
    model = SocialHandle
    extra = 1
    fields = ["network", "handle", "position"]


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    list_display = [
        "section",
        "organisation",
        "division",
        "phone",
        "email",
        "is_default",
        "is_proposed",
    ]
    list_filter = ["is_proposed", "is_default", "organisation"]
    search_fields = ["organisation", "division", "section", "email", "phone"]
    prepopulated_fields = {"slug": ["organisation", "section"]}
    # Only the action accepts a proposal: it checks the permission and empties the public cache.
    readonly_fields = ["is_proposed"]
    inlines = [SocialHandleInline]
    actions = ["accept_proposed"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organisation",
                    "division",
                    "section",
                    "slug",
                    "is_default",
                    "is_proposed",
                ]
            },
        ),
        (
            _("How to reach the office"),
            {
                "fields": [
                    ("spokesperson", "spokesperson_role"),
                    ("phone", "phone_label"),
                    ("second_phone", "second_phone_label"),
                    "email",
                    "website",
                ]
            },
        ),
    ]

    @admin.action(description=_("Accept proposed contact"), permissions=["add"])
    def accept_proposed(self, request, queryset):
        accepted = 0
        for contact in queryset.proposed():
            try:
                contact_accept(contact=contact, actor=request.user)
            except ValidationError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
            accepted += 1
        self.message_user(
            request,
            ngettext(
                "%(n)d contact accepted: it is public now.",
                "%(n)d contacts accepted: they are public now.",
                accepted,
            )
            % {"n": accepted},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        # What readers saw before this save, handles included (the inlines are saved after this).
        form.details_before = (
            PressContact.objects.prefetch_related("social_handles").get(pk=obj.pk).details()
            if change
            else None
        )
        super().save_model(request, obj, form, change)

    # After the inlines too, so a changed social handle is public at once, and the change of
    # details is recorded with who made it (the four-eyes rule of republishing releases reads it).
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        contact = PressContact.objects.prefetch_related("social_handles").get(pk=form.instance.pk)
        contact_details_changed(
            contact=contact, actor=request.user, before=getattr(form, "details_before", None)
        )
        contact_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        contact_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        contact_changed()


@admin.register(PressOffice)
class PressOfficeAdmin(admin.ModelAdmin):
    """The offices releases are issued by (issue 13): letterhead, boilerplate, dateline, time zone
    and reference numbers. The logo passes the image gate (PressOfficeForm)."""

    form = PressOfficeForm
    list_display = ["name", "dateline_place", "time_zone", "reference_pattern", "is_default"]
    search_fields = ["name", "dateline_place"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["default_contact"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_default"]}),
        (_("Letterhead and boilerplate"), {"fields": ["logo", "about"]}),
        (
            _("Dateline and reference numbers"),
            {"fields": ["dateline_place", "time_zone", "reference_pattern"]},
        ),
        (_("Presentation and contact"), {"fields": ["verdict_style", "default_contact"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Pages of releases recorded before offices were (issue 13) show the office as it is.
        public_cache_bump()
