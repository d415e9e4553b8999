"""Issue 12, item 3: import as a two-step, reviewable action — the preview shows how the text
was understood with each warning beside its line, nothing is written before "Create draft", and
a text matching a release already here is an update of that draft or a deliberate copy."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.dateformat import format
from django.utils.timezone import localtime

from myths.models import Release
from tests.factories.importing import import_confirm, import_preview, import_through_preview
from tests.fixtures import RELEASE_EN
from tests.myths.test_importer import model_counts

pytestmark = pytest.mark.django_db

GOVERNMENT = (Path(__file__).parents[1] / "fixtures" / "government-style-en.txt").read_text()


@pytest.fixture
def preview(writer_client):
    response = import_preview(writer_client, data=GOVERNMENT)
    assert response.status_code == 200
    return response.content.decode()


def field(page: str, name: str) -> str:
    start = page.index(f'data-field="{name}">') + len(f'data-field="{name}">')
    return page[start : page.index("</dd>", start)]


def test_preview_writes_nothing(writer_client):
    before = model_counts()
    import_preview(writer_client, data=GOVERNMENT)
    assert model_counts() == before


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("title", "Four myths about the new flood barrier"),
        ("lede", "The Ministry of Water answers the claims made about the barrier."),
        ("dateline", "LONDON, 12 March 2024"),
        # 00:01 GMT, shown in the office's time zone (settings.TIME_ZONE).
        ("embargo", format(localtime(datetime(2024, 3, 14, 0, 1, tzinfo=UTC)), "j F Y, H:i e")),
        ("organisation", "Ministry of Water"),
        ("section", "Press Office"),
        ("division", "(not given)"),
        ("spokesperson", "Jane Smith, Head of Media"),
        ("email", "press@water.example"),
        ("handle", "@water.bsky.social (bluesky)"),
    ],
)
def test_preview_shows_each_field(preview, name, expected):
    assert field(preview, name) == expected


def test_preview_shows_claims_captions_and_links(preview):
    assert "<strong>The barrier will flood the villages downstream</strong> (line 7)" in preview
    assert "Photo: The barrier at low tide, seen from the south bank" in preview
    assert 'href="https://water.example/floods"' in preview
    assert "+44 7700 900123" in field(preview, "phone") or "+44 7700 900123" in preview


def test_each_warning_stands_beside_its_line(preview):
    row = preview[preview.index('<tr id="line-11"') :]
    row = row[: row.index("</tr>")]
    assert 'class="warned"' in row
    assert "![The barrier at low tide](barrier.jpg)" in row
    assert "barrier.jpg” is not in the text" in row


def test_create_draft_after_the_preview(writer_client):
    response = import_through_preview(writer_client, data=GOVERNMENT)
    release = Release.objects.get()
    assert response.url == reverse("admin:myths_release_change", args=[release.pk])
    assert (release.title, release.dateline_place) == (
        "Four myths about the new flood barrier",
        "LONDON",
    )
    assert release.source_sha256


def test_the_seed_shaped_fixture_imports_through_the_preview(writer_client):
    response = import_through_preview(
        writer_client, data=RELEASE_EN.read_bytes(), name=RELEASE_EN.name
    )
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.responses.count() == 5
    assert release.contact.division == "Public Affairs Division (PAD)"
    assert release.contact.organisation == ""


def test_an_altered_token_is_refused_and_nothing_is_created(writer_client):
    preview = import_preview(writer_client, data=GOVERNMENT)
    before = model_counts()
    token = preview.content.decode().split('name="token" value="')[1].split('"')[0]
    response = writer_client.post(
        reverse("admin:myths_release_import"), {"token": token[:-2] + "xx", "choice": "create"}
    )
    assert response.status_code == 200
    assert "The previewed text was altered" in response.content.decode()
    assert model_counts() == before


def test_a_reimport_offers_update_or_copy_and_never_silently_duplicates(writer_client):
    import_through_preview(writer_client, data=GOVERNMENT)
    preview = import_preview(writer_client, data=GOVERNMENT)
    page = preview.content.decode()
    assert "This text matches a release already here" in page
    assert "Update this draft as a new revision" in page
    assert 'name="choice" value="create"' not in page
    # Pressing "create" anyway (a forged post) is refused.
    refused = import_confirm(writer_client, preview, choice="create")
    assert refused.status_code == 200
    assert Release.objects.count() == 1
    copied = import_confirm(writer_client, preview, choice="copy")
    assert copied.status_code == 302
    assert Release.objects.count() == 2


def test_a_reimport_updates_the_draft_as_a_new_revision(writer_client):
    import_through_preview(writer_client, data=GOVERNMENT)
    release = Release.objects.get()
    edited = GOVERNMENT.replace("within its budget", "under its budget")
    preview = import_preview(writer_client, data=edited)  # same title and language
    response = import_confirm(
        writer_client, preview, choice="update", target=release.pk, version=release.version
    )
    assert response.status_code == 302
    assert Release.objects.count() == 1
    release.refresh_from_db()
    assert release.revisions.count() == 2
    assert "under its budget" in release.responses.get(position=2).body


def test_an_update_with_a_stale_version_is_refused(writer_client):
    import_through_preview(writer_client, data=GOVERNMENT)
    release = Release.objects.get()
    preview = import_preview(writer_client, data=GOVERNMENT)
    response = import_confirm(
        writer_client, preview, choice="update", target=release.pk, version=release.version - 1
    )
    assert response.status_code == 200
    assert release.revisions.count() == 1
