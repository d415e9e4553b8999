"""Newsroom prose: a release shaped like a real one, for PDF layout and public pages.

Five claims with several paragraphs each, a photo, sources and a full contact, about an invented
harbour; the words are data, the function only puts them into rows.
"""

from django.core.files.base import ContentFile

from myths.models import Response
from tests.factories.content import (
    ClaimFactory,
    FigureFactory,
    PressContactFactory,
    ReleaseFactory,
    ResponseFactory,
    SocialHandleFactory,
    SourceFactory,
    TopicFactory,
)
from tests.factories.images import photo_bytes

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
