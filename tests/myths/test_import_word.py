"""Issue 12, item 3: a Word file imports through the preview with every field right — headings,
paragraphs, bold/italic, links, and its images as figures with the caption and credit under
each — and hostile Word files are refused with nothing created."""

import io
import os
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from contacts.models import PressContact
from myths.importing import release_import
from myths.importing.preview import TOKEN_MAX_AGE, docx_keep, docx_kept
from myths.models import Claim, Figure, Release, Response
from myths.uploads import IMPORT_PREFIX
from tests.factories.importing import import_preview, import_through_preview
from tests.factories.word import LINK, word_release
from tests.myths.test_import_docx_safety import docx
from tests.myths.test_importer import model_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(writer_client):
    response = import_through_preview(writer_client, data=word_release(), name="barrier.docx")
    assert response.status_code == 302, response.content.decode()[:2000]
    return Release.objects.get()


def media_files(settings) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), settings.MEDIA_ROOT)
        for folder, _, names in os.walk(settings.MEDIA_ROOT)
        for name in names
    )


def test_title(imported):
    assert imported.title == "Two myths about the flood barrier"
    assert imported.lede == "The Ministry of Water answers the claims made about the barrier."


def test_claims(imported):
    assert [r.claim.wording for r in imported.responses.order_by("position")] == [
        "The barrier was never tested",
        "The barrier floods the farms upstream",
    ]


def test_body_keeps_bold_and_italic_and_drops_captions(imported):
    first, second = imported.responses.order_by("position")
    assert "**tested twice**" in first.body
    assert second.body == (
        "No farm upstream has flooded *since the barrier opened*.\n\n"
        "The barrier is inspected every spring."
    )
    assert "Photo:" not in first.body and "©" not in second.body


def test_link_becomes_link_and_source(imported):
    first = imported.responses.order_by("position").first()
    assert f"[survey report]({LINK})" in first.body
    assert [(s.url, s.title) for s in first.sources.all()] == [(LINK, "survey report")]


def test_figures_count_and_order(imported):
    figures = Figure.objects.filter(response__release=imported).order_by("position")
    assert [(f.response.position, f.width, f.height) for f in figures] == [(1, 64, 48), (2, 64, 48)]


def test_figure_caption_credit_and_alt(imported):
    first, second = Figure.objects.filter(response__release=imported).order_by("position")
    assert (first.caption, first.credit, first.alt_text) == (
        "Divers inspect the lower gate.",
        "Jane Doe / Ministry of Water",
        "Divers beside the lower gate",
    )
    assert (second.caption, second.credit, second.alt_text) == (
        "The fields upstream in March",
        "John Roe",
        "Fields upstream of the barrier",
    )


def test_figure_images_went_through_the_gate(imported, settings):
    files = media_files(settings)
    assert len(files) == 2 and all(name.startswith("figures/") for name in files)


def test_contact(imported):
    contact = imported.contact
    assert (contact.organisation, contact.section, contact.email) == (
        "Ministry of Water",
        "Press Office",
        "press@water.example",
    )
    assert contact.is_proposed


def test_preview_shows_figures_and_writes_nothing(writer_client, settings):
    before = model_counts()
    page = import_preview(writer_client, data=word_release(), name="barrier.docx")
    html = page.content.decode()
    assert page.status_code == 200
    # Only the Word file itself, waiting for the confirm step where any app server can read it.
    assert model_counts() == before
    assert [name.split("/")[0] for name in media_files(settings)] == ["pressdesk-imports"]
    assert html.count('data-field="caption"') == 2
    assert "Divers inspect the lower gate." in html and "John Roe" in html
    assert 'src="data:image/png;base64,' in html


def test_the_kept_file_is_removed_after_the_draft(writer_client, settings):
    import_through_preview(writer_client, data=word_release(), name="barrier.docx")
    assert Release.objects.count() == 1
    assert not [name for name in media_files(settings) if name.startswith(IMPORT_PREFIX)]


def test_the_kept_file_is_served_to_nobody(writer_client, settings, client, login):
    import_preview(writer_client, data=word_release(), name="barrier.docx")
    (kept,) = [name for name in media_files(settings) if name.startswith(IMPORT_PREFIX)]
    for role in ("anonymous", "writer", "superuser"):  # staff may see drafts' files, not these
        login(client, role)
        assert client.get(f"/media/{kept}").status_code == 404, role


def test_kept_files_older_than_a_token_are_removed_on_the_next_preview(writer_client, settings):
    stale = docx_keep(b"an abandoned preview")
    path = os.path.join(settings.MEDIA_ROOT, IMPORT_PREFIX, f"{stale}.docx")
    old = time.time() - TOKEN_MAX_AGE - 60
    os.utime(path, (old, old))
    import_preview(writer_client, data=word_release(), name="barrier.docx")
    assert not os.path.exists(path)
    with pytest.raises(ValidationError) as refused:
        docx_kept(stale)
    assert refused.value.code == "expired"


def test_a_kept_file_changed_in_storage_is_refused(settings):
    digest = docx_keep(b"the previewed bytes")
    with open(os.path.join(settings.MEDIA_ROOT, IMPORT_PREFIX, f"{digest}.docx"), "wb") as kept:
        kept.write(b"other bytes")
    with pytest.raises(ValidationError) as refused:
        docx_kept(digest)
    assert refused.value.code == "expired"
    with pytest.raises(ValidationError):
        docx_kept("../../etc/passwd")


def test_command_imports_a_word_file(tmp_path):
    path = tmp_path / "barrier.docx"
    path.write_bytes(word_release())
    out = io.StringIO()
    call_command("import_release", str(path), stdout=out)
    release = Release.objects.get()
    assert release.title == "Two myths about the flood barrier"
    assert Figure.objects.filter(response__release=release).count() == 2
    assert "2 figure(s) from the Word file" in out.getvalue()


# --- Hostile files: refused at the preview, nothing created --------------------------------------


def zip_bomb() -> bytes:
    buffer = io.BytesIO(docx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/fill.xml", b"\0" * 20_000_000)
    return buffer.getvalue()


def external_entity() -> bytes:
    return docx(
        {
            "word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM '
            '"file:///etc/passwd">]><w:document xmlns:w="x"><w:body>&x;</w:body></w:document>'
        }
    )


def oversized_image() -> bytes:
    """The acceptance release with one more image over docx_safety's 5 MB (stored, not
    compressed, so it is not also a zip bomb)."""
    source = zipfile.ZipFile(io.BytesIO(word_release()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        archive.writestr("word/media/huge.png", os.urandom(5_100_000))
    return buffer.getvalue()


def renamed_docm() -> bytes:
    return docx(
        {"word/vbaProject.bin": b"macro"}, kind="vnd.ms-word.document.macroEnabled.main+xml"
    )


COUNTED = (Release, Response, Figure, Claim, PressContact)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (zip_bomb, "compressed suspiciously well"),
        (external_entity, "document type or entity declaration"),
        (oversized_image, "image in the Word file is larger than 5 MB"),
        (renamed_docm, "contains macros"),
    ],
    ids=["zip-bomb", "external-entity", "oversized-image", "renamed-docm"],
)
def test_hostile_word_file_refused_with_nothing_created(writer_client, settings, build, message):
    counted = COUNTED
    before = {model.__name__: model.objects.count() for model in counted}
    page = import_preview(writer_client, data=build(), name="release.docx")
    html = page.content.decode()
    assert page.status_code == 200
    assert message in html
    assert 'name="token"' not in html  # no preview, so nothing to confirm
    assert {model.__name__: model.objects.count() for model in counted} == before
    assert media_files(settings) == []
    with pytest.raises(CommandError, match="Word file"):
        path = settings.MEDIA_ROOT.parent / "hostile.docx"
        path.write_bytes(build())
        call_command("import_release", str(path), stdout=io.StringIO())
    assert {model.__name__: model.objects.count() for model in counted} == before
    assert media_files(settings) == []


def test_a_refused_figure_leaves_no_row_and_no_file(settings, monkeypatch):
    # The second figure's credit is too long for its field: refused after the first was stored.
    from myths.importing import word

    real = word.caption_split
    monkeypatch.setattr(
        word, "caption_split", lambda line: ("x", "y" * 300) if "©" in line else real(line)
    )
    before = model_counts()
    with pytest.raises(ValidationError):
        release_import(text_or_bytes=word_release(), filename="barrier.docx")
    assert model_counts() == before
    assert media_files(settings) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Divers at the lock. Photo: Jane Doe", ("Divers at the lock.", "Jane Doe")),
        ("*The lock at dawn* © John Roe", ("The lock at dawn", "John Roe")),
        ("The lock at dawn (Credit: NATO)", ("The lock at dawn", "NATO")),
        ("*The lock at dawn*", ("The lock at dawn", "")),
    ],
)
def test_caption_and_credit_split(line, expected):
    from myths.importing.word import caption_split

    assert caption_split(line) == expected
