"""Factories for every model, and a helper that arranges a release in a given state."""

import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import Image

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
