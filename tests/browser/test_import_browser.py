"""Issue 12, item 3 in the browser: a writer pastes a release, checks the preview (screenshots
in artifacts/screenshots to look at), and creates the draft."""

from pathlib import Path

import pytest

from myths.models import Release
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOVERNMENT = (Path(__file__).parents[1] / "fixtures" / "government-style-en.txt").read_text()


def test_writer_pastes_checks_the_preview_and_creates_the_draft(
    live_server, page, screenshot, browser_login
):
    writer = UserFactory(role="writer", username="wren")
    browser_login(page, writer.username)
    page.goto(f"{live_server.url}/admin/myths/release/import/")
    page.get_by_label("Release pasted as text").fill(GOVERNMENT)
    screenshot(page, "paste")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the import").click()

    assert page.locator('[data-field="title"]').inner_text() == (
        "Four myths about the new flood barrier"
    )
    assert page.locator("#line-11.warned").count() == 1
    assert Release.objects.count() == 0
    screenshot(page, "preview")

    with page.expect_navigation():
        page.get_by_role("button", name="Create draft").click()
    screenshot(page, "after-create")
    assert Release.objects.get().dateline_place == "LONDON"
    screenshot(page, "draft", full_page=False)
