"""The upload gate: only real JPEG/PNG/WebP of sane size get through, re-encoded and stripped."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile

from core.images import image_validate_and_clean
from tests.factories import (
    animated_bytes,
    exif_with_location,
    image_bytes,
    png_declaring,
    two_colour_jpeg,
)

HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)


def upload(data: bytes, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(data: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        image_validate_and_clean(upload(data, **kwargs))
    return caught.value


def reopen(cleaned) -> Image.Image:
    cleaned.seek(0)
    return Image.open(io.BytesIO(cleaned.read()))


@pytest.mark.parametrize(
    ("image_format", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]
)
def test_real_images_are_accepted_in_their_own_format_under_a_random_name(image_format, extension):
    # The client's name and content type lie on purpose: only the bytes count.
    cleaned = image_validate_and_clean(
        upload(image_bytes(image_format, 64, 48), name="../../etc/passwd.gif", content_type="x/y")
    )

    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", cleaned.name)
    stored = reopen(cleaned)
    assert stored.format == image_format
    assert stored.size == (64, 48)


def test_two_uploads_never_share_a_name():
    first = image_validate_and_clean(upload(image_bytes()))
    second = image_validate_and_clean(upload(image_bytes()))
    assert first.name != second.name


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (HTML_PAGE, "innocent.png", "image/png"),
        (SVG, "logo.svg", "image/svg+xml"),
        (SVG, "logo.png", "image/png"),
        (image_bytes("GIF"), "anim.png", "image/png"),
        (image_bytes("BMP"), "scan.jpg", "image/jpeg"),
        (image_bytes("TIFF"), "scan.jpg", "image/jpeg"),
        (b"%PDF-1.7\n1 0 obj<<>>endobj\n", "release.png", "image/png"),
        (b"\x89PNG\r\n\x1a\nthis is not a png", "short.png", "image/png"),
    ],
    ids=["html-renamed-png", "svg", "svg-renamed-png", "gif", "bmp", "tiff", "pdf", "png-magic"],
)
def test_anything_but_jpeg_png_webp_is_refused(data, name, content_type):
    error = refusal(data, name=name, content_type=content_type)
    assert error.code in {"image_format", "image_damaged"}
    if data in (HTML_PAGE, SVG):
        assert error.code == "image_format"
        assert error.messages == ["This file is not a JPEG, PNG or WebP image."]


def test_empty_file_is_refused():
    assert refusal(b"").code == "image_empty"


def test_oversized_file_is_refused_before_pillow_sees_it(settings, monkeypatch):
    settings.PRESSDESK_MAX_UPLOAD_BYTES = 1000
    opened = []
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: opened.append(args))
    noise = io.BytesIO()
    Image.effect_noise((100, 100), 64).save(noise, format="PNG")
    data = noise.getvalue()
    assert len(data) > 1000

    error = refusal(data)

    assert error.code == "image_too_large"
    assert error.messages[0].endswith("; the limit is 1000\xa0bytes.")
    assert opened == []


def test_size_limit_message_speaks_megabytes():
    with pytest.raises(ValidationError) as caught:
        image_validate_and_clean(SimpleUploadedFile("big.jpg", b"\xff" * (12 * 1024 * 1024)))
    error = caught.value
    assert error.code == "image_too_large"
    assert error.messages == ["The image is 12.0\xa0MB; the limit is 10.0\xa0MB."]


def test_a_file_whose_declared_size_lies_is_still_measured(settings):
    settings.PRESSDESK_MAX_UPLOAD_BYTES = 1000
    lying = upload(b"\xff" * 5000)
    lying.size = 10

    with pytest.raises(ValidationError) as caught:
        image_validate_and_clean(lying)

    assert caught.value.code == "image_too_large"


@pytest.mark.parametrize(
    ("width", "height"),
    [(8_000, 8_000), (60_000, 60_000)],
    ids=["over-our-limit", "over-pillows-own-limit"],
)
def test_decompression_bomb_is_refused_without_decoding_it(width, height, monkeypatch):
    bomb = png_declaring(width, height)
    assert len(bomb) < 200
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self))

    error = refusal(bomb)

    assert error.code == "image_too_many_pixels"
    assert "the limit is 40 megapixels" in error.messages[0]
    assert decoded == []


def test_pixel_limit_comes_from_settings(settings):
    settings.PRESSDESK_MAX_IMAGE_PIXELS = 100 * 100
    assert image_validate_and_clean(upload(image_bytes("PNG", 100, 100)))

    error = refusal(image_bytes("PNG", 101, 100))

    assert error.code == "image_too_many_pixels"
    assert error.messages == ["The image is 101 × 100 pixels; the limit is 0.01 megapixels."]


@pytest.mark.parametrize("pad_truncated", [False, True], ids=["strict", "pillow-pads"])
@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_truncated_image_is_refused_as_damaged(image_format, pad_truncated, monkeypatch):
    # WeasyPrint turns LOAD_TRUNCATED_IMAGES on for the whole process: the gate must not care.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", pad_truncated)
    whole = Image.effect_noise((200, 200), 64).convert("RGB")
    buffer = io.BytesIO()
    whole.save(buffer, format=image_format)
    data = buffer.getvalue()

    error = refusal(data[: len(data) // 2])

    assert error.code == "image_damaged"
    assert "damaged or incomplete" in error.messages[0]


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_animated_images_are_refused(image_format):
    error = refusal(animated_bytes(image_format))
    assert error.code == "image_animated"


def test_camera_mpo_jpeg_is_stored_as_a_plain_jpeg():
    frames = [Image.new("RGB", (30, 20), "red"), Image.new("RGB", (30, 20), "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="MPO", save_all=True, append_images=frames[1:])

    cleaned = image_validate_and_clean(upload(buffer.getvalue()))

    assert cleaned.name.endswith(".jpg")
    assert reopen(cleaned).format == "JPEG"


def test_exif_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned a quarter clockwise; the left (red) half is the top.
    data = two_colour_jpeg(width=60, height=40, exif=exif_with_location(orientation=6))
    assert Image.open(io.BytesIO(data)).size == (60, 40)

    stored = reopen(image_validate_and_clean(upload(data)))

    assert stored.size == (40, 60)
    top, bottom = stored.convert("RGB").getpixel((20, 5)), stored.convert("RGB").getpixel((20, 55))
    assert top[0] > 180 and top[2] < 60, top
    assert bottom[2] > 180 and bottom[0] < 60, bottom
    assert ExifTags.Base.Orientation not in stored.getexif()


def test_location_and_all_other_metadata_are_stripped_from_a_jpeg():
    data = two_colour_jpeg(exif=exif_with_location(), comment=b"shot at the safe house")
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test image really has a position
    assert original.info.get("comment")

    stored = reopen(image_validate_and_clean(upload(data)))

    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert not {"exif", "comment", "xmp"} & set(stored.info)
    assert b"PhoneMaker" in data
    cleaned_bytes = image_validate_and_clean(upload(data)).read()
    assert b"PhoneMaker" not in cleaned_bytes
    assert b"safe house" not in cleaned_bytes


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_metadata_is_stripped_from_png_and_webp(image_format):
    exif = exif_with_location()
    data = image_bytes(image_format, 30, 30, exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    cleaned_bytes = image_validate_and_clean(upload(data)).read()

    stored = Image.open(io.BytesIO(cleaned_bytes))
    assert dict(stored.getexif()) == {}
    assert b"PhoneMaker" not in cleaned_bytes


def test_colour_profile_is_kept():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes("JPEG", 30, 30, icc_profile=profile)

    stored = reopen(image_validate_and_clean(upload(data)))

    assert stored.info.get("icc_profile") == profile


def test_transparent_png_keeps_its_transparency():
    data = image_bytes("PNG", 20, 20, color=(10, 20, 30, 0), mode="RGBA")

    stored = reopen(image_validate_and_clean(upload(data)))

    assert stored.mode == "RGBA"
    assert stored.getpixel((5, 5))[3] == 0


def test_palette_png_with_transparency_stays_a_png():
    image = Image.new("P", (20, 20), 0)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.putpixel((10, 10), 1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=0)
    assert Image.open(io.BytesIO(buffer.getvalue())).convert("RGBA").getpixel((1, 1))[3] == 0

    stored = reopen(image_validate_and_clean(upload(buffer.getvalue())))

    assert stored.format == "PNG"
    assert stored.convert("RGBA").getpixel((1, 1))[3] == 0
    assert stored.convert("RGBA").getpixel((10, 10)) == (255, 0, 0, 255)


def test_cmyk_jpeg_is_accepted():
    data = image_bytes("JPEG", 20, 20, color=(0, 100, 200, 0), mode="CMYK")
    assert reopen(image_validate_and_clean(upload(data))).format == "JPEG"
