"""The clean copy of an upload never carries an arbitrary colour-profile blob.

The review stored a 9 MB "ICC profile" verbatim in every clean copy. Now a blob that is not a
profile is dropped, a profile in another colour space is converted away (pixels to sRGB, no
profile stored), and only a small profile that behaves as sRGB is kept.
"""

import io
import os
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from core.images import image_validate_and_clean
from tests.factories import image_bytes

RED = (255, 0, 0)


def clean(data: bytes) -> bytes:
    upload = SimpleUploadedFile("photo", data, content_type="image/jpeg")
    return image_validate_and_clean(upload).read()


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def swapped_primaries_profile() -> bytes:
    """sRGB with its red and green primaries exchanged: a colour space where (255, 0, 0)
    is sRGB's green. Made by swapping the rXYZ and gXYZ entries of the tag table."""
    data = bytearray(srgb_profile())
    (count,) = struct.unpack_from(">I", data, 128)
    entries = {}
    for index in range(count):
        at = 132 + 12 * index
        entries[bytes(data[at : at + 4])] = at
    red, green = entries[b"rXYZ"], entries[b"gXYZ"]
    data[red + 4 : red + 12], data[green + 4 : green + 12] = (
        data[green + 4 : green + 12],
        data[red + 4 : red + 12],
    )
    return bytes(data)


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("size", [900 * 1024, 1500])
def test_a_bogus_profile_blob_is_not_stored(image_format, size):
    blob = os.urandom(size)
    data = image_bytes(image_format, 40, 30, icc_profile=blob)
    assert Image.open(io.BytesIO(data)).info["icc_profile"] == blob

    cleaned = clean(data)

    assert "icc_profile" not in Image.open(io.BytesIO(cleaned)).info
    assert blob[:64] not in cleaned
    assert len(cleaned) < 20_000  # a 40 × 30 picture, nothing else


def test_a_large_blob_posing_as_srgb_is_not_kept():
    """A real sRGB header followed by megabytes of padding: parsed or not, never kept."""
    blob = srgb_profile() + os.urandom(1024 * 1024)
    cleaned = clean(image_bytes("JPEG", 40, 30, icc_profile=blob))
    assert "icc_profile" not in Image.open(io.BytesIO(cleaned)).info
    assert len(cleaned) < 20_000


def test_pixels_in_another_colour_space_are_converted_to_srgb():
    data = image_bytes("PNG", 8, 8, color=RED, icc_profile=swapped_primaries_profile())

    stored = Image.open(io.BytesIO(clean(data)))

    assert "icc_profile" not in stored.info
    red, green, blue = stored.convert("RGB").getpixel((4, 4))
    assert green > 200 and red < 60 and blue < 60  # what the file meant: sRGB's green


def test_a_small_srgb_profile_is_kept_and_the_pixels_untouched():
    profile = srgb_profile()
    data = image_bytes("PNG", 8, 8, color=(200, 120, 40), icc_profile=profile)

    stored = Image.open(io.BytesIO(clean(data)))

    assert stored.info["icc_profile"] == profile
    assert stored.convert("RGB").getpixel((4, 4)) == (200, 120, 40)
