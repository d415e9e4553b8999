"""Issue 14's acceptance, walked in order in a real browser: a writer builds a two-claim release
on one page (two figures uploaded there, two sources), reorders by keyboard and saves once, then
submits; a reviewer comments on one claim and sends it back; the writer sees the banner and the
comment beside that claim, resolves it, fixes and resubmits; the comparison highlights the changed
words and shows the figures as thumbnails. A screenshot of each step, axe-core on each page."""

import pytest
from django.urls import reverse

from myths.models import Release, ResponseComment
from tests.browser.desk_steps import (
    click_and_wait,
    fill_claim,
    go,
    no_serious_axe_violations,
    press,
    signed_in,
    upload,
)
from tests.factories import PressContactFactory, UserFactory, ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_BODY = "The harbour **stays open** all year."
NEW_BODY = "The harbour **stays open** all year, and the night ferry runs too."


def build_release_on_one_page(page, live_server, screenshot):
    """Step 1: the whole release on the add form, reordered by keyboard, saved once."""
    go(page, f"{live_server.url}/admin/myths/release/add/")
    no_serious_axe_violations(page, "add form")
    page.get_by_label("Title").fill("Two myths about the harbour")
    page.get_by_label("Lede").fill("The harbour stays open. Here is why the rumours are wrong.")
    fill_claim(page, 0, "The harbour is closing", OLD_BODY)
    fill_claim(page, 1, "Ferries will stop", "Ferries run as before.")
    figures, sources = "#id_responses-0-figures", "#id_responses-0-sources"
    page.set_input_files(f"{figures}-0-image", files=[upload("quay.jpg", (200, 40, 40))])
    page.fill(f"{figures}-0-alt_text", "The quay at dawn")
    page.fill(f"{figures}-0-caption", "The quay")
    page.fill(f"{figures}-0-credit", "Harbour office")
    press(page, "#responses-0 .pd-parts-figures > .pd-add-row")
    page.set_input_files(f"{figures}-1-image", files=[upload("crane.jpg", (40, 40, 200))])
    page.fill(f"{figures}-1-alt_text", "A crane unloading")
    page.fill(f"{figures}-1-caption", "The crane")
    page.fill(f"{figures}-1-credit", "Port photo desk")
    page.fill(f"{sources}-0-url", "https://example.org/timetable")
    page.fill(f"{sources}-0-title", "Timetable")
    press(page, "#responses-0 .pd-parts-sources > .pd-add-row")
    page.fill(f"{sources}-1-url", "https://example.org/statement")
    page.fill(f"{sources}-1-title", "Statement")
    press(page, "#responses-1 > .pd-move .pd-move-up")
    press(page, "#responses-0-figures-1-row > .pd-move .pd-move-up")
    press(page, "#responses-0-sources-1-row > .pd-move .pd-move-up")
    assert page.locator("#pd-ordering-live").inner_text() == "Moved to position 1 of 2."
    # The position fields follow the rows, numbered from 1, on a claim added on this page too.
    assert page.input_value(f"{figures}-1-position") == "1"
    assert page.input_value(f"{figures}-0-position") == "2"
    assert page.input_value(f"{sources}-1-position") == "1"
    screenshot(page, "1-writer-built-and-reordered")
    click_and_wait(page, "input[name=_continue]")
    assert page.locator(".errornote, .errorlist").count() == 0
    release = Release.objects.get()
    assert release.revisions.count() == 1  # saved once, recorded once
    harbour = release.responses.get(position=2)
    assert harbour.claim.wording == "The harbour is closing"
    assert list(harbour.figures.values_list("caption", flat=True)) == ["The crane", "The quay"]
    assert list(harbour.sources.values_list("title", flat=True)) == ["Statement", "Timetable"]
    return release


def test_issue_14_acceptance_in_order(browser, live_server, screenshot, browser_login):
    ensure_roles()
    UserFactory(username="wren", first_name="Wren", last_name="Writer", role="writer")
    UserFactory(username="rosa", first_name="Rosa", last_name="Reviewer", role="reviewer")
    PressContactFactory(is_default=True, section="Press Office")

    wren = signed_in(browser, browser_login, "wren")
    release = build_release_on_one_page(wren, live_server, screenshot)
    change = live_server.url + reverse("admin:myths_release_change", args=[release.pk])
    click_and_wait(wren, "button[data-transition=submit]")
    assert "is now in review" in wren.inner_text(".messagelist")

    # 2. The reviewer comments on the harbour claim (myth 2 after the reordering), sends back.
    rosa = signed_in(browser, browser_login, "rosa")
    go(rosa, change)
    rosa.fill("#responses-1 #comment-text-2", "Say whether the night ferry runs.")
    click_and_wait(rosa, "#comments-myth-2 .comment-add button")
    assert "Your comment is recorded." in rosa.inner_text(".messagelist")
    rosa.locator("#comments-myth-2").scroll_into_view_if_needed()
    screenshot(rosa, "2-reviewer-commented", full_page=False)
    no_serious_axe_violations(rosa, "change form, reviewer")
    rosa.fill("#id_workflow_comment", "Myth 2 needs the night ferry.")
    click_and_wait(rosa, "button[data-transition=request_changes]")
    assert "is now draft" in rosa.inner_text(".messagelist")

    # 3. The writer: the banner at the top, the comment beside the harbour claim.
    go(wren, change)
    banner = wren.locator("#workflow-banner")
    assert "Myth 2 needs the night ferry." in banner.inner_text()
    assert banner.bounding_box()["y"] < 400
    screenshot(wren, "3-writer-banner", full_page=False)
    beside = wren.locator("#responses-1 #comments-myth-2")
    assert "Say whether the night ferry runs." in beside.inner_text()
    assert "The harbour is closing" in wren.inner_text("#responses-1 > h3")
    beside.scroll_into_view_if_needed()
    screenshot(wren, "4-writer-comment-beside-claim", full_page=False)
    no_serious_axe_violations(wren, "change form, writer")

    # 4. Resolves, fixes the answer, saves and resubmits.
    click_and_wait(wren, "#comments-myth-2 button.resolve-comment")
    assert ResponseComment.objects.get().resolved_at is not None
    assert wren.locator("#comments-myth-2 li.response-comment.open").count() == 0
    folded = wren.locator("#comments-myth-2 details.resolved-comments")
    assert not folded.evaluate("details => details.open")  # resolved ones folded away
    assert "Say whether the night ferry runs." in folded.text_content()
    wren.fill("#id_responses-1-body", NEW_BODY)
    click_and_wait(wren, "input[name=_continue]")
    assert wren.locator(".errornote, .errorlist").count() == 0
    screenshot(wren, "5-writer-fixed", full_page=False)
    click_and_wait(wren, "button[data-transition=submit]")
    assert "is now in review" in wren.inner_text(".messagelist")

    # 5. The comparison: the changed words highlighted, the figures as thumbnails.
    go(rosa, live_server.url + reverse("admin:myths_release_revisions", args=[release.pk]))
    no_serious_axe_violations(rosa, "revisions page")
    click_and_wait(rosa, "#compare-form button.default")
    inserted = " ".join(rosa.locator("table.diff ins").all_inner_texts())
    assert "night ferry" in inserted and "harbour" not in inserted
    thumbs = rosa.locator("table.diff img.figure-thumb")
    assert thumbs.count() >= 2
    assert "/thumbnails/" in thumbs.first.get_attribute("src")
    assert thumbs.first.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(rosa, "6-compare-highlighted")
    no_serious_axe_violations(rosa, "compare view")
