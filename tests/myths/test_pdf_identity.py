"""Issue 13, the PDF a press officer signs off, read back: letterhead, reference and dateline,
release line and banners in the release's language, corrections, verdict presentation, ENDS,
notes to editors, About, link notes, sure-only hyphenation, and how the last page fills."""

import datetime as dt
import io
import itertools
import re
import shutil
import subprocess
from xml.etree import ElementTree

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from contacts.models import PressContact, PressOffice
from myths.importing import release_import
from myths.models import Figure, Release, ReleaseNotice
from myths.pdf.render import (
    draft_mark,
    embargo_mark,
    release_pdf_render,
    revision_pdf_cached,
    revision_pdf_date,
    revision_pdf_mark,
)
from myths.pdf.typesetting import SOFT_HYPHEN, LinkNotes, hyphenate_html, sure_break_points
from myths.revisions import revision_content, revision_create
from tests.factories import arrange_state, newsroom_release, release_with_content
from tests.factories.content import imported_release_fixed
from tests.factories.images import photo_bytes, png_bytes
from tests.fixtures import RELEASE_FR, seed_path_or_skip
from tests.myths.test_pdf import PUBLISHED_AT, flat, save_pages, text_of

pytestmark = pytest.mark.django_db

HYPHENS = "-\u2010"
NOTES = (
    "The [alliance's factsheet on exercises](https://www.alliance.example/factsheets/"
    "exercises-and-deployments-2017.pdf) gives the figures for every year since 2014.\n\n"
    "Interviews can be requested from the spokesperson's office: "
    "[write to us](mailto:interviews.spokesperson@alliance.example)."
)
ABOUT = (
    "The Example Alliance is an invented intergovernmental organisation of thirty-two member "
    "countries. Its press office answers questions from journalists on working days."
)


@pytest.fixture
def office():
    office = PressOffice.objects.default()
    office.name = "Example Alliance Press Office"
    office.about = ABOUT
    office.dateline_place = "Brussels"
    office.time_zone = "Europe/Brussels"
    office.logo = ContentFile(png_bytes(120, 40, color=(20, 60, 140)), name="alliance.png")
    office.save()
    return office


def pdftotext(pdf: bytes, *options: str) -> str:
    command = shutil.which("pdftotext")
    assert command, "poppler-utils is needed to read the PDF back"
    return subprocess.run(
        [command, *options, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def joined(pdf: bytes) -> str:
    """The text with every line break removed: an address broken over two lines joins up
    again, and one hyphenated in the middle keeps its hyphen and no longer matches."""
    return re.sub(r"\s*\n\s*", "", pdftotext(pdf, "-raw"))


def seed_like_release(path, *, language_reference: str):
    """An imported release of the seed's shape, as an editor makes it publishable (the
    organisation named, placeholder links given an address, the photo added), with identity:
    reference, issued date, notes to editors, facts valid as of; published."""
    release = release_import(text_or_bytes=path.read_bytes(), author=None).release
    release.responses.update(verdict="false")
    imported_release_fixed(release, organisation="Example Alliance")
    Figure.objects.create(
        response=release.responses.order_by("position").first(),
        image=ContentFile(photo_bytes(), name="observers.jpg"),
        caption="Observers at an autumn exercise.",
        credit="Alliance photo service",
        alt_text="Observers on a ship's deck.",
    )
    PressContact.objects.filter(pk=release.contact_id).update(is_proposed=False)
    Release.objects.filter(pk=release.pk).update(
        reference=language_reference,
        issued_on=dt.date(2017, 3, 12),
        notes_to_editors=NOTES,
        valid_as_of=dt.date(2017, 3, 10),
    )
    release.refresh_from_db()
    return arrange_state(release, Release.Status.PUBLISHED, publish_at=PUBLISHED_AT)


def seed_file():
    return seed_path_or_skip()


# --- Reading the layout back: lines per page ---------------------------------------------------

# The running header and footer sit in the page margins (22 mm at the top, 24 mm at the foot).
TOP_MARGIN_PT, BOTTOM_MARGIN_PT = 22 / 25.4 * 72, 24 / 25.4 * 72


def body_lines(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Each page's lines of text inside the page's content area: (top, bottom, text). Words
    side by side on one line (a contact item's label and value) are one line."""
    xhtml = pdftotext(pdf, "-bbox-layout")
    xhtml = re.sub(r"<!DOCTYPE[^>]*>", "", xhtml).replace(
        'xmlns="http://www.w3.org/1999/xhtml"', ""
    )
    pages = []
    for page in ElementTree.fromstring(xhtml).iter("page"):  # noqa: S314 - our own file
        height = float(page.get("height"))
        lines = {}
        for line in page.iter("line"):
            top, bottom = float(line.get("yMin")), float(line.get("yMax"))
            if top >= TOP_MARGIN_PT - 2 and bottom <= height - BOTTOM_MARGIN_PT + 2:
                words = " ".join(word.text or "" for word in line.iter("word"))
                key = round(top)
                if key in lines:
                    words = f"{lines[key][2]} {words}"
                lines[key] = (top, max(bottom, lines.get(key, (0, 0))[1]), words)
        pages.append((height, sorted(lines.values())))
    return pages


def page_fill_problems(pdf: bytes, contact_heading: str) -> list[str]:
    """Issue 13's rule: no page holds fewer than 4 lines of text, and no page ends in blank
    space that the contact box, which starts the next page, could have moved up into."""
    problems = []
    pages = body_lines(pdf)
    for number, (_height, lines) in enumerate(pages, start=1):
        if len(pages) > 1 and len(lines) < 4:
            problems.append(f"page {number} holds {len(lines)} lines")
    heading = contact_heading.replace(" ", "").upper()
    for number, ((height, lines), (_h, following)) in enumerate(itertools.pairwise(pages), start=1):
        # The heading is letter-spaced: pdftotext reads "P R E S S CO N TAC T".
        starts_with_contact = following and heading in following[0][2].replace(" ", "").upper()
        free = height - BOTTOM_MARGIN_PT - (lines[-1][1] if lines else TOP_MARGIN_PT)
        # The box's heading, office line and one item take about 22 mm with its padding.
        if starts_with_contact and free > 25 / 25.4 * 72:
            problems.append(f"page {number} ends {free / 72 * 25.4:.0f} mm early")
    return problems


def hyphenations(pdf: bytes) -> list[tuple[str, str]]:
    """Every word the layout hyphenated: (the part before the break, the part after)."""
    text = pdftotext(pdf, "-raw")
    return re.findall(r"(\S*?)\u2010\n(\S+)", text)


# --- The seed and a French release of its shape -------------------------------------------------


@pytest.fixture
def seed_pdf(office):
    release = seed_like_release(seed_file(), language_reference="PR/2017/014")
    ReleaseNotice.objects.create(
        release=release,
        revision=release.live_revision,
        kind=ReleaseNotice.Kind.CORRECTION,
        note="The number of exercises observed in 2016 was corrected.",
        published_at=dt.datetime(2017, 3, 14, 10, 0, tzinfo=dt.UTC),
    )
    revision = release.live_revision
    # Dated as the views date it: the moment of issue (the back-dated 12 March 2017).
    pdf, _etag = revision_pdf_cached(
        revision=revision, date=revision_pdf_date(revision=revision), mark=None
    )
    return release, pdf


@pytest.fixture
def french_pdf(office):
    release = seed_like_release(RELEASE_FR, language_reference="PR/2017/015")
    revision = release.live_revision
    # Dated as the views date it: the moment of issue (the back-dated 12 March 2017).
    pdf, _etag = revision_pdf_cached(
        revision=revision, date=revision_pdf_date(revision=revision), mark=None
    )
    return release, pdf


def inline_links(release) -> list[str]:
    content = revision_content(release.live_revision)
    notes = LinkNotes()
    for response in content.responses:
        notes.annotate(response.body_html)
    return [note.address for note in notes.notes]


class TestSeed:
    def test_letterhead_reference_dateline_and_sections(self, seed_pdf):
        _release, pdf = seed_pdf
        pages = save_pages(pdf, "issue13-seed")
        text = flat(text_of(pdf))
        assert "Example Alliance Press Office" in text
        assert "Ref. PR/2017/014" in text
        assert "FOR IMMEDIATE RELEASE" in text
        assert "BRUSSELS, 12 March 2017 —" in text
        assert "Facts valid as of 10 March 2017" in text
        assert "Correction, 14 March 2017: The number of exercises observed in 2016" in text
        order = [
            "Ref. PR/2017/014",
            "Correction, 14 March 2017",
            "BRUSSELS, 12 March 2017 —",
            "Myth 1:",
            "Myth 5:",
            "ENDS",
            "NOTES TO EDITORS",
            "ABOUT EXAMPLE ALLIANCE PRESS OFFICE",
            "LINKS IN THIS RELEASE",
            "PRESS CONTACT",
        ]
        upper = text.upper()
        positions = [upper.index(piece.upper()) for piece in order]
        assert positions == sorted(positions), order
        assert flat(ABOUT) in text
        # The logo is drawn (with the photo: two images).
        reader = PdfReader(io.BytesIO(pdf))
        assert len(pages) == len(reader.pages)
        assert any("/XObject" in page["/Resources"] for page in reader.pages[:1])

    def test_link_notes_list_every_inline_address_unbroken(self, seed_pdf):
        release, pdf = seed_pdf
        addresses = [
            *inline_links(release),
            "https://www.alliance.example/factsheets/exercises-and-deployments-2017.pdf",
            "interviews.spokesperson@alliance.example",
        ]
        assert len(addresses) >= 3
        text = joined(pdf)
        notes = text[text.upper().index("LINKS IN THIS RELEASE") :]
        for number, address in enumerate(addresses, start=1):
            assert f"{number}{address}" in notes.replace(" ", ""), address
        # The superscript follows the link's text in the body.
        assert re.search(r"reaffirmed\s*1", flat(text_of(pdf)))

    def test_no_hyphen_inside_a_link_or_an_email(self, seed_pdf):
        release, pdf = seed_pdf
        text = joined(pdf)
        contact = release.contact
        factsheet = "https://www.alliance.example/factsheets/exercises-and-deployments-2017.pdf"
        for address in [*inline_links(release), contact.email, contact.website, factsheet]:
            assert address in text, address
        for before, after in hyphenations(pdf):
            assert not re.search(r"[@/]|\w[.:]\w", before + after), (before, after)

    def test_hyphenation_only_at_sure_points(self, seed_pdf):
        _release, pdf = seed_pdf
        found = hyphenations(pdf)
        for before, after in found:
            word = re.sub(r"\W", "", before) + re.sub(r"\W", "", after)
            assert len(word) >= 7 and not word.isupper(), (before, after)
            assert len(re.sub(r"\W", "", before)) >= 3 and len(re.sub(r"\W", "", after)) >= 3
            assert sure_break_points(word, "en"), word

    def test_pages_fill_as_the_rule_says(self, seed_pdf):
        _release, pdf = seed_pdf
        assert page_fill_problems(pdf, "PRESS CONTACT") == []

    def test_myth_and_fact_without_a_rating_label(self, seed_pdf):
        _release, pdf = seed_pdf
        text = flat(text_of(pdf))
        assert text.count("FACT") >= 5
        assert "Our assessment" not in text and "VERDICT" not in text.upper()


class TestFrench:
    def test_in_french_throughout(self, french_pdf):
        release, pdf = french_pdf
        save_pages(pdf, "issue13-french")
        text = flat(text_of(pdf))
        assert "Réf. PR/2017/015" in text
        assert "COMMUNIQUÉ POUR DIFFUSION IMMÉDIATE" in text
        assert "BRUSSELS, 12 mars 2017 —" in text
        assert "FIN" in text.split("Mythe 5")[-1] or "FIN" in text
        assert "NOTES AUX RÉDACTIONS" in text.upper()
        assert "Faits vérifiés au 10 mars 2017" in text
        assert page_fill_problems(pdf, "CONTACT PRESSE") == []
        for before, after in hyphenations(pdf):
            word = re.sub(r"\W", "", before) + re.sub(r"\W", "", after)
            assert sure_break_points(word, "fr"), word
        for address in inline_links(release):
            assert address in joined(pdf)


# --- Banners, release line, verdict presentation ------------------------------------------------


@pytest.mark.parametrize(
    ("language", "immediate", "draft", "embargo"),
    [
        ("fr", "COMMUNIQUÉ POUR DIFFUSION IMMÉDIATE", "BROUILLON", "SOUS EMBARGO JUSQU’AU"),
        ("ru", "ДЛЯ НЕМЕДЛЕННОГО РАСПРОСТРАНЕНИЯ", "ЧЕРНОВИК", "ЭМБАРГО ДО"),
    ],
)
def test_banners_in_the_releases_language(office, language, immediate, draft, embargo):
    release = arrange_state(newsroom_release(language=language), Release.Status.DRAFT)
    revision = release.revisions.get()
    content = revision_content(revision)
    pdf = release_pdf_render(content=content, mark=revision_pdf_mark(revision=revision))
    pages = [flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    for page in pages:
        assert draft in page
    assert immediate in pages[0]
    mark = embargo_mark(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC), language=language)
    assert mark.text.startswith(embargo) and mark.text == mark.text.upper()
    pdf = release_pdf_render(content=content, mark=mark)
    first = flat(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert first.startswith(mark.text) and immediate not in first


def test_banners_are_capitals_in_english_too():
    assert draft_mark().text == "DRAFT — NOT FOR PUBLICATION"
    when = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    assert embargo_mark(when).text == "EMBARGOED UNTIL 1 DECEMBER 2026, 09:00 CET"


def test_embargo_in_the_offices_time_zone(office):
    office.time_zone = "America/New_York"
    office.save()
    when = dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.UTC)
    release = arrange_state(release_with_content(), Release.Status.SCHEDULED, publish_at=when)
    mark = revision_pdf_mark(revision=release.scheduled_revision)
    assert mark.text == "EMBARGOED UNTIL 1 DECEMBER 2026, 09:00 EST"


def test_graded_verdict_is_a_calm_line(office):
    office.verdict_style = PressOffice.VerdictStyle.GRADED
    office.save()
    release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
    content = revision_content(release.live_revision)
    text = flat(text_of(release_pdf_render(content=content)))
    assert text.count("Our assessment: False") == len(content.responses)
    assert " FACT " not in f" {text} "


def test_a_later_correction_is_not_in_an_older_revisions_pdf(office):
    release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
    first = release.live_revision
    # The corrections helper's workflow publishes the next revision; its notice is the data.
    second = revision_create(release=release, author=None)
    ReleaseNotice.objects.create(
        release=release, revision=second, kind="correction", note="Figures fixed."
    )
    ReleaseNotice.objects.create(
        release=release, revision=second, kind="typography", note="Commas."
    )
    new, _etag = revision_pdf_cached(revision=second, date=None, mark=None)
    old, _etag = revision_pdf_cached(revision=first, date=None, mark=None)
    assert "Figures fixed." in text_of(new) and "Commas." not in text_of(new)
    assert "Figures fixed." not in text_of(old)


# --- The typesetting rules, unit by unit --------------------------------------------------------


class TestHyphenation:
    def test_never_short_words_names_in_capitals_or_compounds(self):
        assert sure_break_points("defence", "en") == [] or len("defence") >= 7
        for word in ["proper", "NATO", "ZAPAD", "McAllister", "Euro-Atlantic"]:
            assert SOFT_HYPHEN not in hyphenate_html(f"<p>{word}</p>", "en"), word

    def test_only_where_the_dictionaries_agree(self):
        # British patterns break "offens-ive", American ones "offen-sive": not sure, no break.
        assert sure_break_points("offensive", "en") == []
        assert sure_break_points("submission", "en") == [3, 6]
        # A run of one-letter syllables is the patterns guessing.
        assert sure_break_points("Zusammenarbeit", "de") == [5]

    def test_never_inside_links_addresses_or_code(self):
        html = (
            '<p><a href="https://x.example/submission">international submission</a> '
            "press.international@example.org https://x.example/submission "
            "<code>international</code> international</p>"
        )
        out = hyphenate_html(html, "en")
        assert out.count(SOFT_HYPHEN) == 2  # only the last word, at its two sure points
        assert out.endswith(f"inter{SOFT_HYPHEN}na{SOFT_HYPHEN}tional</p>")

    def test_a_language_without_a_dictionary_is_left_alone(self):
        assert hyphenate_html("<p>internationalisation</p>", "xx") == "<p>internationalisation</p>"


class TestLinkNotes:
    def test_numbers_links_whose_text_hides_the_address(self):
        notes = LinkNotes()
        html = notes.annotate(
            '<p><a href="https://a.example/x">here</a>, <a href="https://b.example/">'
            'b.example</a>, <a href="mailto:p@c.example">write</a>, '
            '<a href="https://a.example/x">again</a>, <a href="#top">top</a></p>'
        )
        assert [(n.number, n.address) for n in notes.notes] == [
            (1, "https://a.example/x"),
            (2, "p@c.example"),
        ]
        assert html.count('<sup class="link-note">1</sup>') == 2
        assert '<sup class="link-note">2</sup>' in html

    def test_addresses_break_only_after_a_slash_or_a_dot(self):
        note = LinkNotes()
        note.annotate('<a href="https://a.example/long-name/file.pdf">x</a>')
        html = note.notes[0].breakable_html
        assert html.count("<wbr>") == 5
        assert '<span class="nobr">long-name/</span>' in html


# --- The last page ------------------------------------------------------------------------------


@pytest.mark.parametrize("paragraphs", range(14, 26, 2))
def test_the_contact_box_moves_up_rather_than_leave_blank_space(office, paragraphs):
    """Releases whose text ends at different heights of a page: the rule holds for each."""
    release = release_with_content(responses=1, figures=0, sources=0)
    response = release.responses.get()
    response.body = "\n\n".join(
        f"Paragraph {n}: the inspection reports of the harbour are published every month, "
        "and the independent laboratory's measurements are attached to each of them."
        for n in range(1, paragraphs + 1)
    )
    response.save()
    release = arrange_state(release, Release.Status.PUBLISHED)
    pdf = release_pdf_render(content=revision_content(release.live_revision))
    assert page_fill_problems(pdf, "PRESS CONTACT") == [], paragraphs


@pytest.mark.parametrize("paragraphs", [43, 44, 45])
def test_a_short_contact_box_that_would_move_whole_moves_up(office, paragraphs):
    """One-line paragraphs end the text a line apart near the foot of page 2, where the
    contact box (heading, office, three items: it keeps together) does not quite fit: laid out
    once, it moves whole to page 3 and leaves page 2 with 29 to 45 mm of blank space; the
    renderer lays such a document out again, tighter, and the box fits on page 2."""
    release = release_with_content(responses=1, figures=0, sources=0)
    response = release.responses.get()
    response.body = "\n\n".join(
        f"Paragraph {n}: the inspection reports are published." for n in range(1, paragraphs + 1)
    )
    response.save()
    release = arrange_state(release, Release.Status.PUBLISHED)
    content = revision_content(release.live_revision)
    laid_out_once = release_pdf_render(content=content, refit=False)
    assert page_fill_problems(laid_out_once, "PRESS CONTACT"), "no longer a trap: adjust"
    pdf = release_pdf_render(content=content)
    assert page_fill_problems(pdf, "PRESS CONTACT") == []
    assert len(body_lines(pdf)) < len(body_lines(laid_out_once))
    # The same text: only the spacing changed.
    words = [
        [word for _height, lines in body_lines(p) for line in lines for word in line[2].split()]
        for p in (pdf, laid_out_once)
    ]
    assert words[0] == words[1]
