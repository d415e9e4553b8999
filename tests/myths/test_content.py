"""myths.revisions.content: the typed snapshot writes and reads the JSON a revision stores."""

import copy
import json
from datetime import date

import pytest

from myths.diff import content_sections
from myths.revisions import (
    SNAPSHOT_VERSION,
    ContactContent,
    FigureContent,
    ReleaseContent,
    ResponseContent,
    SourceContent,
    content_media_names,
    content_search_text,
    release_snapshot,
    revision_content,
    revision_create,
)
from tests.factories import SocialHandleFactory, TopicFactory, release_with_content

# A snapshot exactly as revisions stored it before ReleaseContent wrote it (version 1; recorded
# from the earlier hand-written serialiser): it must keep parsing, and writing it back must give
# the same JSON.
STORED_V1 = json.loads(
    r"""{
    "v": 1, "release_id": 1, "title": "Five myths about the harbour, part 0",
    "slug": "five-myths-about-the-harbour-part-0",
    "lede": "The harbour has been the subject of persistent rumours. Here are the facts.",
    "language": "en", "more_info_url": "", "more_info_label": "",
    "contact": {"id": 1, "organisation": "Ministry of Examples",
        "division": "Public Information Division", "section": "Press Section 0",
        "phone": "+32 2 555 0100", "email": "press0@example.org",
        "website": "https://www.example.org", "social": [["x", "X (Twitter)", "@ExamplePress"]]},
    "responses": [
        {"claim_id": 1, "claim_slug": "the-river-was-poisoned-on-purpose-version-0",
         "claim_wording": "The river was poisoned on purpose (version 0)",
         "claimant": "A state broadcaster", "first_appeared_on": "2024-03-01",
         "first_appeared_in": "Evening news", "first_appearance_url": "https://example.org/news",
         "topics": [["defence", "Defence"], ["energy", "Energy"]], "verdict": "false",
         "body": "Text with ![x](/media/uploads/a%20b.png) image",
         "body_html": "<p>Text with <img alt=\"x\" src=\"/media/uploads/a%20b.png\"> image</p>",
         "figures": [{"image": "figures/2026/11/harbour.png", "width": 40, "height": 30,
             "caption": "Inspectors at the north quay.", "credit": "Press Office",
             "alt_text": "Two inspectors in high-visibility vests on a quay."}],
         "sources": [{"url": "https://example.org/reports/2026",
             "title": "Harbour inspection reports", "publisher": "Port Authority"}]},
        {"claim_id": 2, "claim_slug": "the-river-was-poisoned-on-purpose-version-1",
         "claim_wording": "The river was poisoned on purpose (version 1)",
         "claimant": "An anonymous channel", "first_appeared_on": "", "first_appeared_in": "",
         "first_appearance_url": "", "topics": [], "verdict": "", "body": "",
         "body_html": "", "figures": [], "sources": []}
    ]
}"""
)

EXPECTED = ReleaseContent(
    release_id=1,
    title="Five myths about the harbour, part 0",
    slug="five-myths-about-the-harbour-part-0",
    lede="The harbour has been the subject of persistent rumours. Here are the facts.",
    language="en",
    more_info_url="",
    more_info_label="",
    contact=ContactContent(
        id=1,
        organisation="Ministry of Examples",
        division="Public Information Division",
        section="Press Section 0",
        phone="+32 2 555 0100",
        email="press0@example.org",
        website="https://www.example.org",
        social=[("x", "X (Twitter)", "@ExamplePress")],
    ),
    responses=[
        ResponseContent(
            number=1,
            claim_id=1,
            claim_slug="the-river-was-poisoned-on-purpose-version-0",
            claim_wording="The river was poisoned on purpose (version 0)",
            claimant="A state broadcaster",
            first_appeared_on=date(2024, 3, 1),
            first_appeared_in="Evening news",
            first_appearance_url="https://example.org/news",
            topics=[("defence", "Defence"), ("energy", "Energy")],
            verdict="false",
            body="Text with ![x](/media/uploads/a%20b.png) image",
            body_html='<p>Text with <img alt="x" src="/media/uploads/a%20b.png"> image</p>',
            figures=[
                FigureContent(
                    image="figures/2026/11/harbour.png",
                    width=40,
                    height=30,
                    caption="Inspectors at the north quay.",
                    credit="Press Office",
                    alt_text="Two inspectors in high-visibility vests on a quay.",
                )
            ],
            sources=[
                SourceContent(
                    url="https://example.org/reports/2026",
                    title="Harbour inspection reports",
                    publisher="Port Authority",
                )
            ],
        ),
        ResponseContent(
            number=2,
            claim_id=2,
            claim_slug="the-river-was-poisoned-on-purpose-version-1",
            claim_wording="The river was poisoned on purpose (version 1)",
            claimant="An anonymous channel",
            first_appeared_on=None,
            first_appeared_in="",
            first_appearance_url="",
            topics=[],
            verdict="",
            body="",
            body_html="",
            figures=[],
            sources=[],
        ),
    ],
)


def test_a_stored_snapshot_parses_into_every_field():
    assert ReleaseContent.from_snapshot(STORED_V1) == EXPECTED


def test_a_stored_snapshot_is_written_back_unchanged():
    assert ReleaseContent.from_snapshot(STORED_V1).to_snapshot() == STORED_V1
    assert EXPECTED.to_snapshot() == STORED_V1


def test_content_survives_a_round_trip_through_json():
    stored = json.loads(json.dumps(EXPECTED.to_snapshot()))
    assert ReleaseContent.from_snapshot(stored) == EXPECTED


def test_an_older_snapshot_without_the_later_keys_still_parses():
    """Snapshots written before claimants, first appearances, topics and the version key."""
    older = copy.deepcopy(STORED_V1)
    del older["v"], older["more_info_url"], older["more_info_label"]
    for response in older["responses"]:
        for key in ("claimant", "first_appeared_on", "first_appeared_in", "first_appearance_url"):
            del response[key]
        del response["topics"]
    content = ReleaseContent.from_snapshot(older)
    assert content.responses[0].claimant == ""
    assert content.responses[0].first_appeared_on is None
    assert content.responses[0].topics == []
    assert content.more_info_url == ""
    assert content.to_snapshot()["v"] == SNAPSHOT_VERSION


def test_a_snapshot_from_a_newer_version_is_refused():
    with pytest.raises(ValueError, match="newer"):
        ReleaseContent.from_snapshot({**STORED_V1, "v": SNAPSHOT_VERSION + 1})


def test_indexes_are_read_from_the_content():
    assert content_media_names(EXPECTED) == {"figures/2026/11/harbour.png", "uploads/a b.png"}
    text = content_search_text(EXPECTED)
    assert text.startswith("Five myths about the harbour, part 0 The harbour has been")
    assert "Text with image" in text and "<p>" not in text
    assert "Inspectors at the north quay." in text


def test_compare_sections_come_from_the_content():
    sections = content_sections(EXPECTED)
    assert sections["Title"] == ["Five myths about the harbour, part 0"]
    assert sections["Press contact"][0] == "Organisation: Ministry of Examples"
    assert sections["Press contact"][-1] == "X (Twitter): @ExamplePress"
    # Every claim field is shown, empty ones too, so a change to any of them is visible.
    assert sections["Myth 2"] == [
        "Claim: The river was poisoned on purpose (version 1)",
        "Made by: An anonymous channel",
        "First appeared on: —",
        "First appeared in: —",
        "First appearance link: —",
        "Topics: —",
        "Verdict: —",
    ]


@pytest.mark.django_db
def test_the_working_copy_round_trips_through_a_revision():
    release = release_with_content(responses=2, figures=1, sources=1)
    response = release.responses.order_by("position").first()
    claim = response.claim
    claim.claimant = "A state broadcaster"
    claim.first_appeared_on = date(2024, 3, 1)
    claim.save()
    claim.topics.add(TopicFactory(name="Defence"))
    SocialHandleFactory(contact=release.contact)

    content = ReleaseContent.from_release(release)
    assert content.responses[0].first_appeared_on == date(2024, 3, 1)
    assert content.responses[0].topics == [("defence", "Defence")]
    assert content.contact.social and content.contact.id == release.contact_id
    assert ReleaseContent.from_snapshot(content.to_snapshot()) == content
    revision = revision_create(release=release)
    revision.refresh_from_db()
    assert revision.content == release_snapshot(release) == content.to_snapshot()
    assert revision_content(revision) == content
