"""Press contacts, public: the list and a vCard per contact; accepted contacts only (a contact an
import proposed is not public until accepted)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import ListView

from core.page_cache import PublicCacheMixin, public_cache

from .models import PressContact
from .vcard import contact_vcard


class ContactListView(PublicCacheMixin, ListView):
    template_name = "contacts/contact_list.html"
    context_object_name = "contacts"
    queryset = (
        PressContact.objects.accepted()
        .prefetch_related("social_handles")
        .order_by("-is_default", "organisation", "section")
    )

    def get_context_data(self, **kwargs):
        # The printed page's date: the details were current when the page was made (a change
        # of a contact empties the public cache, contacts.services.contact_changed).
        return super().get_context_data(**kwargs, as_of=timezone.localdate())


@public_cache
def contact_vcard_view(request, slug):
    contact = get_object_or_404(
        PressContact.objects.accepted().prefetch_related("social_handles"), slug=slug
    )
    response = HttpResponse(contact_vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contact.slug}.vcf"'
    return response
