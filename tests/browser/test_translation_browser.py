"""Translating a release in a real browser: "Translate into…", then the stale mark with its diff."""

import pytest
from django.urls import reverse

from myths import workflow
from myths.models import Release
from tests.factories import UserFactory, arrange_state, release_with_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_translate_then_see_which_claim_the_original_changed(
    page, live_server, browser_login, screenshot
):
    writer = UserFactory(username="tess", role="writer")
    original = arrange_state(
        release_with_content(responses=2, title="Water myths"), Release.Status.PUBLISHED
    )
    browser_login(page, "tess")
    page.goto(live_server.url + reverse("admin:myths_release_change", args=[original.pk]))
    page.click("a.translate-link")
    page.select_option("#id_language", "ru")
    with page.expect_navigation():
        page.click("input[type=submit]")
    translation = original.translations.get()
    assert page.url.endswith(reverse("admin:myths_release_change", args=[translation.pk]))
    assert page.locator("#translation-stale").count() == 0

    arrange_state(translation, Release.Status.PUBLISHED)
    response = original.responses.get(position=2)
    response.body = "The harbour is inspected **every week**."
    response.save()
    workflow.release_edit_saved(release=original, actor=writer)
    arrange_state(original, Release.Status.PUBLISHED, author=writer)

    page.goto(live_server.url + reverse("admin:myths_release_change", args=[translation.pk]))
    panel = page.locator("#translation-stale")
    assert panel.locator("h3.stale-claim").all_inner_texts() == [
        f"Myth 2: {translation.responses.get(position=2).claim.wording}"
    ]
    assert "every week" in panel.inner_text()
    screenshot(page, "stale-panel", full_page=False)
