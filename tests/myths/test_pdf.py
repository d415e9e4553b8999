"""The press-release PDF, read back with pypdf: content and order, metadata, outline, fonts, marks,
hostile content and the limits."""

import html
import http.server
import io
import multiprocessing
import re
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from contacts.models import PressOffice
from myths.models import Release, Revision
from myths.pdf.render import (
    DRAFT_MARK_TEXT,
    PdfRenderError,
    embargo_mark,
    release_pdf_render,
    revision_pdf_date,
    revision_pdf_mark,
)
from myths.pdf.typesetting import LinkNotes
from myths.pdf.worker import ConfinedFetcher, PdfWorkerError, ResourceRefused, run_isolated
from myths.revisions import revision_content
from tests.conftest import ARTIFACTS
from tests.factories import arrange_state, newsroom_release, release_with_content

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
EMBARGO_AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Brussels (CET)

RUSSIAN_CLAIMS = [
    (
        "Гавань закрывают для рыболовных судов",
        [
            "Планов закрывать гавань для рыболовных судов нет. Причал для рыбаков отремонтирован "
            "весной, а его аренда продлена до 2040 года.",
            "Слух, по-видимому, возник из-за плана переноса заправочной станции на 300 метров.",
        ],
        "False",
    ),
    (
        "Порт тайно сбрасывает отходы в залив",
        ["Пробы воды берёт независимая лаборатория каждый месяц; результаты публикуются."],
        "False",
    ),
]


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """Text with hyphenation and line breaks undone, entities decoded, for finding sentences."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"[-\u2010]\n", "", text)
    return re.sub(r"\s+", " ", text).strip()


def image_count(reader: PdfReader) -> int:
    """Distinct image objects in the file (pages share one resource dictionary)."""
    found = set()
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject")
        if xobjects is None:
            continue
        for reference in xobjects.get_object().values():
            if reference.get_object().get("/Subtype") == "/Image":
                found.add(reference.idnum)
    return len(found)


def paragraphs(body_html: str) -> list[str]:
    return [flat(p) for p in re.findall(r"<p>(.*?)</p>", body_html, flags=re.S)]


def save_pages(pdf: bytes, name: str) -> list:
    """Write the PDF and its pages as PNGs (pdftoppm -r 60) to artifacts/pdf/, to look at."""
    folder = ARTIFACTS / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.pdf").write_bytes(pdf)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is needed for the look test"
    subprocess.run(
        [pdftoppm, "-r", "60", "-png", str(folder / f"{name}.pdf"), str(folder / name)],
        check=True,
    )
    return sorted(folder.glob(f"{name}-*.png"))


def published_release(**kwargs):
    release = newsroom_release(**kwargs)
    return arrange_state(release, Release.Status.PUBLISHED, publish_at=PUBLISHED_AT)


@pytest.fixture
def newsroom_pdf():
    release = published_release()
    content = revision_content(release.live_revision)
    return release, content, release_pdf_render(content=content, date=PUBLISHED_AT)


class TestNewsroomRelease:
    def test_every_heading_and_paragraph_in_order(self, newsroom_pdf):
        _release, content, pdf = newsroom_pdf
        pages = save_pages(pdf, "newsroom-release")
        assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages) >= 2
        text = flat(text_of(pdf))
        expected = [content.title, "12 March 2026 —", flat(content.lede)]
        # An inline link prints its note's number after its text (issue 13): "published in full1".
        notes = LinkNotes()
        for response in content.responses:
            expected.append(f"Myth {response.number}: {response.claim_wording}")
            body = re.sub(
                r'<sup class="link-note">(\d+)</sup>', r"\1", notes.annotate(response.body_html)
            )
            expected.extend(paragraphs(body))
        assert len(notes.notes) == 1
        assert len(expected) == 3 + 5 + 13
        positions = []
        # A compound's own hyphen at a line's end is undone by flat() with the line break.
        text = text.replace("-", "")
        for piece in (piece.replace("-", "") for piece in expected):
            assert piece in text, piece
            positions.append(text.index(piece))
        assert positions == sorted(positions)

    def test_figure_sources_and_contact(self, newsroom_pdf):
        _release, content, pdf = newsroom_pdf
        text = flat(text_of(pdf))
        figure = content.figures[0]
        assert figure.caption in text
        assert f"Photo: {figure.credit}".upper() in text.upper()
        urls = [s.url for r in content.responses for s in r.sources]
        assert len(urls) == 8
        for number, url in enumerate(urls, start=1):
            assert f"{number}. " in text
            assert url in text.replace(" ", "")
        assert "+32 2 555 0142" in text
        assert "press@coastal.example.org" in text
        assert text.index("Press contact".upper()) > text.index(urls[-1].split("?")[0])
        reader = PdfReader(io.BytesIO(pdf))
        assert image_count(reader) == 1
        assert "Page 1 of" in text and f"Page {len(reader.pages)} of {len(reader.pages)}" in text

    def test_links_are_clickable(self, newsroom_pdf):
        _release, _content, pdf = newsroom_pdf
        reader = PdfReader(io.BytesIO(pdf))
        uris = {
            annotation.get_object()["/A"].get("/URI")
            for page in reader.pages
            for annotation in page.get("/Annots", [])
            if annotation.get_object().get("/A")
        }
        assert "mailto:press@coastal.example.org" in uris
        assert "https://www.coastal.example.org/records/3" in uris

    def test_metadata_outline_fonts_and_tags(self, newsroom_pdf):
        _release, content, pdf = newsroom_pdf
        reader = PdfReader(io.BytesIO(pdf))
        meta = reader.metadata
        assert meta.title == content.title
        # The letterhead's office, never the contact's organisation (issue 13).
        assert meta.author == PressOffice.objects.default().name
        assert meta.subject == content.lede
        assert meta["/Keywords"] == "Environment, Harbour"
        assert reader.trailer["/Root"]["/Lang"] == "en"

        outline = reader.outline
        assert [item.title for item in outline if not isinstance(item, list)] == [content.title]
        claims = outline[1]
        assert [item.title for item in claims] == [
            f"Myth {r.number}: {r.claim_wording}" for r in content.responses
        ]

        fonts = {}
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = (
                    font.get("/FontDescriptor")
                    or (font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
                )
                fonts[font["/BaseFont"]] = descriptor.get_object()
        assert fonts and any("Noto" in name for name in fonts)
        for name, descriptor in fonts.items():
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), name

        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root
        assert root["/MarkInfo"]["/Marked"]
        assert b"pdfuaid" in root["/Metadata"].get_object().get_data()

    def test_published_pdf_carries_no_mark(self, newsroom_pdf):
        release, _content, pdf = newsroom_pdf
        assert revision_pdf_mark(revision=release.live_revision) is None
        text = text_of(pdf)
        assert "DRAFT" not in text.upper()
        assert "EMBARGO" not in text.upper()


def test_cyrillic_release_has_real_glyphs():
    release = published_release(
        language="ru",
        claims=RUSSIAN_CLAIMS,
        title="Два мифа о гавани",
        lede="О гавани ходят слухи. Вот что показывают документы.",
    )
    content = revision_content(release.live_revision)
    pdf = release_pdf_render(content=content, date=PUBLISHED_AT)
    save_pages(pdf, "russian-release")
    text = flat(text_of(pdf))
    assert "Два мифа о гавани" in text
    for response in content.responses:
        assert response.claim_wording in text
        for paragraph in paragraphs(response.body_html):
            assert paragraph in text
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "ru"
    # Real glyphs: every character came from an embedded font that maps it back to Unicode;
    # a missing glyph would come out as .notdef and extract as nothing or U+FFFD.
    assert "\ufffd" not in text


class TestMarks:
    def test_draft_mark_on_every_page(self):
        release = arrange_state(newsroom_release(), Release.Status.DRAFT)
        revision = release.revisions.get()
        mark = revision_pdf_mark(revision=revision)
        assert mark.text == DRAFT_MARK_TEXT == "DRAFT — NOT FOR PUBLICATION"
        pdf = release_pdf_render(content=revision_content(revision), mark=mark)
        save_pages(pdf, "draft-release")
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
        assert len(pages) >= 2
        for page in pages:
            assert DRAFT_MARK_TEXT in page
            assert "EMBARGO" not in page

    def test_embargo_mark_at_the_top_in_site_time(self):
        release = arrange_state(newsroom_release(), Release.Status.SCHEDULED, publish_at=EMBARGO_AT)
        revision = release.scheduled_revision
        mark = revision_pdf_mark(revision=revision)
        assert mark.text == "EMBARGOED UNTIL 1 DECEMBER 2026, 09:00 CET"
        assert revision_pdf_date(revision=revision) == EMBARGO_AT
        pdf = release_pdf_render(content=revision_content(revision), mark=mark, date=EMBARGO_AT)
        save_pages(pdf, "embargoed-release")
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
        assert flat(pages[0]).startswith(mark.text)
        for page in pages:
            assert mark.text in page
            assert "DRAFT" not in page

    def test_summer_time_is_named(self):
        assert embargo_mark(datetime(2026, 7, 1, 7, 0, tzinfo=UTC)).text == (
            "EMBARGOED UNTIL 1 JULY 2026, 09:00 CEST"
        )

    @pytest.mark.parametrize(
        "status", [Release.Status.IN_REVIEW, Release.Status.APPROVED, Release.Status.WITHDRAWN]
    )
    def test_other_states_are_drafts(self, status):
        release = arrange_state(release_with_content(), status)
        assert revision_pdf_mark(revision=release.revisions.get()).text == DRAFT_MARK_TEXT

    def test_an_older_revision_of_a_published_release_is_a_draft(self):
        release = arrange_state(release_with_content(), Release.Status.DRAFT)
        old = release.revisions.get()
        release = arrange_state(release, Release.Status.PUBLISHED)
        assert revision_pdf_mark(revision=release.live_revision) is None
        assert revision_pdf_mark(revision=old).text == DRAFT_MARK_TEXT

    def test_a_due_scheduled_release_is_public(self, time_machine):
        release = arrange_state(
            release_with_content(), Release.Status.SCHEDULED, publish_at=EMBARGO_AT
        )
        time_machine.move_to(EMBARGO_AT)
        assert revision_pdf_mark(revision=release.scheduled_revision) is None


# --- Hostile content ----------------------------------------------------------------------------


class RecordingServer:
    """An HTTP server on 127.0.0.1 that records every request it gets (there must be none)."""

    def __init__(self):
        self.requests = []
        recorder = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                recorder.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { background: red }")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 1
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def server():
    with RecordingServer() as server:
        yield server


def tampered_content(release, body_html):
    """The release's content with `body_html` put in as-is, bypassing the sanitiser on purpose."""
    revision = release.revisions.latest()
    snapshot = revision.content
    snapshot["responses"][0]["body_html"] = body_html
    Revision.objects.filter(pk=revision.pk).update(content=snapshot)
    revision.refresh_from_db()
    return revision_content(revision)


def assert_nothing_from_passwd(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert "root:" not in text_of(pdf)
    assert b"root:x:0:0" not in pdf


HOSTILE = [
    '<p>A</p><img src="file:///etc/passwd"><img src="/etc/passwd">'
    '<img src="../../../../etc/passwd">',
    '<p>A</p><a href="file:///etc/passwd">passwd</a>'
    '<a rel="attachment" href="file:///etc/passwd">x</a>',
    '<link rel="attachment" href="file:///etc/passwd"><p>A</p>',
    "<style>@import url(http://127.0.0.1:{port}/x.css);</style><p>A</p>",
    '<p>A</p><img src="http://127.0.0.1:{port}/x.png"><img src="https://127.0.0.1:{port}/y.png">',
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/z.css"><p>A</p>',
    '<p style="background: url(http://127.0.0.1:{port}/bg.png)">A</p>',
    "<style>@font-face {{ font-family: X; src: url(http://127.0.0.1:{port}/f.woff) }} "
    "p {{ font-family: X }}</style><p>A</p>",
    '<p>A</p><object data="http://127.0.0.1:{port}/o.svg"></object>'
    '<embed src="file:///etc/passwd"><iframe src="http://127.0.0.1:{port}/i"></iframe>',
    '<p>A</p><img src="data:image/svg+xml,'
    "%3Csvg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'%3E"
    "%3Cimage xlink:href='http://127.0.0.1:{port}/svg.png' width='9' height='9'/%3E"
    "%3Cimage href='file:///etc/passwd' width='9' height='9'/%3E%3C/svg%3E\">",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_html_fetches_nothing_and_embeds_nothing(server, payload):
    release = arrange_state(release_with_content(responses=1, figures=0), Release.Status.DRAFT)
    content = tampered_content(release, payload.format(port=server.port))
    pdf = release_pdf_render(content=content)
    assert server.requests == []
    assert_nothing_from_passwd(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert image_count(reader) == 0
    uris = [
        annotation.get_object()["/A"].get("/URI", "")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/A")
    ]
    assert not any("passwd" in uri and "/EmbeddedFile" in str(uri) for uri in uris)


def test_another_releases_media_file_is_refused(settings, tmp_path):
    other = release_with_content(responses=1, figures=1)
    other_file = other.responses.get().figures.get().image
    own = arrange_state(release_with_content(responses=1, figures=1), Release.Status.DRAFT)
    outside = tmp_path / "secret.png"
    outside.write_bytes(other_file.open("rb").read())
    link = settings.MEDIA_ROOT / "figures" / "link.png"
    link.symlink_to(outside)
    payload = (
        f'<p>A</p><img src="{other_file.path}"><img src="file://{other_file.path}">'
        f'<img src="{other_file.name}"><img src="figures/link.png"><img src="file://{outside}">'
    )
    content = tampered_content(own, payload)
    pdf = release_pdf_render(content=content)
    reader = PdfReader(io.BytesIO(pdf))
    # Only the release's own figure is embedded.
    assert image_count(reader) == 1


def test_fetcher_refusals(settings, tmp_path):
    allowed = settings.MEDIA_ROOT / "figures" / "own.png"
    allowed.parent.mkdir(parents=True)
    allowed.write_bytes(b"\x89PNG own")
    (settings.MEDIA_ROOT / "figures" / "other.png").write_bytes(b"other")
    # The parent hands over the release's own figures, read through the storage.
    fetcher = ConfinedFetcher(files={"figures/own.png": b"\x89PNG own"})
    assert fetcher.fetch("media:figures/own.png").read() == b"\x89PNG own"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in [
        # Not even the release's own file is read from disk: only through `files`.
        allowed.as_uri(),
        "media:figures/other.png",
        "media:figures/../figures/own.png",
        "file:///etc/passwd",
        (settings.MEDIA_ROOT / "figures" / "other.png").as_uri(),
        f"file://{settings.MEDIA_ROOT}/figures/../figures/own.png",
        "file://evil.example/etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/x",
        "ftp://example.org/x",
        "gopher://example.org/x",
    ]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


# --- Limits -------------------------------------------------------------------------------------


def test_a_render_past_its_time_is_killed():
    with pytest.raises(PdfWorkerError, match=r"longer than 0\.5 seconds"):
        run_isolated(time.sleep, 30, timeout=0.5)
    # Killed and reaped, not left sleeping: no child of ours is still alive.
    assert multiprocessing.active_children() == []


def test_render_timeout_is_a_clear_error():
    release = arrange_state(release_with_content(), Release.Status.DRAFT)
    with pytest.raises(PdfRenderError) as caught:
        release_pdf_render(content=revision_content(release.revisions.get()), timeout=0.001)
    assert caught.value.code == "pdf_failed"
    assert "was stopped" in " ".join(caught.value.messages)


def test_page_limit(settings):
    settings.PRESSDESK_PDF_MAX_PAGES = 1
    release = arrange_state(newsroom_release(), Release.Status.DRAFT)
    with pytest.raises(PdfRenderError, match="more than the limit of 1"):
        release_pdf_render(content=revision_content(release.revisions.get()))


def test_html_size_limit(settings):
    settings.PRESSDESK_PDF_MAX_HTML_BYTES = 1000
    release = arrange_state(newsroom_release(), Release.Status.DRAFT)
    with pytest.raises(PdfRenderError) as caught:
        release_pdf_render(content=revision_content(release.revisions.get()))
    assert caught.value.code == "pdf_too_large"


def test_a_crash_in_the_child_is_reported():
    with pytest.raises(PdfWorkerError, match="ZeroDivisionError"):
        run_isolated(divmod, 1, 0, timeout=30)


# --- Command line -------------------------------------------------------------------------------


class TestExportCommand:
    def test_exports_the_public_revision(self, tmp_path):
        release = published_release()
        target = tmp_path / "out.pdf"
        call_command("export_pdf", release.slug, "-o", str(target), stdout=io.StringIO())
        text = text_of(target.read_bytes())
        assert release.title in text and "DRAFT" not in text

    def test_default_file_name(self, tmp_path, monkeypatch):
        release = published_release()
        monkeypatch.chdir(tmp_path)
        call_command("export_pdf", release.slug, stdout=io.StringIO())
        assert (tmp_path / f"{release.slug}.pdf").read_bytes().startswith(b"%PDF")

    def test_not_public_needs_a_revision_and_is_marked(self, tmp_path):
        release = arrange_state(release_with_content(), Release.Status.APPROVED)
        with pytest.raises(CommandError, match="--revision"):
            call_command("export_pdf", release.slug, stdout=io.StringIO())
        target = tmp_path / "draft.pdf"
        call_command(
            "export_pdf", release.slug, "--revision", "1", "-o", str(target), stdout=io.StringIO()
        )
        assert DRAFT_MARK_TEXT in text_of(target.read_bytes())
        with pytest.raises(CommandError, match="no revision 7"):
            call_command("export_pdf", release.slug, "--revision", "7", stdout=io.StringIO())

    def test_unknown_slug(self):
        with pytest.raises(CommandError, match="No release with the slug"):
            call_command("export_pdf", "no-such-release", stdout=io.StringIO())
