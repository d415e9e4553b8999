"""The whole editorial path in a real browser, with three accounts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from myths.models import Release
from tests.factories import UserFactory, ensure_roles, release_with_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, browser_login, username):
    """A browser window of its own for each person, signed in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    browser_login(page, username)
    page.wait_for_selector("#workflow-dashboard")
    return page


def open_release(page, live_server, release):
    page.goto(live_server.url + reverse("admin:myths_release_change", args=[release.pk]))


def save(page):
    """Save and continue, and wait for the answer to this click; a refused form says why."""
    with page.expect_navigation() as navigation:
        page.click("input[name=_continue]")
    assert navigation.value.status < 400, navigation.value.status
    errors = page.locator(".errornote, .errorlist")
    assert errors.count() == 0, errors.all_inner_texts()
    page.wait_for_selector(".messagelist")


def press(page, transition):
    # Wait for the answer to this very click: wait_for_load_state() alone can return while the
    # old page is still showing, and a loaded machine then reads the wrong page.
    with page.expect_navigation() as navigation:
        page.click(f"button[data-transition={transition}]")
    assert navigation.value.status < 400, navigation.value.status
    page.wait_for_selector(".messagelist")


def public_status(page, live_server, release):
    url = live_server.url + reverse("myths:release-detail", kwargs={"slug": release.slug})
    return page.request.get(url).status


def test_writer_reviewer_publisher_walk_the_whole_path(
    browser, live_server, screenshot, browser_login
):
    ensure_roles()
    writer = UserFactory(username="wren", first_name="Wren", last_name="Writer", role="writer")
    UserFactory(username="rosa", first_name="Rosa", last_name="Reviewer", role="reviewer")
    UserFactory(username="pavel", first_name="Pavel", last_name="Publisher", role="publisher")
    release = release_with_content(title="Five myths about the reservoir", created_by=writer)

    # 1. The writer drafts (a save records a revision) and submits.
    wren = log_in(browser, browser_login, "wren")
    open_release(wren, live_server, release)
    wren.fill("#id_lede", "The reservoir is full, safe and inspected every week.")
    save(wren)
    screenshot(wren, "1-writer-saved-draft")
    press(wren, "submit")
    assert "is now in review" in wren.inner_text(".messagelist")
    screenshot(wren, "2-writer-submitted")
    assert public_status(wren, live_server, release) == 404

    # 2. The reviewer finds it on the dashboard and sends it back with a comment.
    rosa = log_in(browser, browser_login, "rosa")
    assert release.title in rosa.inner_text("#workflow-dashboard")
    screenshot(rosa, "3-reviewer-dashboard")
    rosa.click(f"#workflow-dashboard >> text={release.title}")
    rosa.fill("#id_workflow_comment", "Myth 2 needs the inspection date.")
    screenshot(rosa, "4-reviewer-comment")
    press(rosa, "request_changes")
    assert "is now draft" in rosa.inner_text(".messagelist")
    assert "Myth 2 needs the inspection date." in rosa.inner_text("#workflow-panel")

    # 3. The writer sees it sent back, fixes it and resubmits.
    wren.goto(live_server.url + reverse("admin:index"))
    assert release.title in wren.inner_text("#sent-back + ul")
    screenshot(wren, "5-writer-sent-back")
    open_release(wren, live_server, release)
    wren.fill("#id_lede", "The reservoir is full, safe and was last inspected on 2 March.")
    save(wren)
    press(wren, "submit")
    assert "is now in review" in wren.inner_text(".messagelist")

    # 4. The reviewer approves.
    rosa.goto(live_server.url + reverse("admin:index"))
    rosa.click(f"#workflow-dashboard >> text={release.title}")
    press(rosa, "approve")
    assert "is now approved" in rosa.inner_text(".messagelist")
    screenshot(rosa, "6-reviewer-approved")
    assert public_status(rosa, live_server, release) == 404

    # 5. The publisher schedules it, then publishes it at once.
    pavel = log_in(browser, browser_login, "pavel")
    assert release.title in pavel.inner_text("#ready-to-publish + ul")
    screenshot(pavel, "7-publisher-dashboard")
    pavel.click(f"#workflow-dashboard >> text={release.title}")
    when = timezone.localtime(timezone.now() + timedelta(days=3))
    pavel.fill("#id_publish_at_0", when.strftime("%Y-%m-%d"))
    pavel.fill("#id_publish_at_1", "09:00:00")
    save(pavel)
    release.refresh_from_db()
    assert release.status == Release.Status.APPROVED  # a new time is not new content
    press(pavel, "publish")
    assert "is now scheduled" in pavel.inner_text(".messagelist")
    screenshot(pavel, "8-publisher-scheduled")
    assert public_status(pavel, live_server, release) == 404

    press(pavel, "publish")
    assert "is now published" in pavel.inner_text(".messagelist")
    screenshot(pavel, "9-publisher-published")

    # 6. Only now is it public.
    visitor = browser.new_context().new_page()
    visitor.goto(live_server.url + reverse("myths:release-detail", kwargs={"slug": release.slug}))
    assert "last inspected on 2 March" in visitor.inner_text("main")
    screenshot(visitor, "10-public-page")
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED
    assert [e.to_status for e in release.log_entries.order_by("created_at", "pk")] == [
        "in_review",
        "draft",
        "in_review",
        "approved",
        "scheduled",
        "published",
    ]
