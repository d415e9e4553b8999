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
        """role="writer" | "reviewer" | "publisher": joins the group the roles migration made
        (recreated first when a transactional test's flush removed it)."""
        if create and extracted:
            if not Group.objects.filter(name=extracted).exists():
                ensure_roles()
            self.groups.add(Group.objects.get(name=extracted))


def ensure_roles():
    """Recreate the roles migration's groups, which a transactional test's flush removes
    (the flush's post_migrate recreates permissions, not groups)."""
    import importlib

    from django.contrib.auth.models import Permission

    roles = importlib.import_module("myths.migrations.0002_roles").ROLES
    for name, codes in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


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


def arrange_state(release, status, *, publish_at=None, expire_at=None, author=None, force=False):
    """Put a release into `status` for a test that is about reading, not transitions.

    The release goes through myths.workflow like a real one (a writer submits, a reviewer
    approves, a publisher publishes, schedules or withdraws). If the workflow refuses (e.g. an
    incomplete release that fails the checklist), the refusal is raised, unless `force=True`
    says the test means it: then the rows a transition would leave are written with .update().
    Schedules the workflow cannot make (a publish time already past for a scheduled release, in
    the future for a published one) are always arranged with .update().
    When `publish_at` is given for a published release it is also its first publication time.
    """
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from myths import workflow
    from myths.revisions import revision_create

    Status = Release.Status
    Release.objects.filter(pk=release.pk).update(publish_at=publish_at, expire_at=expire_at)
    release.refresh_from_db()
    now = timezone.now()
    through_workflow = not (
        (status == Status.SCHEDULED and (publish_at is None or publish_at <= now))
        or (status in (Status.PUBLISHED, Status.WITHDRAWN) and publish_at and publish_at > now)
    )
    if through_workflow:
        writer = author or UserFactory(role="writer")
        revision_create(release=release, author=writer)
        release.refresh_from_db()
        steps = {
            Status.DRAFT: [],
            Status.IN_REVIEW: ["submit"],
            Status.APPROVED: ["submit", "approve"],
            Status.SCHEDULED: ["submit", "approve", "publish"],
            Status.PUBLISHED: ["submit", "approve", "publish"],
            Status.WITHDRAWN: ["submit", "approve", "publish", "withdraw"],
        }[status]
        publisher = UserFactory(role="publisher") if len(steps) > 2 else None
        actors = {
            "submit": writer,
            "approve": UserFactory(role="reviewer") if len(steps) > 1 else None,
            "publish": publisher,
            "withdraw": publisher,
        }
        try:
            for step in steps:
                workflow.release_transition(
                    release=release,
                    actor=actors[step],
                    transition=step,
                    comment="Arranged for a test." if step == "withdraw" else "",
                )
        except ValidationError:
            if not force:
                raise
            # The caller asked for it (e.g. an incomplete release): arrange the rows directly.
        else:
            if status == Status.PUBLISHED and publish_at:
                Release.objects.filter(pk=release.pk).update(first_published_at=publish_at)
            release.refresh_from_db()
            return release
    revision = revision_create(release=release, author=author)
    fields = {"status": status}
    if status == Status.PUBLISHED:
        fields.update(live_revision=revision, first_published_at=publish_at or now)
    elif status == Status.SCHEDULED:
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


def photo_bytes(width=1200, height=700) -> bytes:
    """A JPEG that looks like a photo at a glance: sky, water and a quay, drawn with Pillow."""
    from PIL import ImageDraw

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


NEWSROOM_CLAIMS = [
    (
        "The harbour authority is dumping waste into the bay at night",
        [
            "No waste of any kind is discharged into the bay. The harbour's waste water goes to "
            "the treatment plant at Eastfield, which publishes its intake figures every week.",
            "Water samples are taken at twelve points around the bay on the first Monday of every "
            "month by an independent laboratory. Since 2019 every sample has met the national "
            "bathing-water standard, and the results are [published in full](https://example.org/water).",
            "The night-time lights some residents have seen come from the dredger *Marten*, which "
            "works after dark to keep the channel clear while shipping traffic is low.",
        ],
        "Lacks context",
    ),
    (
        "The new quay was built without any environmental assessment",
        [
            "The assessment ran for eighteen months and covered birds, fish, noise and traffic. "
            "It drew 214 comments from the public, each of which received a written answer.",
            "The quay's design changed twice as a result: the piling season was moved to avoid "
            "the spawning months, and a reed bed was added along the northern wall.",
        ],
        "False",
    ),
    (
        "Foreign warships have been given secret berths",
        [
            "Every berth allocation is listed on the harbour's public register within 24 hours. "
            "There is no category of berth that is kept off the register.",
            "Naval visits are announced in advance by the Ministry and are open to the press. "
            "In 2025 the harbour received four such visits, all of them reported at the time.",
            "Journalists who wish to verify a particular arrival can ask the harbour master's "
            "office, which keeps the log for ten years.",
        ],
        "False",
    ),
    (
        "Harbour fees have tripled to pay for a private yacht club",
        [
            "Fees for commercial vessels rose by 4.5 per cent in 2025, in line with inflation. "
            "The full schedule of fees is published each January.",
            "The marina on the western shore is run by a sailing association that leases the site "
            "and receives no subsidy from harbour income.",
        ],
        "Misleading",
    ),
    (
        "The harbour will close to fishing boats next year",
        [
            "There are no plans to close the harbour to fishing vessels. The fish quay was "
            "resurfaced last spring and its lease was renewed until 2040.",
            "The rumour appears to stem from a planning document that moves the fuel station for "
            "small boats 300 metres south. Fishing boats will continue to land their catch at "
            "the same quay.",
            "The harbour's consultation with the fishing cooperative meets every quarter; its "
            "minutes are public.",
        ],
        "False",
    ),
]


def newsroom_release(language="en", claims=NEWSROOM_CLAIMS, **kwargs):
    """A release shaped like a real one: five claims, paragraphs, a photo, sources, contact."""
    contact = PressContactFactory(
        organisation="Ministry of Coastal Affairs",
        division="Public Information Division",
        section="Press & Media Section",
        phone="+32 2 555 0142",
        email="press@coastal.example.org",
        website="https://www.coastal.example.org",
    )
    SocialHandleFactory(contact=contact, handle="@CoastalPress")
    defaults = {
        "title": "Five myths about the harbour, and the facts",
        "lede": (
            "The harbour has been the subject of rumours this year. Here is what the records, "
            "the inspections and the people who work there show."
        ),
        "language": language,
        "contact": contact,
        "more_info_url": "https://www.coastal.example.org/facts",
        "more_info_label": "our Facts about the Coast portal",
    }
    release = ReleaseFactory(**{**defaults, **kwargs})
    verdicts = {label: value for value, label in Response.Verdict.choices}
    for position, (wording, paragraphs, verdict) in enumerate(claims, start=1):
        claim = ClaimFactory(wording=wording)
        claim.topics.add(TopicFactory(name="Harbour"), TopicFactory(name="Environment"))
        response = ResponseFactory(
            release=release,
            claim=claim,
            position=position,
            verdict=verdicts.get(verdict, Response.Verdict.FALSE),
            body="\n\n".join(paragraphs),
        )
        if position == 1:
            FigureFactory(
                response=response,
                image=ContentFile(photo_bytes(), name="quay.jpg"),
                caption="Observers from three neighbouring countries at the autumn inspection.",
                credit="Coastal Affairs Photo Service",
                alt_text="Inspectors on the harbour quay, with the bay behind them.",
            )
        SourceFactory(
            response=response,
            url=f"https://www.coastal.example.org/records/{position}",
            title=f"Harbour record {position}",
            publisher="Harbour Authority",
        )
        if position % 2:
            SourceFactory(
                response=response,
                url=f"https://stats.example.org/coast/table-{position}?year=2025&format=full",
                title="Coastal statistics",
                publisher="National Statistics Office",
            )
    return release


def published_release(
    responses: int = 2, figures: int = 1, sources: int = 1, *, publish_at=None, **kwargs
):
    """A complete release, published (live revision) at `publish_at` or now."""
    release = release_with_content(responses=responses, figures=figures, sources=sources, **kwargs)
    return arrange_state(release, Release.Status.PUBLISHED, publish_at=publish_at)


NON_PUBLIC_STATES = ["draft", "in_review", "approved", "scheduled", "withdrawn", "expired"]


def non_public_release(state: str, *, word: str = "", **kwargs):
    """A release in one of the states the public must never see, with `word` in its text.

    `word` goes into the title, lede and the first claim, so search and filter tests can look
    for it. Withdrawn and expired releases were public once (they keep a live revision).
    """
    from datetime import timedelta

    from django.utils import timezone

    word = word or f"secret{state.replace('_', '')}"
    release = release_with_content(
        responses=1, title=f"Hidden {word} release", lede=f"Lede with {word}.", **kwargs
    )
    claim = release.responses.get().claim
    claim.wording = f"The {word} claim is true"
    claim.save()
    now = timezone.now()
    Status = Release.Status
    if state == "draft":
        return arrange_state(release, Status.DRAFT)
    if state == "in_review":
        return arrange_state(release, Status.IN_REVIEW)
    if state == "approved":
        return arrange_state(release, Status.APPROVED)
    if state == "scheduled":
        return arrange_state(release, Status.SCHEDULED, publish_at=now + timedelta(days=2))
    if state == "withdrawn":
        arrange_state(release, Status.PUBLISHED, publish_at=now - timedelta(days=3))
        Release.objects.filter(pk=release.pk).update(status=Status.WITHDRAWN)
        release.refresh_from_db()
        return release
    if state == "expired":
        return arrange_state(
            release,
            Status.PUBLISHED,
            publish_at=now - timedelta(days=3),
            expire_at=now - timedelta(hours=1),
        )
    raise ValueError(state)
