"""markdownx's own JavaScript against our staff-only endpoints, in a real browser."""

import base64
from pathlib import Path

import pytest

from tests.factories import UserFactory, image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DROP_FILE = """([name, b64, type]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type }));
    return transfer;
}"""


def drop_file(page, name, data, content_type):
    transfer = page.evaluate_handle(
        DROP_FILE, [name, base64.b64encode(data).decode(), content_type]
    )
    page.dispatch_event("textarea#id_body", "drop", {"dataTransfer": transfer})


def test_writer_previews_markdown_and_drops_images_into_the_editor(
    live_server, page, screenshot, settings, browser_login
):
    writer = UserFactory(role="writer", username="wendy")
    browser_login(page, writer.username)
    page.goto(f"{live_server.url}/admin/myths/response/add/")

    page.fill("textarea#id_body", "Plain **fact** <script>window.pwned = 1</script>")
    page.locator(".markdownx-preview strong").wait_for()
    preview = page.inner_html(".markdownx-preview")
    assert "<strong>fact</strong>" in preview
    assert "&lt;script&gt;" in preview
    assert page.evaluate("window.pwned") is None

    with page.expect_response("**/admin/markdownx/upload/") as answer:
        drop_file(page, "quay.png", image_bytes("PNG", 64, 48), "image/png")
    assert answer.value.status == 200
    page.wait_for_function("() => document.querySelector('#id_body').value.includes('![](/media/')")
    assert len([p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]) == 1

    with page.expect_response("**/admin/markdownx/upload/") as answer:
        drop_file(page, "page.png", b"<html><script>alert(1)</script></html>", "image/png")
    assert answer.value.status == 400
    assert answer.value.json()["message"] == "This file is not a JPEG, PNG or WebP image."
    assert len([p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]) == 1
    # The editor shows the server's reason, and markdownx's placeholder text is taken back out.
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "This file is not a JPEG, PNG or WebP image."
    page.wait_for_function(
        "() => !document.querySelector('#id_body').value.includes('Invalid response')"
    )
    screenshot(page, "editor")
