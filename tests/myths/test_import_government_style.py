"""Issue 12, item 3 (acceptance): a release in a common government style — an embargo line, a
dateline, a named spokesperson, unnumbered "Myth:" headings, single blank lines and a Markdown
image — imports with every field right; one test per field."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from myths.importing import parse_release, release_import

pytestmark = pytest.mark.django_db

TEXT = (Path(__file__).parents[1] / "fixtures" / "government-style-en.txt").read_text()


@pytest.fixture
def parsed():
    return parse_release(TEXT)


@pytest.fixture
def release():
    return release_import(text_or_bytes=TEXT, author=None).release


def test_title_is_not_the_embargo_line(parsed):
    assert parsed.title == "Four myths about the new flood barrier"


def test_embargo_sets_the_proposed_publish_time(release):
    assert release.publish_at == datetime(2024, 3, 14, 0, 1, tzinfo=UTC)


def test_dateline_sets_place_and_date(release):
    assert (release.dateline_place, release.issued_on) == ("LONDON", date(2024, 3, 12))


def test_dateline_is_not_kept_in_the_lede(parsed):
    assert parsed.lede == "The Ministry of Water answers the claims made about the barrier."


def test_unnumbered_headings_are_claims_in_order(parsed):
    assert [(c.number, c.wording) for c in parsed.claims] == [
        (1, "The barrier will flood the villages downstream"),
        (2, "The barrier cost twice its budget"),
        (3, "Fish cannot pass the barrier"),
    ]
    assert not any("numbered" in w for w in parsed.warnings)


def test_caption_with_single_blank_lines(parsed):
    assert parsed.claims[0].captions == [
        "Photo: The barrier at low tide, seen from the south bank (Ministry of Water)"
    ]
    assert parsed.claims[0].paragraphs == [
        "The barrier holds water back only during a storm surge and releases it at the "
        "river's normal rate.",
        "The villages downstream are protected by the same embankments as before.",
    ]


def test_markdown_image_is_a_warning_with_its_line_not_text(parsed):
    assert "barrier.jpg" not in parsed.claims[0].body
    assert any(w.startswith("Line 11:") and "barrier.jpg" in w for w in parsed.warnings)


def test_spokesperson(release):
    contact = release.contact
    assert (contact.spokesperson, contact.spokesperson_role) == ("Jane Smith", "Head of Media")


def test_contact_organisation_and_section(release):
    assert (release.contact.organisation, release.contact.section) == (
        "Ministry of Water",
        "Press Office",
    )


def test_phones(release):
    contact = release.contact
    assert (contact.phone, contact.second_phone, contact.second_phone_label) == (
        "+44 (0)20 7946 0000",
        "+44 7700 900123",
        "Out of hours",
    )


def test_handle_with_its_network(release):
    assert [(h.network, h.handle) for h in release.contact.social_handles.all()] == [
        ("bluesky", "@water.bsky.social")
    ]


def test_more_info_sentence(release):
    assert release.more_info_url == "https://water.example/floods"
    assert release.more_info_label == (
        "For more information, please visit our flood pages: https://water.example/floods"
    )


def test_the_snapshot_records_the_dateline_place_and_the_release_keeps_its_date(release):
    """The place is content, reviewed with the text; the date of issue is the release's, kept
    for its first publication (issue 13: a publication fact, like the publish time)."""
    revision = release.revisions.get()
    assert revision.content["dateline_place"] == "LONDON"
    assert "issued_on" not in revision.content
    assert release.issued_on == date(2024, 3, 12)
