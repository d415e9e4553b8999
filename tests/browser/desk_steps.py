"""Steps the editor's-desk browser tests share: signing in a role in its own browser context,
navigating and checking the answer, keyboard presses, uploads, and the axe-core check."""

from axe_playwright_python.sync_playwright import Axe

from tests.factories.images import image_bytes

BLOCKING = {"serious", "critical"}


def no_serious_axe_violations(page, label):
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    assert not blocking, f"{label}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in blocking
    )


def signed_in(browser, browser_login, username):
    """A page of a fresh 1280 px context with `username` signed in, on the dashboard."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    browser_login(page, username)
    page.wait_for_selector("#workflow-dashboard")
    return page


def go(page, url):
    with page.expect_navigation() as navigation:
        page.goto(url)
    assert navigation.value.status < 400, navigation.value.status


def click_and_wait(page, selector):
    with page.expect_navigation() as navigation:
        page.click(selector)
    assert navigation.value.status < 400, navigation.value.status


def press(page, selector):
    """Reach a control with the keyboard: focus it, then Enter, as Tab and Enter would."""
    page.locator(selector).focus()
    page.keyboard.press("Enter")


def upload(name, color):
    return {"name": name, "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", 900, 600, color)}


def fill_claim(page, index, claim, body):
    page.get_by_role("button", name="Add another Claim and response").click()
    page.fill(f"#id_responses-{index}-new_claim", claim)
    page.select_option(f"#id_responses-{index}-verdict", "false")
    page.fill(f"#id_responses-{index}-body", body)
