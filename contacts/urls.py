from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.ContactListView.as_view(), name="contact-list"),
    path("<slug:slug>.vcf", views.contact_vcard_view, name="contact-vcard"),
]
