"""The markdownx endpoints: staff only, POST only, CSRF-checked, sanitised, and safe uploads."""

import io
import secrets
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils.module_loading import import_string
from markdownx.widgets import MarkdownxWidget
from PIL import ExifTags, Image

from myths.markdown import render_markdown
from tests.factories import (
    UserFactory,
    exif_with_location,
    image_bytes,
    png_declaring,
    two_colour_jpeg,
)
from tests.myths.test_markdown import assert_inert, html_elements

PREVIEW = "/admin/markdownx/markdownify/"
UPLOAD = "/admin/markdownx/upload/"
HOSTILE_MARKDOWN = (
    "**Fact**\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) "
    '<img src=x onerror="alert(1)">'
)

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def png_upload(data=None, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type)


# --- Wiring ------------------------------------------------------------------------------------


def test_widget_calls_our_endpoints_and_markdownx_own_views_are_not_mounted():
    assert reverse("markdownx_markdownify") == PREVIEW == django_settings.MARKDOWNX_URLS_PATH
    assert reverse("markdownx_upload") == UPLOAD == django_settings.MARKDOWNX_UPLOAD_URLS_PATH
    rendered = MarkdownxWidget().render("body", "", {"id": "id_body"})
    assert f'data-markdownx-urls-path="{PREVIEW}"' in rendered
    assert f'data-markdownx-upload-urls-path="{UPLOAD}"' in rendered
    for open_path in ("/markdownx/upload/", "/markdownx/markdownify/"):
        with pytest.raises(Resolver404):
            resolve(open_path)


def test_markdownx_is_configured_with_our_sanitising_renderer():
    assert import_string(django_settings.MARKDOWNX_MARKDOWNIFY_FUNCTION) is render_markdown


# --- Who may call ------------------------------------------------------------------------------


@pytest.fixture(params=["anonymous", "not-staff", "inactive-staff"])
def outsider_client(request, client):
    if request.param == "not-staff":
        client.force_login(UserFactory(is_staff=False))
    elif request.param == "inactive-staff":
        user = UserFactory(role="writer")
        client.force_login(user)
        user.is_active = False
        user.save()
    return client


def test_preview_refused_to_anyone_but_active_staff(outsider_client):
    response = outsider_client.post(PREVIEW, {"content": "**hello**"})

    assert response.status_code == 403
    assert response.json() == {
        "message": "Only signed-in staff may use the editor.",
        "code": "permission_denied",
    }
    assert b"<strong>" not in response.content


def test_upload_refused_to_anyone_but_active_staff_and_nothing_stored(outsider_client, settings):
    response = outsider_client.post(UPLOAD, {"image": png_upload()})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert stored_files(settings) == []


@pytest.mark.parametrize("path", [PREVIEW, UPLOAD])
def test_endpoints_take_post_only(writer_client, path):
    assert writer_client.get(path).status_code == 405


@pytest.mark.parametrize("path", [PREVIEW, UPLOAD])
def test_csrf_is_enforced(path, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role="writer"))
    data = {"content": "*hi*", "image": png_upload()}

    assert client.post(path, data).status_code == 403
    assert stored_files(settings) == []

    token = secrets.token_hex(16)  # a 32-character secret, as the cookie would hold
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    data["image"] = png_upload()
    response = client.post(path, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 200


# --- Preview -----------------------------------------------------------------------------------


def test_preview_renders_markdown_sanitised(writer_client):
    response = writer_client.post(PREVIEW, {"content": HOSTILE_MARKDOWN})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "<strong>Fact</strong>" in html
    assert_inert(html)
    assert [tag for tag, _ in html_elements(html)] == ["p", "strong", "p", "p", "a"]
    assert "<script" not in html
    assert html == render_markdown(HOSTILE_MARKDOWN)
    assert "no-cache" in response["Cache-Control"]


def test_preview_goes_through_the_configured_renderer(writer_client, monkeypatch):
    monkeypatch.setattr("myths.editor.render_markdown", lambda text: f"<p>rendered {len(text)}</p>")

    assert writer_client.post(PREVIEW, {"content": "abc"}).content == b"<p>rendered 3</p>"


def test_preview_without_content_is_empty_not_an_error(writer_client):
    response = writer_client.post(PREVIEW, {})

    assert response.status_code == 200
    assert response.content == b""


# --- Upload ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]
)
def test_staff_upload_is_stored_and_answered_with_markdown(
    writer_client, settings, image_format, extension
):
    data = image_bytes(image_format, 64, 48)

    response = writer_client.post(
        UPLOAD,
        {"image": png_upload(data, name="Team photo.PNG", content_type="text/plain")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"image_code", "url"}
    url = body["url"]
    assert url.startswith(f"/media/{settings.MARKDOWNX_MEDIA_PATH}")
    assert url.endswith(f".{extension}")
    assert body["image_code"] == f"![]({url})"
    [stored] = stored_files(settings)
    assert stored.relative_to(settings.MEDIA_ROOT).as_posix() == url.removeprefix("/media/")
    with Image.open(stored) as image:
        assert (image.format, image.size) == (image_format, (64, 48))


def test_uploaded_photo_is_upright_and_without_location(writer_client, settings):
    data = two_colour_jpeg(width=60, height=40, exif=exif_with_location(orientation=6))

    response = writer_client.post(UPLOAD, {"image": png_upload(data, name="phone.jpg")})

    assert response.status_code == 200
    [stored] = stored_files(settings)
    with Image.open(stored) as image:
        assert image.size == (40, 60)
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert dict(image.getexif()) == {}


def hostile_uploads():
    html = b"<html><body><script>alert(1)</script></body></html>"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    jpeg = io.BytesIO()
    Image.effect_noise((120, 120), 50).convert("RGB").save(jpeg, format="JPEG")
    return [
        pytest.param(
            html,
            "cute.png",
            "image_format",
            "This file is not a JPEG, PNG or WebP image.",
            id="html",
        ),
        pytest.param(
            svg, "logo.svg", "image_format", "This file is not a JPEG, PNG or WebP image.", id="svg"
        ),
        pytest.param(
            png_declaring(50_000, 50_000),
            "bomb.png",
            "image_too_many_pixels",
            "The image has too many pixels; the limit is 40 megapixels.",
            id="bomb",
        ),
        pytest.param(
            png_declaring(7_000, 7_000),
            "bomb.png",
            "image_too_many_pixels",
            "The image is 7000 × 7000 pixels; the limit is 40 megapixels.",
            id="bomb-under-pillow-limit",
        ),
        pytest.param(
            jpeg.getvalue()[:1500],
            "cut.jpg",
            "image_damaged",
            "This image file is damaged or incomplete; export it again and upload the new file.",
            id="truncated",
        ),
    ]


@pytest.mark.parametrize(("data", "name", "code", "message"), hostile_uploads())
def test_hostile_upload_is_refused_with_a_message_and_nothing_stored(
    writer_client, settings, data, name, code, message
):
    response = writer_client.post(
        UPLOAD,
        {"image": png_upload(data, name=name)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 400
    assert response.json() == {"image": [message], "message": message, "code": code}
    assert stored_files(settings) == []


def test_oversized_upload_is_refused_and_nothing_stored(writer_client, settings):
    settings.PRESSDESK_MAX_UPLOAD_BYTES = 2_000
    noise = io.BytesIO()
    Image.effect_noise((100, 100), 64).save(noise, format="PNG")

    response = writer_client.post(UPLOAD, {"image": png_upload(noise.getvalue())})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "image_too_large"
    assert body["message"].endswith("the limit is 2.0\xa0KB.")
    assert stored_files(settings) == []


def test_upload_without_a_file_is_a_400(writer_client, settings):
    response = writer_client.post(UPLOAD, {})

    assert response.status_code == 400
    assert response.json() == {
        "image": ["No image was sent."],
        "message": "No image was sent.",
        "code": "required",
    }
