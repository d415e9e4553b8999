"""The press-release PDF, read back with pypdf: content and order, metadata, outline, fonts, marks."""

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from myths.models import Release
from myths.pdf import (
    DRAFT_MARK_TEXT,
    PdfMark,
    embargo_mark,
    release_pdf_render,
    revision_pdf_date,
    revision_pdf_mark,
)
from myths.revisions import ReleaseContent, revision_content
from tests.conftest import ARTIFACTS
from tests.factories import arrange_state, newsroom_release

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text with line breaks and hyphenation joined, for searching whole sentences."""
    text = re.sub(r"-\n", "", text)
    return re.sub(r"\s+", " ", text)


def paragraphs_of(content: ReleaseContent):
    for response in content.responses:
        for paragraph in re.findall(r"<p>(.*?)</p>", response.body_html, flags=re.S):
            yield re.sub(r"<[^>]+>", "", paragraph)


def save_pages(pdf: bytes, name: str) -> list:
    """Write the PDF and its pages as PNGs to artifacts/pdf/, to look at."""
    folder = ARTIFACTS / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.pdf").write_bytes(pdf)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    assert shutil.which("pdftoppm"), "poppler-utils is needed for the look test"
    subprocess.run(  # noqa: S603 - fixed arguments
        ["pdftoppm", "-r", "60", "-png", str(folder / f"{name}.pdf"), str(folder / name)],  # noqa: S607
        check=True,
    )
    return sorted(folder.glob(f"{name}-*.png"))


@pytest.fixture
def published():
    release = arrange_state(newsroom_release(), Release.Status.PUBLISHED, publish_at=PUBLISHED_AT)
    return release


def test_newsroom_release_renders_every_part_in_order(published):
    content = revision_content(published.live_revision)
    pdf = release_pdf_render(content=content, date=PUBLISHED_AT)
    pages = save_pages(pdf, "newsroom-release")
    assert len(pages) >= 2

    text = flat(text_of(pdf))
    expected = [content.title, "12 March 2026", flat(content.lede)]
    for response in content.responses:
        expected.append(f"Myth {response.number}: {response.claim_wording}")
        expected.extend(
            flat(p) for p in re.findall(r"<p>(.*?)</p>", response.body_html, flags=re.S)
        )
    positions = []
    for piece in expected:
        piece = re.sub(r"<[^>]+>", "", piece).replace("&#x27;", "'")
        assert piece in text, piece
        positions.append(text.index(piece))
    assert positions == sorted(positions)
