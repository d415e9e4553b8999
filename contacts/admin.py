from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import PressContact, SocialHandle


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
