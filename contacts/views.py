from django.views.generic import ListView

from .models import PressContact


class ContactListView(ListView):
    template_name = "contacts/contact_list.html"
    context_object_name = "contacts"
    queryset = PressContact.objects.prefetch_related("social_handles")
