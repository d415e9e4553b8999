from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import PressContact, SocialHandle
from .services import contact_changed


class SocialHandleInline(admin.TabularInline):
    model = SocialHandle
    extra = 1
    fields = ["network", "handle", "position"]


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    list_display = ["section", "organisation", "division", "phone", "email", "is_default"]
    list_filter = ["is_default", "organisation"]
    search_fields = ["organisation", "division", "section", "email", "phone"]
    prepopulated_fields = {"slug": ["organisation", "section"]}
    inlines = [SocialHandleInline]
    fieldsets = [
        (None, {"fields": ["organisation", "division", "section", "slug", "is_default"]}),
        (_("How to reach the office"), {"fields": ["phone", "email", "website"]}),
    ]

    # After the inlines too, so a changed social handle is public at once.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        contact_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        contact_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        contact_changed()
