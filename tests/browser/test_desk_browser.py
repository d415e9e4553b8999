"""Issue 14's desk in a browser: a writer builds a whole release on one page (two claims, two
figures uploaded there, two sources), orders it by keyboard and saves once; the list and the form
show thumbnails; axe-core finds nothing serious on the list, the add form and the change form;
the pages fit 1280 px and work at 390 px."""

import pytest

from myths.models import Release
from tests.browser.desk_steps import fill_claim, no_serious_axe_violations, press, upload
from tests.factories import PressContactFactory, ReleaseFactory, ResponseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overflowing(page) -> list:
    """What runs off the page, or hides columns in a scrolling box: [] when everything fits."""
    return page.evaluate(
        """() => {
        const root = document.documentElement;
        const wide = root.scrollWidth > root.clientWidth + 1 ? ['page ' + root.scrollWidth] : [];
        return wide.concat([...document.querySelectorAll('#changelist .results, table')]
            .filter((box) => box.offsetParent && box.scrollWidth > box.clientWidth + 1)
            .map((box) => (box.id || box.className) + ' ' + box.scrollWidth))
          .concat([...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter((field) => field.offsetParent && field.closest('.inline-related'))
            .filter((field) => field.getBoundingClientRect().right >
                field.closest('.inline-related').getBoundingClientRect().right + 1)
            .map((field) => field.id + ' cut off'));
        }"""
    )


def test_a_writer_builds_a_release_on_one_page(live_server, page, screenshot, browser_login):
    writer = UserFactory(role="writer", username="wren", first_name="Wren")
    PressContactFactory(is_default=True, section="Press Office")
    browser_login(page, writer.username)

    page.goto(f"{live_server.url}/admin/myths/release/add/")
    no_serious_axe_violations(page, "add form")
    screenshot(page, "1-add-form")

    page.get_by_label("Title").fill("Two myths about the harbour")
    page.get_by_label("Lede").fill("The harbour stays open. Here is why the rumours are wrong.")
    fill_claim(page, 0, "The harbour is closing", "The harbour **stays open** all year.")
    fill_claim(page, 1, "Ferries will stop", "Ferries run as before.")

    # Two figures and two sources for the first claim, uploaded and typed on this page.
    figures = "#id_responses-0-figures"
    page.set_input_files(f"{figures}-0-image", files=[upload("quay.jpg", (200, 40, 40))])
    page.fill(f"{figures}-0-alt_text", "The quay at dawn")
    page.fill(f"{figures}-0-caption", "The quay")
    page.fill(f"{figures}-0-credit", "Harbour office")
    press(page, "#responses-0 .pd-parts-figures > .pd-add-row")
    page.set_input_files(f"{figures}-1-image", files=[upload("crane.jpg", (40, 40, 200))])
    page.fill(f"{figures}-1-alt_text", "A crane unloading")
    page.fill(f"{figures}-1-caption", "The crane")
    page.fill(f"{figures}-1-credit", "Port photo desk")
    sources = "#id_responses-0-sources"
    page.fill(f"{sources}-0-url", "https://example.org/timetable")
    page.fill(f"{sources}-0-title", "Timetable")
    press(page, "#responses-0 .pd-parts-sources > .pd-add-row")
    page.fill(f"{sources}-1-url", "https://example.org/statement")
    page.fill(f"{sources}-1-title", "Statement")
    screenshot(page, "2-filled-in")

    # By keyboard: the second claim up, the second figure up, the second source up.
    press(page, "#responses-1 > .pd-move .pd-move-up")
    live = page.locator("#pd-ordering-live")
    assert live.inner_text() == "Moved to position 1 of 2."
    press(page, "#responses-0-figures-1-row > .pd-move .pd-move-up")
    assert live.inner_text() == "Moved to position 1 of 2."
    press(page, "#responses-0-sources-1-row > .pd-move .pd-move-up")
    assert page.evaluate("document.activeElement.classList.contains('pd-move-up')")
    screenshot(page, "3-reordered")

    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    release = Release.objects.get()
    responses = list(release.responses.order_by("position"))
    assert [(r.position, r.claim.wording) for r in responses] == [
        (1, "Ferries will stop"),
        (2, "The harbour is closing"),
    ]
    harbour = responses[1]
    assert [(f.position, f.caption) for f in harbour.figures.all()] == [
        (1, "The crane"),
        (2, "The quay"),
    ]
    assert [(s.position, s.title) for s in harbour.sources.all()] == [
        (1, "Statement"),
        (2, "Timetable"),
    ]
    assert release.revisions.count() == 1  # saved once, recorded once

    # The list: the first figure as a thumbnail, every column visible at 1280 px.
    thumb = page.locator("#result_list img.pd-list-thumb")
    thumb.wait_for()
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(page, "4-list")
    assert overflowing(page) == []
    no_serious_axe_violations(page, "release list")

    page.locator("#result_list").get_by_role("link", name="Two myths about the harbour").click()
    first_thumb = page.locator("#responses-1 .pd-parts-figures .pd-thumb img").first
    first_thumb.wait_for()
    assert first_thumb.get_attribute("alt") == "A crane unloading"
    assert first_thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    assert overflowing(page) == []
    # Wide screen: the Markdown preview beside its text, not under it.
    text_box = page.locator("#id_responses-0-body").bounding_box()
    preview_box = page.locator("#id_responses-0-body ~ .markdownx-preview").bounding_box()
    assert preview_box["x"] > text_box["x"] + text_box["width"] - 1
    no_serious_axe_violations(page, "change form")
    screenshot(page, "5-change-form")

    page.set_viewport_size({"width": 390, "height": 844})
    assert overflowing(page) == []
    screenshot(page, "6-change-form-phone")
    page.goto(f"{live_server.url}/admin/myths/release/")
    screenshot(page, "7-list-phone")


def test_a_claim_is_moved_by_dragging_its_handle(live_server, page, browser_login):
    writer = UserFactory(role="writer", username="wren", first_name="Wren")
    release = ReleaseFactory(title="Two myths about the lock")
    first = ResponseFactory(release=release, position=1)
    second = ResponseFactory(release=release, position=2)
    browser_login(page, writer.username)
    # Tall enough that both claims are on screen: a drag does not scroll the page.
    page.set_viewport_size({"width": 1280, "height": 5000})
    page.goto(f"{live_server.url}/admin/myths/release/{release.pk}/change/")

    handle = page.locator("#responses-1 > .pd-move .pd-drag-handle").bounding_box()
    target = page.locator("#responses-0 > h3").bounding_box()
    page.mouse.move(handle["x"] + 5, handle["y"] + 5)
    page.mouse.down()
    page.mouse.move(handle["x"] + 5, handle["y"] - 20, steps=5)
    page.mouse.move(target["x"] + 5, target["y"] + 2, steps=10)
    page.mouse.up()

    assert page.locator("#id_responses-1-position").input_value() == "1"
    assert page.locator("#pd-ordering-live").inner_text() == "Moved to position 1 of 2."
    page.get_by_role("button", name="Save and continue editing").click()
    page.locator(".messagelist .success").wait_for()
    assert list(release.responses.values_list("pk", flat=True)) == [second.pk, first.pk]
