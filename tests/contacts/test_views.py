from datetime import UTC, datetime

import pytest
import time_machine
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


# --- Issue 13: addresses never broken mid-word, named spokesperson, print date --------------------


@pytest.mark.parametrize(
    ("address", "segments"),
    [
        (
            "press.office@ministry-of-example.gov.uk",
            ["press", ".office@", "ministry", "-of", "-example", ".gov", ".uk"],
        ),
        (
            "https://www.example.org/press/contacts?lang=en",
            ["https://", "www", ".example", ".org", "/press", "/contacts", "?lang", "=en"],
        ),
        ("@press@example.social", ["@press@", "example", ".social"]),
        ("", []),
    ],
)
def test_addresses_are_cut_only_between_their_parts(address, segments):
    from contacts.links import address_segments

    assert address_segments(address) == segments
    assert "".join(segments) == address


def test_contacts_page_wraps_addresses_only_between_parts(client):
    contact = PressContactFactory(
        email="press.office@ministry-of-example.gov.uk",
        website="https://www.example.org/press",
        spokesperson="Jane Smith",
        spokesperson_role="Head of Media",
        second_phone="+32 2 555 0199",
        second_phone_label="out of hours",
    )
    SocialHandleFactory(contact=contact, network="x", handle="@ExamplePress")
    html = client.get(reverse("contacts:contact-list")).content.decode()
    assert (
        'href="mailto:press.office@ministry-of-example.gov.uk"><span class="nobr">press</span>'
        '<wbr><span class="nobr">.office@</span><wbr>'
    ) in html
    assert 'href="https://www.example.org/press"><span class="nobr">https://</span><wbr>' in html
    assert "press.office@ministry-of-example.gov.uk</a>" not in html  # not as one breakable run
    assert "Jane Smith</dd>" not in html and "Jane Smith, Head of Media" in html
    assert "Telephone (out of hours)" in html
    assert 'href="https://x.com/ExamplePress"' in html
    assert '<a class="nobr" href="tel:+3225550199">+32 2 555 0199</a>' in html


@time_machine.travel(datetime(2026, 11, 27, 10, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    ("prefix", "line"),
    [
        ("", "Contact details as of 27 November 2026"),
        ("/fr", "Coordonnées à jour au 27 novembre 2026"),
        ("/ru", "Контактные данные на 27 ноября 2026"),
    ],
)
def test_contacts_page_dates_its_printed_copy_in_the_readers_language(client, prefix, line):
    PressContactFactory()
    html = client.get(prefix + reverse("contacts:contact-list")).content.decode()
    assert f'<p class="print-only contact-as-of">{line}' in html
    assert '<p class="contact-vcard">' in html  # hidden in print (print.css)
