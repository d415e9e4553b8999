"""Image files as bytes, honest and hostile, for uploads and the upload gate (core/images.py).

Drawn with Pillow or written byte by byte; nothing here touches the database.
"""

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageDraw


def image_bytes(
    image_format="PNG", width=40, height=30, color=(30, 90, 160), mode="RGB", **options
):
    """A real image file of the given Pillow format, as bytes."""
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def png_bytes(width=40, height=30, color=(30, 90, 160)) -> bytes:
    """A small plain PNG, the default figure of the content factories."""
    return image_bytes("PNG", width, height, color)


def two_colour_jpeg(*, width=60, height=40, exif=None, **options) -> bytes:
    """A JPEG whose left half is red and right half blue, to see which way it was turned."""
    image = Image.new("RGB", (width, height), (220, 0, 0))
    image.paste((0, 0, 220), (width // 2, 0, width, height))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95, exif=exif or Image.Exif(), **options)
    return buffer.getvalue()


def exif_with_location(*, orientation=None) -> Image.Exif:
    """EXIF as a phone writes it: camera, software, a GPS position and maybe an orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Pocket 9"
    exif[ExifTags.Base.Software] = "Camera 1.0"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 50.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 21.0, 10.0)
    return exif


def png_declaring(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header declares a width × height canvas (a pixel bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = zlib.compress(b"\0" * 4096, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def animated_bytes(image_format="PNG") -> bytes:
    frames = [Image.new("RGB", (20, 20), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=image_format, save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def photo_bytes(width=1200, height=700) -> bytes:
    """A JPEG that looks like a photo at a glance: sky, water and a quay, drawn with Pillow."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.55)
    for y in range(height):
        if y < horizon:
            shade = y / horizon
            colour = (int(120 + 90 * shade), int(160 + 70 * shade), int(210 + 35 * shade))
        else:
            shade = (y - horizon) / (height - horizon)
            colour = (int(40 + 30 * shade), int(80 + 30 * shade), int(110 + 20 * shade))
        draw.line([(0, y), (width, y)], fill=colour)
    draw.rectangle([0, horizon - 40, int(width * 0.45), horizon + 60], fill=(95, 95, 100))
    for x in range(60, int(width * 0.4), 140):
        draw.rectangle([x, horizon - 150, x + 80, horizon - 40], fill=(200, 80, 40))
    draw.polygon(
        [
            (width * 0.6, horizon + 20),
            (width * 0.9, horizon + 20),
            (width * 0.85, horizon + 60),
            (width * 0.65, horizon + 60),
        ],
        fill=(230, 230, 225),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
