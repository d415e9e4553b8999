"""Content factories: one per model of the two content apps, and a complete draft release.

Rows are created as a writer would leave them (drafts); states are arranged in `states.py`.
"""

import factory
from django.core.files.base import ContentFile

from contacts.models import PressContact, SocialHandle
from myths.models import Claim, Figure, Release, Response, Source, Topic
from tests.factories.images import png_bytes


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


def imported_release_fixed(release, *, organisation: str) -> None:
    """What an editor does to an imported draft before the quality gate lets it through: names
    the organisation the text did not give, removes photo captions that came without their photo,
    gives placeholder links their address. Records the result as a revision."""
    from myths import workflow
    from myths.quality import is_caption_line

    PressContact.objects.filter(pk=release.contact_id).update(organisation=organisation)
    for response in Response.objects.filter(release=release):
        paragraphs = response.body.split("\n\n")
        body = "\n\n".join(p for p in paragraphs if not is_caption_line(p))
        response.body = body.replace("](#)", "](https://example.org/)").replace(
            "]()", "](https://example.org/)"
        )
        response.save()
    from tests.factories.users import UserFactory

    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
