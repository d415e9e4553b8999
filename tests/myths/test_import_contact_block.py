"""Issue 12, items 1 and 2: the contact block read as the text says it, never guessed, and the
"for more information" sentence kept as written with its address visible."""

import re

import pytest

from contacts.links import handle_profile_url, phone_e164, phone_uri
from contacts.models import PressContact
from contacts.vcard import contact_vcard
from myths.importing import release_import
from myths.importing.parse import parse_release
from myths.pdf.render import release_pdf_html
from myths.revisions.content import ReleaseContent
from tests.factories import arrange_state

pytestmark = pytest.mark.django_db

TEXT = """Five myths about the Water Ministry

The ministry answers two claims.

Myth 1: The river is poisoned

It is not.

Myth 2: The dam will break

It will not.

For more information, please visit our "Water Facts" portal: https://water.example/facts

Jane Smith, Head of Media

Ministry of Water – Press Office

Tel.: +32(0)2 707 9867

Out of hours: +44 7700 900123

E-mail: press@water.example

Follow us on X @WaterPress and on Telegram @WaterNews

Mastodon: @press@social.example

Bluesky: @water.bsky.social

www.water.example
"""


@pytest.fixture
def contact():
    return parse_release(TEXT).contact


def test_office_line_gives_organisation_and_section_not_division(contact):
    assert (contact.organisation, contact.division, contact.section) == (
        "Ministry of Water",
        "",
        "Press Office",
    )


def test_division_office_line_keeps_the_organisation_empty():
    text = TEXT.replace("Ministry of Water – Press Office", "Public Diplomacy Division – Press")
    contact = parse_release(text).contact
    assert (contact.organisation, contact.division) == ("", "Public Diplomacy Division")


def test_spokesperson_and_role(contact):
    assert (contact.spokesperson, contact.spokesperson_role) == ("Jane Smith", "Head of Media")


def test_phones_with_their_labels_as_written(contact):
    assert contact.phones == [("", "+32(0)2 707 9867"), ("Out of hours", "+44 7700 900123")]


def test_handles_with_the_network_the_text_names(contact):
    assert contact.handles == [
        ("x", "@WaterPress"),
        ("telegram", "@WaterNews"),
        ("mastodon", "@press@social.example"),
        ("bluesky", "@water.bsky.social"),
    ]


def test_more_info_sentence_kept_as_written():
    parsed = parse_release(TEXT)
    assert parsed.more_info_url == "https://water.example/facts"
    assert parsed.more_info_label == (
        'For more information, please visit our "Water Facts" portal: https://water.example/facts'
    )


def test_import_never_fills_the_organisation_from_a_domain():
    text = TEXT.replace("Ministry of Water – Press Office\n", "Press Office\n")
    result = release_import(text_or_bytes=text, author=None)
    contact = result.release.contact
    assert contact.is_proposed
    assert contact.organisation == ""
    assert "water.example" not in contact.organisation
    assert any("does not name the organisation" in w for w in result.warnings)


def test_imported_contact_has_every_field():
    contact = release_import(text_or_bytes=TEXT, author=None).release.contact
    assert (contact.organisation, contact.section, contact.spokesperson) == (
        "Ministry of Water",
        "Press Office",
        "Jane Smith",
    )
    assert (contact.phone, contact.second_phone, contact.second_phone_label) == (
        "+32(0)2 707 9867",
        "+44 7700 900123",
        "Out of hours",
    )
    assert [(h.network, h.handle) for h in contact.social_handles.all()][:2] == [
        ("x", "@WaterPress"),
        ("telegram", "@WaterNews"),
    ]


def test_phone_links_are_e164_without_the_trunk_prefix():
    assert phone_e164("+32(0)2 707 9867") == "+3227079867"
    assert phone_uri("+44(0)20 7946 0321") == "tel:+442079460321"
    assert phone_uri("020 7946 0000") == ""  # no country code: no link, not a wrong one


@pytest.mark.parametrize(
    ("network", "handle", "url"),
    [
        ("x", "@WaterPress", "https://x.com/WaterPress"),
        ("telegram", "@WaterNews", "https://t.me/WaterNews"),
        ("bluesky", "@water.bsky.social", "https://bsky.app/profile/water.bsky.social"),
        ("mastodon", "@press@social.example", "https://social.example/@press"),
        ("", "@Unknown", ""),
    ],
)
def test_handle_profile_urls(network, handle, url):
    assert handle_profile_url(network, handle) == url


def test_vcard_has_e164_tel_and_no_guessed_org():
    release_import(text_or_bytes=TEXT.replace("Ministry of Water – ", ""), author=None)
    card = contact_vcard(PressContact.objects.get())
    assert "tel:+3227079867" in card
    assert "tel:+32027079867" not in card
    assert "ORG:" not in card
    assert "https://x.com/WaterPress" in card


def test_page_shows_the_sentence_the_address_tel_and_profile_links(client):
    release = release_import(text_or_bytes=TEXT, author=None).release
    contact = release.contact
    contact.is_proposed = False  # accepted, as someone allowed would
    contact.save()
    release.responses.update(verdict="false")
    arrange_state(release, "published")
    page = client.get(release.get_absolute_url()).content.decode()
    assert 'href="tel:+3227079867"' in page
    assert "+32(0)2 707 9867" in page  # displayed as written
    assert 'href="https://x.com/WaterPress"' in page
    assert 'href="https://t.me/WaterNews"' in page
    assert "Jane Smith, Head of Media" in page
    assert (
        'please visit our "Water Facts" portal: <a href="https://water.example/facts">'
        "https://water.example/facts</a>" in page.replace("&quot;", '"')
    )


def test_pdf_prints_the_sentence_the_address_and_e164_tel_links():
    release = release_import(text_or_bytes=TEXT, author=None).release
    html, _files = release_pdf_html(content=ReleaseContent.from_release(release))
    assert 'href="tel:+3227079867"' in html
    assert "+32(0)2 707 9867" in html
    # The address printed, not hidden (in pieces that break only after a / or a .).
    assert re.sub(r"<[^>]+>", "", html).count("https://water.example/facts") >= 1
    assert "Jane Smith, Head of Media" in html
    assert 'href="https://t.me/WaterNews"' in html


def test_an_organisation_line_below_a_division_office_line():
    text = TEXT.replace(
        "Ministry of Water – Press Office", "Flood Division – Press Office\n\nMinistry of Water"
    )
    contact = parse_release(text).contact
    assert (contact.organisation, contact.division, contact.section) == (
        "Ministry of Water",
        "Flood Division",
        "Press Office",
    )


def test_a_stray_sentence_is_not_taken_for_the_organisation():
    text = TEXT.replace(
        "Ministry of Water – Press Office", "Flood Division – Press Office\n\nOpen 9 to 5."
    )
    parsed = parse_release(text)
    assert parsed.contact.organisation == ""
    assert any("not understood" in w for w in parsed.warnings)
