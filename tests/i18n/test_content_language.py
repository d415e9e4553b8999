"""A release speaks its own language around its text: page, claim page, register, PDF, e-mails
and feed, whatever the reader's language, while the site's chrome follows the reader."""

import io
import re
import shutil
import subprocess

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from core.typography import QUOTATION_MARKS, long_date
from myths.models import RegisterEntry
from tests.conftest import ARTIFACTS
from tests.i18n.releases import english_found, english_labels, french_release, russian_release

pytestmark = pytest.mark.django_db

PAGE_TEMPLATES = (
    "templates/myths/release_detail.html",
    "templates/myths/includes/verdict.html",
    "templates/contacts/contact_lines.html",  # the page's contact card includes it
)
PDF_TEMPLATES = ("templates/myths/pdf/release.html", "templates/myths/pdf/release.css")
CHROME_TEMPLATES = ("templates/base.html",)
ENGLISH_MONTHS = [
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
]


def text_of_html(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def part(html: str, tag: str) -> str:
    """The first <tag …>…</tag> of `html` (the article of a release or claim page)."""
    match = re.search(rf"<{tag}\b.*?</{tag}>", html, flags=re.S)
    assert match, f"no <{tag}> in the page"
    return match.group(0)


def content_of(html: str) -> str:
    """The article without its breadcrumbs: navigation, in the reader's language (checked)."""
    article = part(html, "article")
    breadcrumbs = part(article, "nav")
    assert 'class="breadcrumbs"' in breadcrumbs
    return article.replace(breadcrumbs, "")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def russian():
    return russian_release()


@pytest.fixture
def french():
    return french_release()


class TestReleasePage:
    @pytest.mark.parametrize("language", ["ru", "fr"])
    def test_the_release_speaks_its_language_to_an_english_reader(self, client, language):
        release = russian_release() if language == "ru" else french_release()
        assert release.language == language
        html = client.get(release.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text
        article = part(html, "article")
        assert f'<html lang="{language}">' in html
        assert f'<article class="release" aria-labelledby="release-title" lang="{language}">' in (
            article
        )
        assert '<nav class="breadcrumbs" aria-label="Breadcrumb" lang="en">' in article
        text = text_of_html(content_of(html))
        assert english_found(text, english_labels(language, PAGE_TEMPLATES)) == []
        assert not any(re.search(rf"\b{month}\b", text) for month in ENGLISH_MONTHS)
        with translation.override(language):
            assert long_date(release.first_published_at) in text
        # The chrome stays in the reader's language, and says so.
        assert '<header class="masthead" lang="en">' in html
        assert ">Myth register</a>" in html

    def test_a_russian_reader_meets_no_english_on_a_russian_release(self, client, russian):
        # A Russian reader reads the Russian chrome, at the /ru/ address (issue 11).
        html = client.get(f"/ru{russian.get_absolute_url()}").text
        labels = english_labels("ru", PAGE_TEMPLATES + CHROME_TEMPLATES)
        assert english_found(text_of_html(part(html, "body")), labels) == []
        # The default office pairs "Myth" and "Fact" (PressOffice.verdict_style).
        assert "Миф 1" in html and "Факт" in html and "Скачать PDF" in html
        assert "Контакт для прессы" in html and "Этот миф в реестре" in html

    def test_the_labels_it_looks_for_are_the_ones_the_issue_names(self):
        labels = english_labels("ru", PAGE_TEMPLATES)
        for label in ("Myth", "Verdict", "Press contact", "Download PDF", "Telephone"):
            assert label in labels
        assert english_found("Скачать PDF · Myth 3", labels) == ["Myth"]

    def test_a_bodys_straight_quotes_become_the_languages_marks(self, russian, french):
        russian.responses.update(body='Говорят, что "каналы осушат".')
        response = russian.responses.first()
        response.save()
        assert "«каналы осушат»" in response.body_html
        response = french.responses.first()
        response.body = 'On dit que "les canaux seront vidés".'
        response.save()
        assert "«&nbsp;les canaux seront vidés&nbsp;»" in response.body_html


@pytest.mark.postgres  # the register is filled from the language in the revision's JSON
class TestClaimPageAndRegister:
    def test_a_russian_claim_page_is_russian(self, client, russian):
        claim = RegisterEntry.objects.current().get(revision__release=russian, answer__position=1)
        assert claim.language == "ru"
        html = client.get(claim.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text
        assert '<html lang="ru">' in html
        assert f"«{claim.wording}»" in html  # the description quotes it the Russian way
        article = text_of_html(content_of(html))
        assert (
            "Наш последний ответ" in article and "Пресс-релизы, ответившие на этот миф" in article
        )
        labels = english_labels("ru", ("templates/myths/claim_detail.html",))
        assert english_found(article, labels) == []

    def test_register_entries_speak_their_own_language(self, client, russian, french):
        html = client.get(reverse("myths:claim-list"), HTTP_ACCEPT_LANGUAGE="en").text
        assert html.count('<li class="register-item" lang="ru">') == 3
        assert html.count('<li class="register-item" lang="fr">') == 5
        assert "Ответ дан в 1 пресс-релизе" in html
        assert "Traité dans 1 communiqué" in html
        assert "Myth register</h1>" in html  # the page itself follows the reader


class TestPdf:
    @pytest.mark.parametrize("language", ["ru", "fr"])
    def test_the_pdf_speaks_the_releases_language(self, client, language):
        release = russian_release() if language == "ru" else french_release()
        response = client.get(
            reverse("myths:release-pdf", kwargs={"slug": release.slug}), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        pdf = b"".join(response.streaming_content) if response.streaming else response.content
        text = pdf_text(pdf)
        assert english_found(text, english_labels(language, PDF_TEMPLATES)) == []
        assert not any(re.search(rf"\b{month}\b", text, re.I) for month in ENGLISH_MONTHS)
        # The default office pairs each myth with a "Fact" heading, set in capitals.
        expected = {"ru": ("Миф 1:", "ФАКТ"), "fr": ("Mythe 1\u00a0:", "FAIT")}[language]
        for label in expected:
            assert label in text
        if language == "ru":
            save_first_page(pdf, "russian-release")

    def test_a_corrected_translation_is_a_new_pdf(self, russian, settings, tmp_path):
        from myths.pdf.render import revision_pdf_cache_key, revision_pdf_letterhead

        revision = russian.live_revision
        letterhead = revision_pdf_letterhead(revision=revision)
        key = {"date": None, "mark": None, "letterhead": letterhead}
        before = revision_pdf_cache_key(revision=revision, **key)
        catalogue = tmp_path / "ru" / "LC_MESSAGES" / "django.mo"
        catalogue.parent.mkdir(parents=True)
        catalogue.write_bytes(b"another catalogue")
        settings.LOCALE_PATHS = [tmp_path]
        assert revision_pdf_cache_key(revision=revision, **key) != before

    def test_draft_and_embargo_marks_in_the_releases_language(self, russian):
        from myths.pdf.render import draft_mark, embargo_mark

        assert draft_mark(language="ru").text == "ЧЕРНОВИК — НЕ ДЛЯ ПУБЛИКАЦИИ"
        when = russian.first_published_at
        assert embargo_mark(when, language="ru").text.startswith("ЭМБАРГО ДО ")
        assert embargo_mark(when, language="fr").text.startswith("SOUS EMBARGO JUSQU’AU ")
        assert embargo_mark(when).text.startswith("EMBARGOED UNTIL ")


def save_first_page(pdf: bytes, name: str) -> None:
    """artifacts/i18n/<name>.pdf and its first page at 60 dpi, to look at."""
    folder = ARTIFACTS / "i18n"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.pdf").write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is needed to look at the PDF"
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(folder / f"{name}.pdf"),
            str(folder / name),
        ],
        check=True,
    )


class TestQuotationMarks:
    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("en", "“mot”"),
            ("fr", "«\u00a0mot\u00a0»"),
            ("ru", "«mot»"),
            ("es", "«mot»"),
            ("de", "„mot“"),
            ("uk", "„mot“"),
        ],
    )
    def test_each_language_quotes_its_own_way(self, language, expected):
        from myths.templatetags.public_tags import quoted

        assert quoted("mot", language) == expected
        with translation.override(language):
            assert quoted("mot") == expected
        assert QUOTATION_MARKS[language][0] in expected


class TestEmailAndFeed:
    def test_workflow_emails_about_a_russian_release_are_russian(
        self, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            release = russian_release()  # submitted, approved, published: the author hears
        assert mail.outbox, "the workflow sent no e-mail"
        for message in mail.outbox:
            assert message.subject.startswith("[Pressdesk]")
            assert "«Пять мифов о каналах Нортмира»" in message.subject + message.body
        published = [m for m in mail.outbox if "опубликован" in m.subject]
        assert published, [m.subject for m in mail.outbox]
        assert release.title in published[0].subject

    def test_feed_entries_carry_their_language(self, client, russian, french):
        xml = client.get(reverse("myths:feed-atom"), HTTP_ACCEPT_LANGUAGE="en").text
        assert "Пять мифов о каналах Нортмира" in xml
