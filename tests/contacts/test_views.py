import pytest
from django.urls import reverse

from core.cache import public_cache_bump
from tests.factories import PressContactFactory, SocialHandleFactory

pytestmark = pytest.mark.django_db


def test_contact_list_shows_every_contact_with_a_vcard_link(client):
    first = PressContactFactory(phone="+32 2 555 0199")
    second = PressContactFactory()
    html = client.get(reverse("contacts:contact-list")).content.decode()
    for contact in (first, second):
        assert contact.email in html
        assert reverse("contacts:contact-vcard", args=[contact.slug]) in html
    assert 'href="tel:+3225550199"' in html


def test_vcard(client):
    contact = PressContactFactory(
        organisation="Ministry of Examples, Harbours; and Canals",
        division="Public Information Division",
        section="Press Section",
        phone="+32 2 555 0100",
        email="press@example.org",
    )
    SocialHandleFactory(contact=contact, handle="@ExamplePress")
    response = client.get(reverse("contacts:contact-vcard", args=[contact.slug]))
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{contact.slug}.vcf"'
    assert response["ETag"]
    text = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded
    assert lines[0] == "BEGIN:VCARD" and lines[1] == "VERSION:4.0" and lines[-2] == "END:VCARD"
    assert text.endswith("\r\n")
    assert "FN:Public Information Division – Press Section" in lines
    assert "ORG:Ministry of Examples\\, Harbours\\; and Canals;Public Information Division" in lines
    assert "EMAIL;TYPE=work:press@example.org" in lines
    assert "TEL;TYPE=work,voice;VALUE=uri:tel:+3225550100" in lines


def test_long_values_are_folded(client):
    contact = PressContactFactory(division="D" * 150)
    text = client.get(reverse("contacts:contact-vcard", args=[contact.slug])).content.decode()
    assert "\r\n " in text
    unfolded = text.replace("\r\n ", "")
    assert "D" * 150 in unfolded


def test_unknown_vcard_is_404(client):
    assert client.get("/contacts/nobody.vcf").status_code == 404


def test_deleted_contact_is_gone_after_bump(client):
    contact = PressContactFactory()
    url = reverse("contacts:contact-vcard", args=[contact.slug])
    assert client.get(url).status_code == 200
    contact.delete()
    public_cache_bump()
    assert client.get(url).status_code == 404
