"""Acceptance of issue 13, identity: the shared seed imported, back-dated to its original date
and published with a reference; page, PDF, feed, sitemap and JSON-LD show the same date, place
and reference (each read back from its own output)."""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contacts.models import PressOffice
from contacts.services import contact_accept
from myths import workflow
from myths.importing import release_import
from myths.models import Release, Response
from tests.factories import UserFactory, arrange_state
from tests.factories.content import imported_release_fixed
from tests.fixtures import seed_path_or_skip

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# The seed carries no dateline. Its text dates it: 2017, after a meeting "in March of this year",
# before the ZAPAD 2017 exercise in September. The press office's archive gives the day.
ORIGINAL_DATE = date(2017, 6, 28)
DATELINE = "BRUSSELS, 28 June 2017"
REFERENCE = "PR/2017/001"


@pytest.fixture
def seed_file():
    """The shared seed, outside the repository: skipped where a bare clone runs, failed under CI
    (the pattern of tests/myths/test_importer.py)."""
    return seed_path_or_skip()


@pytest.fixture
def published_seed(db, seed_file, time_machine):
    """The seed as an office handles it: imported, verdicts chosen, contact accepted, its
    issued date set back by a publisher, then reviewed and published today."""
    time_machine.move_to("2026-11-27 10:00:00+00:00", tick=False)
    office = PressOffice.objects.default()
    office.name = "Alliance Press Office"
    office.dateline_place = "BRUSSELS"
    office.time_zone = "Europe/Brussels"
    office.save()
    release = release_import(text_or_bytes=seed_file.read_bytes(), filename=seed_file.name).release
    Response.objects.filter(release=release).update(verdict=Response.Verdict.FALSE)
    release.refresh_from_db()
    publisher = UserFactory(role="publisher")
    contact_accept(contact=release.contact, actor=publisher)
    imported_release_fixed(release, organisation="Alliance")
    entry = workflow.release_issued_set(release=release, actor=publisher, issued_on=ORIGINAL_DATE)
    assert entry.back_dated
    return arrange_state(release, Release.Status.PUBLISHED)


def test_the_seed_shows_one_date_place_and_reference_everywhere(client, published_seed):
    release = published_seed
    assert (release.reference, release.issued_on) == (REFERENCE, ORIGINAL_DATE)
    assert release.log_entries.filter(back_dated=True).exists()

    # The page: the dateline opens the release, the reference beside the date.
    html = client.get(release.get_absolute_url()).text
    assert f'<span class="dateline">{DATELINE} —</span>' in html
    assert f"<span data-reference>{REFERENCE}</span>" in html
    assert '<time datetime="2017-06-28T' in html

    # JSON-LD: the same date (in the office's time zone), place and reference.
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    article = data[0]
    assert article["datePublished"].startswith("2017-06-28T")
    assert article["dateline"] == DATELINE
    assert article["identifier"] == REFERENCE
    assert {item["datePublished"] for item in data} == {article["datePublished"]}

    # The feed: published on that date, the dateline and the reference in the entry.
    feed = ET.fromstring(client.get(reverse("myths:feed-atom")).content)  # noqa: S314 - ours
    entry = next(
        e
        for e in feed.findall(f"{ATOM}entry")
        if e.find(f"{ATOM}link").get("href").endswith(release.get_absolute_url())
    )
    assert entry.find(f"{ATOM}published").text.startswith("2017-06-28T")
    summary = entry.find(f"{ATOM}summary").text
    assert summary.startswith(f"{DATELINE} — ") and summary.endswith(f"Ref. {REFERENCE}")

    # The sitemap (its releases section, under the index at /sitemap.xml): lastmod is that date.
    index = client.get("/sitemap.xml").text
    assert "/sitemap-releases.xml</loc>" in index
    sitemap = ET.fromstring(client.get("/sitemap-releases.xml").content)  # noqa: S314 - ours
    lastmods = {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text
        for url in sitemap.findall(f"{SITEMAP}url")
        if url.find(f"{SITEMAP}lastmod") is not None
    }
    assert next(v for k, v in lastmods.items() if k.endswith(release.get_absolute_url())) == (
        "2017-06-28"
    )

    # The PDF, read back as text: the dateline and the reference in its header.
    response = client.get(reverse("myths:release-pdf", kwargs={"slug": release.slug}))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    # (The PDF's stylesheet may set the dateline in capitals: compared without case.)
    assert "28 june 2017" in text.lower()
    assert REFERENCE in text, "PDF: reference"
    assert f"{DATELINE} —".lower() in text.lower(), "PDF: dateline"
