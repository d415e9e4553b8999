"""Issue 13, items 5 and 6 in a real browser: the contacts page at desktop and 320 px and in
print, with no line break inside a word of an address; the release page and register in both
verdict presentations. Screenshots go to artifacts/screenshots/ to be looked at."""

import pytest
from django.urls import reverse

from contacts.models import PressOffice
from myths.models import Release
from tests.factories import PressContactFactory, SocialHandleFactory, published_release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each address rendered by |unbroken: its segments (.nobr) must each sit on one line.
# An inline element that wraps has one client rect per line.
SEGMENTS_ON_MORE_THAN_ONE_LINE = """() => [...document.querySelectorAll('.contact-lines .nobr')]
    .filter(el => el.getClientRects().length > 1).map(el => el.textContent)"""
# How many lines an address takes: the distinct tops of its segments.
ADDRESS_LINES = """(selector) => new Set([...document.querySelector(selector)
    .querySelectorAll('.nobr')].map(s => Math.round(s.getBoundingClientRect().top))).size"""


@pytest.fixture
def contacts():
    main = PressContactFactory(
        organisation="Ministry of Foreign and European Affairs",
        division="Directorate of Communication",
        section="Press and Media Section",
        spokesperson="Jane Smith-Warrington",
        spokesperson_role="Head of Media Relations",
        phone="+32 2 555 0100",
        phone_label="office hours",
        second_phone="+32 475 55 01 99",
        second_phone_label="out of hours",
        email="media.enquiries@ministry-of-foreign-and-european-affairs.example.gov",
        website="https://www.ministry-of-foreign-affairs.example.gov/press-and-media/contacts",
        is_default=True,
    )
    SocialHandleFactory(contact=main, network="x", handle="@ForeignMinistryPress", position=0)
    SocialHandleFactory(
        contact=main, network="mastodon", handle="@press@social.example.gov", position=1
    )
    PressContactFactory(email="press@example.org", section="Regional Office")
    return main


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("narrow", 320)])
def test_contacts_page_never_breaks_an_address_inside_a_word(
    live_server, page, screenshot, contacts, name, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("contacts:contact-list"))
    assert page.evaluate(SEGMENTS_ON_MORE_THAN_ONE_LINE) == []
    # The page does not scroll sideways: each segment fits the card.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The long address does wrap (the cards are narrow at both widths), only between its parts.
    assert page.evaluate(ADDRESS_LINES, "a[href^='mailto:media']") > 1
    handle = page.locator("a[href='https://x.com/ForeignMinistryPress']")
    assert handle.inner_text() == "@ForeignMinistryPress"
    assert page.get_by_text("Telephone (out of hours)").is_visible()
    assert page.locator(".contact-as-of").is_hidden()
    screenshot(page, name)


def test_contacts_page_in_print(live_server, page, screenshot, contacts):
    page.goto(live_server.url + "/fr" + reverse("contacts:contact-list"))
    page.emulate_media(media="print")
    assert page.locator(".contact-as-of").is_visible()
    assert page.locator(".contact-as-of").inner_text().startswith("Coordonnées à jour au ")
    assert page.locator(".contact-vcard").first.is_hidden()
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".language-switcher").is_hidden()
    assert page.evaluate(SEGMENTS_ON_MORE_THAN_ONE_LINE) == []
    screenshot(page, "print")


@pytest.mark.parametrize("style", PressOffice.VerdictStyle.values)
def test_release_page_and_register_in_each_style(live_server, page, screenshot, style):
    office = PressOffice.objects.create(name=f"Office {style}", verdict_style=style)
    release = published_release(responses=3, figures=0, sources=1)
    Release.objects.filter(pk=release.pk).update(office=office)
    page.goto(live_server.url + release.get_absolute_url())
    facts = page.locator(".fact-label")
    verdicts = page.locator(".verdict")
    if style == "myth_fact":
        assert facts.count() == 3 and verdicts.count() == 0
        assert facts.first.inner_text().upper() == "FACT"
    else:
        assert verdicts.count() == 3 and facts.count() == 0
        assert "Verdict:" in verdicts.first.inner_text()
    screenshot(page, "release")
    page.goto(live_server.url + reverse("myths:claim-list"))
    assert page.locator(".register-item .verdict").count() == (3 if style == "graded" else 0)
    screenshot(page, "register")


def test_admin_lists_the_releases_and_republishes_them(
    live_server, page, screenshot, browser_login, contacts
):
    from contacts.services import contact_details_changed
    from myths.revisions import revision_content
    from tests.factories import UserFactory

    releases = [published_release(responses=1, contact=contacts) for _ in range(2)]
    editor = UserFactory(username="erin", role="publisher")
    UserFactory(username="paula", role="publisher")
    before = contacts.details()
    contacts.email = "press@foreign-ministry.example.gov"
    contacts.save()
    contact_details_changed(contact=contacts, actor=editor, before=before)

    browser_login(page, "paula")
    page.goto(live_server.url + reverse("admin:contacts_presscontact_change", args=[contacts.pk]))
    page.get_by_role("link", name="2 releases show older details").click()
    assert page.locator("tr.outdated-release").count() == 2
    screenshot(page, "list")
    page.get_by_role("button", name="Republish the selected releases").click()
    assert page.get_by_text("2 releases republished with the contact").is_visible()
    screenshot(page, "done")
    for release in releases:
        release.refresh_from_db()
        assert revision_content(release.live_revision).contact.email == contacts.email
