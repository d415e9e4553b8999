"""A corrected release as readers see it (dated notice at the top, history near the end) at desktop
and phone widths, and the publisher's step that asks what kind of change a new version is."""

from datetime import datetime, timedelta

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from myths import workflow
from myths.models import Release, ReleaseNotice, Response
from tests.factories import (
    ClaimFactory,
    PressContactFactory,
    ReleaseFactory,
    ResponseFactory,
    SourceFactory,
    UserFactory,
    arrange_state,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
BRUSSELS = datetime.fromisoformat("2017-03-12T10:00:00+01:00")


@pytest.fixture
def corrected():
    """Published on 12 March 2017; corrected on 3 April, clarified on 5 April."""
    release = ReleaseFactory(
        title="Three myths about the harbour dredging",
        lede="The dredging of the outer channel has drawn rumours. Here is what it involves.",
        contact=PressContactFactory(organisation="Riverland Port Authority"),
    )
    for position, (wording, body) in enumerate(
        [
            (
                "Dredging will close the port for a year",
                "The port stays open throughout. Work is done at night, one berth at a time, "
                "and ships are never turned away.",
            ),
            (
                "The dredged silt is dumped at sea",
                "The silt is taken to a licensed treatment site inland and tested before reuse.",
            ),
        ],
        start=1,
    ):
        response = ResponseFactory(
            release=release,
            position=position,
            claim=ClaimFactory(wording=wording),
            body=body,
            verdict=Response.Verdict.FALSE,
        )
        SourceFactory(response=response, title="Dredging plan 2017", publisher="Port Authority")
    arrange_state(release, Release.Status.PUBLISHED, publish_at=BRUSSELS)
    with time_machine.travel(BRUSSELS + timedelta(days=22), tick=False):
        response = Response.objects.get(release=release, position=2)
        response.body = "The silt is taken to a licensed treatment site 40 km inland and tested "
        response.body += "before reuse."
        response.save()  # renders the Markdown, as the admin's save does
        arrange_state(
            release,
            Release.Status.PUBLISHED,
            notice_note="The first version said the site was on the coast; it is 40 km inland.",
        )
    with time_machine.travel(BRUSSELS + timedelta(days=24), tick=False):
        Release.objects.filter(pk=release.pk).update(
            lede="The dredging of the outer channel, from May to September, has drawn rumours. "
            "Here is what it involves."
        )
        arrange_state(
            release,
            Release.Status.PUBLISHED,
            notice_kind=ReleaseNotice.Kind.CLARIFICATION,
            notice_note="The lede now gives the months of the work.",
        )
    return release


def check_axe(page, label):
    results = Axe().run(page)
    blocking = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not blocking, f"{label}: {[v['id'] for v in blocking]}"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_corrected_release_page(live_server, corrected, browser, screenshot, width):
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(live_server.url + corrected.get_absolute_url())
        notice = page.locator(".release-notice")
        assert notice.is_visible()
        assert notice.inner_text().startswith(
            "Clarified on 5 April 2017: The lede now gives the months of the work."
        )
        # Above the lede, where a reader who quoted the first version looks first.
        assert notice.bounding_box()["y"] < page.locator(".lede").bounding_box()["y"]
        screenshot(page, f"{width}-top", full_page=False)
        notice.get_by_role("link", name="Earlier corrections and clarifications").click()
        page.wait_for_url("**#notices")
        assert page.get_by_text("40 km inland and tested").is_visible()
        history = page.locator("#notices li")
        assert history.count() == 2
        assert history.nth(0).inner_text().startswith("5 April 2017 — Clarification.")
        assert history.nth(1).inner_text().startswith("3 April 2017 — Correction.")
        screenshot(page, f"{width}-page")
        check_axe(page, "corrected release")
    finally:
        context.close()


def test_the_publisher_is_asked_the_kind_and_refused_a_false_typography_fix(
    live_server, corrected, page, browser_login, screenshot
):
    Release.objects.filter(pk=corrected.pk).update(title="Three myths about dredging the harbour")
    writer = UserFactory(role="writer")
    workflow.release_edit_saved(release=corrected, actor=writer)
    workflow.release_submit(release=corrected, actor=writer)
    workflow.release_approve(release=corrected, actor=UserFactory(role="reviewer"))
    UserFactory(username="pia", role="publisher")
    browser_login(page, "pia")
    page.goto(live_server.url + reverse("admin:myths_release_change", args=[corrected.pk]))
    fields = page.locator("#notice-fields")
    fields.scroll_into_view_if_needed()
    assert fields.is_visible()
    screenshot(page, "asked", full_page=False)
    page.get_by_label("Typography fix (no words changed)").check()
    with page.expect_navigation():
        page.locator('button[data-transition="publish"]').click()
    error = page.locator(".messagelist .error")
    assert "This is not a typography fix" in error.inner_text()
    assert "title: “the harbour dredging” → “dredging the harbour”" in error.inner_text()
    screenshot(page, "refused", full_page=False)
    page.get_by_label("Correction", exact=True).check()
    page.get_by_label("Public note").fill("The title now says what is dredged.")
    with page.expect_navigation():
        page.locator('button[data-transition="publish"]').click()
    corrected.refresh_from_db()
    assert corrected.status == Release.Status.PUBLISHED
    assert ReleaseNotice.objects.filter(note="The title now says what is dredged.").exists()
