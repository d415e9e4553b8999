"""Under the Content-Security-Policy, the admin, the Markdown editor and public pages still work.

A real Chromium records every policy violation; each page is used as an editor or a reader
would use it, and the policy is shown to be enforced (an injected inline script does not run).
"""

import pytest

from tests.factories import PASSWORD, UserFactory, published_release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""
INJECT_INLINE_SCRIPT = """() => {
    const script = document.createElement("script");
    script.textContent = "window.inlineRan = true";
    document.body.appendChild(script);
}"""


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def assert_inline_script_blocked(page):
    page.evaluate(INJECT_INLINE_SCRIPT)
    page.wait_for_function("() => window.__violations.length > 0")
    assert page.evaluate("window.inlineRan") is None
    assert all(v.startswith("script-src") for v in violations(page)), violations(page)


def test_admin_editor_preview_works_under_the_policy(live_server, page):
    page.add_init_script(RECORD_VIOLATIONS)
    release = published_release(responses=1, title="Policy check")
    writer = UserFactory(role="writer", username="wanda")
    page.goto(f"{live_server.url}/admin/login/")
    assert violations(page) == []
    page.fill("#id_username", writer.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert violations(page) == []

    page.goto(f"{live_server.url}/admin/myths/release/{release.pk}/change/")
    page.locator("#workflow-panel").wait_for()
    assert violations(page) == []

    page.goto(f"{live_server.url}/admin/myths/response/add/")
    page.fill("textarea#id_body", "A **bold** claim and a [link](https://example.org).")
    page.locator(".markdownx-preview strong").wait_for()
    assert "<strong>bold</strong>" in page.inner_html(".markdownx-preview")
    # The claim field's autocomplete (select2, Django's admin JavaScript) still opens.
    page.locator(".field-claim .select2-selection").first.click()
    page.locator(".select2-results").wait_for()
    assert violations(page) == []

    assert_inline_script_blocked(page)


def test_public_pages_work_under_the_policy(live_server, page):
    page.add_init_script(RECORD_VIOLATIONS)
    release = published_release(responses=1, figures=1, title="Readers under policy")
    for path in ["/", "/releases/", f"/releases/{release.slug}/", "/myths/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        assert violations(page) == [], path
    # The figure loaded: images from this site are allowed.
    assert page.goto(f"{live_server.url}/releases/{release.slug}/").ok
    # Figures load lazily: brought into view, each must finish loading (a blocked one never
    # does, and the wait fails), rather than be complete at the moment the page's load fired.
    page.locator("figure img").scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.images].every((img) => img.complete && img.naturalWidth > 0)",
        timeout=10_000,
    )
    assert_inline_script_blocked(page)
