"""Issue 2's journey: a writer drafts a release with two claims in the admin, watches the live
Markdown preview, saves, and finds the draft in the list."""

import pytest

from myths.models import Release
from tests.factories import PressContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_writer_drafts_a_release_with_two_claims(live_server, page, screenshot, browser_login):
    writer = UserFactory(role="writer", username="wren", first_name="Wren")
    PressContactFactory(is_default=True, section="Press Office")

    browser_login(page, writer.username)
    page.goto(f"{live_server.url}/admin/myths/release/add/")

    page.get_by_label("Title").fill("Two myths about the night buses")
    page.get_by_label("Lede").fill("Night buses keep running. Here is why the rumours are wrong.")
    claims = [
        ("Night buses are being cut this winter", "Every route **keeps running** until March."),
        (
            "Night fares will double",
            "Fares stay the same: see the [fare table](https://example.org).",
        ),
    ]
    for index, (claim, body) in enumerate(claims):
        page.get_by_role("button", name="Add another Claim and response").click()
        page.fill(f"#id_responses-{index}-position", str(index + 1))
        page.fill(f"#id_responses-{index}-new_claim", claim)
        page.select_option(f"#id_responses-{index}-verdict", "false")
        page.fill(f"#id_responses-{index}-body", body)

    # markdownx renders the preview through our staff-only, sanitising endpoint.
    first_preview = (
        page.locator("#id_responses-0-body").locator("xpath=..").locator(".markdownx-preview")
    )
    first_preview.locator("strong").wait_for()
    assert first_preview.locator("strong").inner_text() == "keeps running"
    second_preview = (
        page.locator("#id_responses-1-body").locator("xpath=..").locator(".markdownx-preview")
    )
    second_preview.locator("a").wait_for()
    assert second_preview.locator("a").get_attribute("href") == "https://example.org"
    screenshot(page, "1-drafting-with-preview")

    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    row = page.locator("#result_list").get_by_role("link", name="Two myths about the night buses")
    assert row.is_visible()
    screenshot(page, "2-in-the-list")

    release = Release.objects.get()
    assert release.status == Release.Status.DRAFT
    assert [r.claim.wording for r in release.responses.order_by("position")] == [
        claim for claim, _body in claims
    ]
    assert release.contact.section == "Press Office"  # the default contact was offered
    assert release.revisions.get().author == writer
