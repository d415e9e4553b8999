"""Factories for every model, and a helper that arranges a release in a given state."""

import io
import struct
import zlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import ExifTags, Image

from contacts.models import PressContact, SocialHandle
from myths.models import Claim, Figure, Release, Response, Source, Topic

PASSWORD = "correct horse battery staple"


def png_bytes(width=40, height=30, color=(30, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    is_staff = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """role="writer" | "reviewer" | "publisher": joins the group the roles migration made."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Topic {n}")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    wording = factory.Sequence(lambda n: f"The river was poisoned on purpose (version {n})")
    claimant = "An anonymous channel"


class PressContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PressContact

    organisation = "Ministry of Examples"
    division = "Public Information Division"
    section = factory.Sequence(lambda n: f"Press Section {n}")
    phone = "+32 2 555 0100"
    email = factory.Sequence(lambda n: f"press{n}@example.org")
    website = "https://www.example.org"


class SocialHandleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialHandle

    contact = factory.SubFactory(PressContactFactory)
    handle = "@ExamplePress"


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    title = factory.Sequence(lambda n: f"Five myths about the harbour, part {n}")
    lede = "The harbour has been the subject of persistent rumours. Here are the facts."
    contact = factory.SubFactory(PressContactFactory)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    release = factory.SubFactory(ReleaseFactory)
    claim = factory.SubFactory(ClaimFactory)
    position = factory.Sequence(lambda n: n)
    verdict = Response.Verdict.FALSE
    body = "The harbour is inspected **every month**.\n\nThe reports are [public](https://example.org/reports)."


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    response = factory.SubFactory(ResponseFactory)
    image = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="harbour.png"))
    caption = "Inspectors at the north quay."
    credit = "Press Office"
    alt_text = "Two inspectors in high-visibility vests on a quay."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    response = factory.SubFactory(ResponseFactory)
    url = "https://example.org/reports/2026"
    title = "Harbour inspection reports"
    publisher = "Port Authority"


def release_with_content(responses: int = 2, figures: int = 1, sources: int = 1, **kwargs):
    """A complete draft release that passes the pre-publication checklist."""
    release = ReleaseFactory(**kwargs)
    for position in range(1, responses + 1):
        response = ResponseFactory(release=release, position=position)
        FigureFactory.create_batch(figures, response=response)
        SourceFactory.create_batch(sources, response=response)
    return release


def arrange_state(release, status, *, publish_at=None, expire_at=None, author=None):
    """Put a release straight into `status` for a test that is about reading, not transitions.

    Transitions themselves are tested through myths.workflow; this only arranges the rows that
    a transition leaves behind (a revision, and the live or scheduled pointer), with .update() so
    no model code is bypassed that a real transition would run.
    """
    from django.utils import timezone

    from myths.revisions import revision_create

    revision = revision_create(release=release, author=author)
    fields = {"status": status, "publish_at": publish_at, "expire_at": expire_at}
    if status == Release.Status.PUBLISHED:
        fields.update(live_revision=revision, first_published_at=publish_at or timezone.now())
    elif status == Release.Status.SCHEDULED:
        fields.update(scheduled_revision=revision)
    Release.objects.filter(pk=release.pk).update(**fields)
    release.refresh_from_db()
    return release


# --- Image files, honest and hostile, for the upload gate (myths/images.py) ----------------------


def image_bytes(
    image_format="PNG", width=40, height=30, color=(30, 90, 160), mode="RGB", **options
):
    """A real image file of the given Pillow format, as bytes."""
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, format=image_format, **options)
    return buffer.getvalue()


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
