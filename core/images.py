"""The one gate every uploaded image passes: the Markdown editor's upload and the admin's figures.

An upload is treated as hostile until Pillow has recognised it, from its bytes alone, as a JPEG,
PNG or WebP picture of a sane size. What gets stored is never the uploaded file itself but a
fresh encoding of its pixels: EXIF orientation applied, and every piece of metadata (GPS
position, camera serial numbers, comments, XMP) left behind. The colour profile is never copied
blindly (it is an arbitrary blob of up to megabytes): pixels in another colour space (a
wide-gamut phone photo, a CMYK file) are converted to sRGB and stored without a profile, and
only a small profile that parses and behaves as sRGB is kept.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError


@dataclass(frozen=True)
class ImageFormat:
    extension: str
    pillow_name: str
    save_options: dict


# Keyed by the format Pillow reports. "MPO" is what Pillow calls the JPEGs many cameras write
# (a main picture plus a preview); the main picture is stored as a plain JPEG.
ACCEPTED_FORMATS = {
    "JPEG": ImageFormat("jpg", "JPEG", {"quality": 90, "optimize": True}),
    "MPO": ImageFormat("jpg", "JPEG", {"quality": 90, "optimize": True}),
    "PNG": ImageFormat("png", "PNG", {"optimize": True}),
    "WEBP": ImageFormat("webp", "WEBP", {"quality": 90, "method": 4}),
}
# The plugins Pillow may even try: an SVG, GIF, TIFF, PSD or HTML file is never parsed.
PILLOW_PLUGINS = ("JPEG", "PNG", "WEBP")
# Modes each encoder writes as they are; anything else is converted first.
ENCODABLE_MODES = {
    "JPEG": {"L", "RGB", "CMYK"},
    "PNG": {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"},
    "WEBP": {"RGB", "RGBA"},
}


def image_validate_and_clean(upload) -> ContentFile:
    """Check an uploaded image and return a clean re-encoding of it, ready to be stored.

    Accepts only JPEG, PNG and WebP as recognised by Pillow from the bytes (the client's file
    name and content type are ignored). Refuses, with a coded ``ValidationError``:
    ``image_empty``, ``image_too_large`` (over ``settings.PRESSDESK_MAX_UPLOAD_BYTES``, checked
    before anything is decoded), ``image_format`` (anything else, SVG and HTML included),
    ``image_too_many_pixels`` (over ``settings.PRESSDESK_MAX_IMAGE_PIXELS``, checked from the
    header before the pixels are decoded, so a decompression bomb never expands),
    ``image_animated`` and ``image_damaged`` (truncated or corrupt data).

    The result has EXIF orientation applied, its pixels in sRGB, no metadata but a small sRGB
    colour profile if the upload had one (others are converted away, see `_in_srgb`), the same
    format as the upload and a random name with the right extension (``<hex>.jpg|png|webp``).
    Nothing is written anywhere: the caller stores the returned file.
    """
    data = _read_within_limit(upload)
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice that; here a bomb is always an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=PILLOW_PLUGINS)
        except UnidentifiedImageError as error:
            raise _format_error() from error
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels_error(None) from error
        except Exception as error:
            # A header Pillow recognises but cannot parse (bad chunk lengths, bad markers...).
            raise _damaged_error() from error

        with image:
            image_format = ACCEPTED_FORMATS.get(image.format)
            if image_format is None:
                raise _format_error()
            _check_pixels(image)
            if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
                raise ValidationError(
                    _("Animated images are not accepted; upload a still JPEG, PNG or WebP image."),
                    code="image_animated",
                )
            try:
                _check_complete(data, image.format)
                image.load()
                upright = ImageOps.exif_transpose(image)
            except Exception as error:
                # Truncated data, broken compressed streams, inconsistent headers: Pillow raises
                # OSError, SyntaxError, ValueError, EOFError or struct.error depending on where.
                raise _damaged_error() from error
    return ContentFile(
        _encode(upright, image_format), name=f"{uuid.uuid4().hex}.{image_format.extension}"
    )


def _check_complete(data: bytes, image_format: str) -> None:
    """Refuse a file whose end is missing, whatever Pillow's global settings say.

    Pillow pads truncated images silently once ``ImageFile.LOAD_TRUNCATED_IMAGES`` is on, and
    WeasyPrint switches it on for the whole process when it is imported, so the structure is
    checked here: a JPEG ends its last scan with an EOI marker (0xFF 0xD9 cannot occur inside
    entropy-coded data), a PNG ends with its IEND chunk, a WebP's RIFF header gives its length.
    """
    if image_format in {"JPEG", "MPO"}:
        complete = data.rfind(b"\xff\xd9") > data.rfind(b"\xff\xda")
    elif image_format == "PNG":
        complete = b"IEND" in data[-64:]
    elif image_format == "WEBP":
        complete = int.from_bytes(data[4:8], "little") + 8 <= len(data)
    else:
        complete = True
    if not complete:
        raise ValueError("image data ends early")


def _read_within_limit(upload) -> bytes:
    limit = settings.PRESSDESK_MAX_UPLOAD_BYTES
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise _too_large_error(declared, limit)
    upload.seek(0)
    # Read one byte past the limit so a file whose declared size lies is still caught.
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large_error(len(data), limit)
    if not data:
        raise ValidationError(_("The file is empty."), code="image_empty")
    return data


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise _damaged_error()
    if width * height > settings.PRESSDESK_MAX_IMAGE_PIXELS:
        raise _too_many_pixels_error(image.size)


# Real colour profiles are a few kilobytes (sRGB IEC61966-2.1: 3 KB); a larger blob is not parsed.
MAX_PARSED_PROFILE_BYTES = 256 * 1024
# An sRGB profile is kept as it came only up to this size; beyond, it is dropped (same colours).
MAX_KEPT_PROFILE_BYTES = 8 * 1024
# Modes littleCMS converts here; others keep their pixels and lose the profile.
CONVERTIBLE_MODES = {"RGB": "RGB", "RGBA": "RGBA", "CMYK": "RGB"}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Probe colours: a profile that maps each of them onto itself (within rounding) is sRGB.
SRGB_PROBES = [(r, g, b) for r in (0, 128, 255) for g in (0, 128, 255) for b in (0, 128, 255)]


def _in_srgb(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """The image's pixels in sRGB, and the profile to store with them (None: store none)."""
    blob = image.info.get("icc_profile")
    if not blob:
        return image, None
    if len(blob) > MAX_PARSED_PROFILE_BYTES:
        return image, None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(blob))
    except (OSError, ImageCms.PyCMSError):
        return image, None  # not a colour profile: nothing to convert with
    if image.mode == "P":
        has_alpha = "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    if image.mode not in CONVERTIBLE_MODES:
        return image, None
    try:
        if image.mode != "CMYK" and _acts_as_srgb(profile):
            return image, blob if len(blob) <= MAX_KEPT_PROFILE_BYTES else None
        converted = ImageCms.profileToProfile(
            image,
            profile,
            SRGB,
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode=CONVERTIBLE_MODES[image.mode],
        )
    except ImageCms.PyCMSError:
        # A profile for another colour space than the pixels' (a CMYK profile on RGB pixels).
        return image, None
    return converted, None


def _acts_as_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    """True when converting through `profile` to sRGB leaves every probe colour as it was."""
    if profile.profile.xcolor_space.strip() != "RGB":
        return False
    probe = Image.new("RGB", (len(SRGB_PROBES), 1))
    probe.putdata(SRGB_PROBES)
    converted = ImageCms.profileToProfile(probe, profile, SRGB, outputMode="RGB")
    return all(abs(a - b) <= 2 for a, b in zip(probe.tobytes(), converted.tobytes(), strict=True))


def _encode(image: Image.Image, image_format: ImageFormat) -> bytes:
    options = dict(image_format.save_options)
    image, icc_profile = _in_srgb(image)
    if icc_profile:
        options["icc_profile"] = icc_profile
    if image.mode == "P" and "transparency" in image.info and image_format.pillow_name == "PNG":
        options["transparency"] = image.info["transparency"]
    if image.mode not in ENCODABLE_MODES[image_format.pillow_name]:
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        keeps_alpha = has_alpha and image_format.pillow_name != "JPEG"
        image = image.convert("RGBA" if keeps_alpha else "RGB")
    # Some encoders fall back on image.info (the JPEG comment, the PNG colour profile): empty it
    # so that only what is passed explicitly above is written.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, format=image_format.pillow_name, **options)
    return buffer.getvalue()


def _format_error() -> ValidationError:
    return ValidationError(_("This file is not a JPEG, PNG or WebP image."), code="image_format")


def _damaged_error() -> ValidationError:
    return ValidationError(
        _("This image file is damaged or incomplete; export it again and upload the new file."),
        code="image_damaged",
    )


def _too_large_error(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The image is %(size)s; the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="image_too_large",
    )


def _too_many_pixels_error(dimensions: tuple[int, int] | None) -> ValidationError:
    limit = _("%(megapixels)s megapixels") % {
        "megapixels": f"{settings.PRESSDESK_MAX_IMAGE_PIXELS / 1_000_000:g}"
    }
    if dimensions is None:
        message = _("The image has too many pixels; the limit is %(limit)s.") % {"limit": limit}
    else:
        message = _("The image is %(width)s × %(height)s pixels; the limit is %(limit)s.") % {
            "width": dimensions[0],
            "height": dimensions[1],
            "limit": limit,
        }
    return ValidationError(message, code="image_too_many_pixels")
