"""The editor's desk in a real browser: a reviewer comments on one claim and sends the release
back; the writer sees the banner at the top and the comment beside its myth, resolves it, fixes
and resubmits; the comparison highlights the changed words. axe-core on every page touched."""

import pytest
from django.urls import reverse

from myths.models import Release, ResponseComment
from tests.browser.desk_steps import click_and_wait, go, no_serious_axe_violations, signed_in
from tests.factories import UserFactory, arrange_state, ensure_roles, release_with_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_LEDE = "The reservoir is full and safe."
NEW_LEDE = "The reservoir is full, safe and was last inspected on 2 March."


def test_comment_send_back_resolve_resubmit_compare(
    browser, live_server, screenshot, browser_login
):
    ensure_roles()
    wren = UserFactory(username="wren", first_name="Wren", last_name="Writer", role="writer")
    UserFactory(username="rosa", first_name="Rosa", last_name="Reviewer", role="reviewer")
    release = release_with_content(
        title="Two myths about the reservoir", lede=OLD_LEDE, created_by=wren
    )
    release = arrange_state(release, Release.Status.IN_REVIEW, author=wren)
    change = live_server.url + reverse("admin:myths_release_change", args=[release.pk])

    # 1. The reviewer comments on myth 1, then sends the release back.
    rosa = signed_in(browser, browser_login, "rosa")
    no_serious_axe_violations(rosa, "reviewer's dashboard")
    go(rosa, change)
    rosa.fill("#comment-text-1", "Say when it was last inspected.")
    click_and_wait(rosa, "#comments-myth-1 .comment-add button")
    assert "Your comment is recorded." in rosa.inner_text(".messagelist")
    assert "Say when it was last inspected." in rosa.inner_text("#comments-myth-1")
    screenshot(rosa, "1-reviewer-commented", full_page=False)
    no_serious_axe_violations(rosa, "change form, reviewer")
    rosa.fill("#id_workflow_comment", "Myth 1 needs the inspection date.")
    click_and_wait(rosa, "button[data-transition=request_changes]")
    assert "is now draft" in rosa.inner_text(".messagelist")

    # 2. The writer finds it on the dashboard with the comment, and at the top of the form.
    wren_page = signed_in(browser, browser_login, "wren")
    assert "Myth 1 needs the inspection date." in wren_page.inner_text("#sent-back + ul")
    screenshot(wren_page, "2-writer-dashboard", full_page=False)
    no_serious_axe_violations(wren_page, "writer's dashboard")
    go(wren_page, change)
    banner = wren_page.locator("#workflow-banner")
    assert "Myth 1 needs the inspection date." in banner.inner_text()
    assert banner.bounding_box()["y"] < 400  # at the top, not thousands of pixels down
    assert "Say when it was last inspected." in wren_page.inner_text("#comments-myth-1")
    screenshot(wren_page, "3-writer-banner-and-comment", full_page=False)
    # No empty dark bar between the workflow buttons and the first field (a heading from the
    # workflow panel showing through the floating form).
    gap = wren_page.evaluate(
        """(() => { const r = document.querySelector('#workflow-actions').getBoundingClientRect();
        return document.elementsFromPoint(r.left + 20, r.bottom + 10).map(e => e.tagName); })()"""
    )
    assert "H2" not in gap, gap
    no_serious_axe_violations(wren_page, "change form, writer")

    # 3. The writer resolves the comment, fixes the lede, saves and resubmits.
    click_and_wait(wren_page, "#comments-myth-1 button.resolve-comment")
    # Resolved comments fold away beside their claim, still there to open.
    folded = wren_page.locator("#comments-myth-1 details.resolved-comments")
    assert "1 resolved comment" in folded.inner_text()
    assert "resolved by Wren Writer" in folded.text_content()
    assert ResponseComment.objects.get().resolved_by_id == wren.pk
    screenshot(wren_page, "4-writer-resolved", full_page=False)
    wren_page.fill("#id_lede", NEW_LEDE)
    click_and_wait(wren_page, "input[name=_continue]")
    assert wren_page.locator(".errornote, .errorlist").count() == 0
    click_and_wait(wren_page, "button[data-transition=submit]")
    assert "is now in review" in wren_page.inner_text(".messagelist")
    screenshot(wren_page, "5-writer-resubmitted", full_page=False)

    # 4. The comparison shows the changed words, and keeps the comment in the history.
    go(wren_page, live_server.url + reverse("admin:myths_release_revisions", args=[release.pk]))
    assert "Say when it was last inspected." in wren_page.inner_text("#comment-history")
    no_serious_axe_violations(wren_page, "revisions page")
    screenshot(wren_page, "6-revisions-with-comments")
    click_and_wait(wren_page, "#compare-form button.default")
    screenshot(wren_page, "7-compare-highlighted")
    inserted = " ".join(wren_page.locator("table.diff ins").all_inner_texts())
    deleted = " ".join(wren_page.locator("table.diff del").all_inner_texts())
    assert "inspected" in inserted and "March." in inserted
    assert "safe." in deleted and "reservoir" not in inserted + deleted
    assert wren_page.locator("details.unchanged-claim").count() == 2
    screenshot(wren_page, "7-compare-highlighted")
    no_serious_axe_violations(wren_page, "compare view")
