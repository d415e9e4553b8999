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


def arrange_state(release, status, *, publish_at=None, expire_at=None, author=None):
    """Put a release into `status` for a test that is about reading, not transitions.

    A release that passes the checklist goes through myths.workflow like a real one (a writer
    submits, a reviewer approves, a publisher publishes, schedules or withdraws). Other states the
    workflow would refuse (an incomplete release "published", a schedule whose time has already
    come) are arranged with .update(), leaving the rows a transition would leave.
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
            through_workflow = False  # e.g. an incomplete release: arrange the rows directly
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
