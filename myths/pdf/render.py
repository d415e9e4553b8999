"""The press-release PDF: a typeset, tagged, bookmarked A4 document of one revision.

Rendering always starts from a `ReleaseContent` (a revision's snapshot), never the working copy.
The template is `templates/myths/pdf/release.html` (+ `release.css`, inlined). WeasyPrint itself
runs in a child process (myths/pdf/worker.py) with a fetcher that reads nothing but the release's
own figures and `data:` URLs, a page limit and a time limit; any failure is a PdfRenderError.
A document whose estimated length is over the page limit is refused before layout, and a
revision whose render failed is remembered (PdfRenderFailure), so the public does not make the
server lay it out again on every request.

The public PDF of a release is made ahead of its readers (myths/pdf/tasks.py) and kept in the
default storage under `pdfs/<revision>-<fingerprint>.pdf` (PublicPdf): the fingerprint changes
whenever anything printed could, so a new publication, a changed translation link or a new
template is a new file, and a public request only ever reads a file.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, time
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.template.loader import get_template, render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, gettext_noop

from contacts.models import PressOffice
from core.cache import cache_delete, cache_get, cache_set
from core.site import absolute_url
from core.typography import LONG_DATE_FORMATS

from ..markdown import render_markdown
from ..models import PdfRenderFailure, Release, ReleaseNotice, Revision
from ..revisions import FigureContent, ReleaseContent, ResponseContent, revision_content
from ..templatetags.public_tags import more_info_sentence
from .typesetting import LinkNotes, breakable_address, hyphenate_html
from .worker import MEDIA_SCHEME, PdfWorkerError, html_to_pdf, run_isolated

logger = logging.getLogger(__name__)

TEMPLATE_NAME = "myths/pdf/release.html"
STYLESHEET_NAME = "myths/pdf/release.css"
# Added for a second layout when the first breaks the last-page rule (myths/pdf/pagefill.py).
REFIT_STYLESHEET_NAME = "myths/pdf/refit.css"
# Bump when the rendering changes in a way the template files do not show (e.g. options below).
RENDERER_VERSION = "1"
PDF_VARIANT = "pdf/ua-1"
# What relative URLs in the document resolve against: a file: URL, which the fetcher refuses, so
# a relative link or image reaches nothing.
BASE_URL = "file:///pressdesk-pdf/"

# The English texts; a PDF prints them in its release's language, in capitals.
DRAFT_MARK_TEXT = gettext_noop("DRAFT — NOT FOR PUBLICATION")
IMMEDIATE_RELEASE_TEXT = gettext_noop("FOR IMMEDIATE RELEASE")


class PdfRenderError(ValidationError):
    """The PDF could not be made (time limit, page limit, renderer failure). Views answer 503."""


@dataclass(frozen=True)
class PdfMark:
    """A line printed at the top of every page of a PDF that is not the published release."""

    kind: str  # "draft" or "embargo": a CSS class, not a state
    text: str


@dataclass(frozen=True)
class PdfTranslation:
    """Another published language of the release, printed as a link under its text."""

    language: str
    title: str
    url: str  # absolute: a PDF is read away from the site


@dataclass(frozen=True)
class PdfFigure:
    figure: FigureContent
    src: str


@dataclass(frozen=True)
class PdfResponse:
    response: ResponseContent
    figures: list[PdfFigure]
    first_note: int
    body_html: str  # the response's, with link notes and sure hyphenation points


def _language_of(revision: Revision) -> str:
    return (revision.content or {}).get("language") or settings.LANGUAGE_CODE


def embargo_mark(publish_at: datetime, *, language: str = "en", time_zone: str = "") -> PdfMark:
    """'EMBARGOED UNTIL 1 DECEMBER 2026, 09:00 CET', in `time_zone` (the office's; the site's by
    default) and `language`, in capitals as a banner is."""
    local = timezone.localtime(publish_at, ZoneInfo(time_zone or settings.TIME_ZONE))
    with translation.override(language):
        date_format = LONG_DATE_FORMATS.get(language, LONG_DATE_FORMATS["en"])
        when = dateformat.format(local, f"{date_format}, H:i T")
        text = gettext("EMBARGOED UNTIL %(when)s") % {"when": when}
        return PdfMark(kind="embargo", text=text.upper())


def draft_mark(*, language: str = "en") -> PdfMark:
    """The mark of a PDF that is not (yet, or any more) the published release, in `language`."""
    with translation.override(language):
        return PdfMark(kind="draft", text=gettext(DRAFT_MARK_TEXT).upper())


def revision_pdf_mark(*, revision: Revision) -> PdfMark | None:
    """The mark a staff PDF of `revision` carries, from its release's state *now*.

    None only for the revision the public sees at this moment; the scheduled revision of a
    scheduled release (not yet due) carries the embargo; anything else, including older revisions
    of a published release, is a draft.
    """
    release = revision.release
    public_revision_id = (
        Release.objects.published()
        .filter(pk=release.pk)
        .values_list("public_revision_id", flat=True)
        .first()
    )
    if public_revision_id == revision.pk:
        return None
    if (
        release.status == Release.Status.SCHEDULED
        and release.scheduled_revision_id == revision.pk
        and release.publish_at
    ):
        return embargo_mark(
            release.publish_at,
            language=_language_of(revision),
            time_zone=release.office.time_zone if release.office else "",
        )
    return draft_mark(language=_language_of(revision))


def revision_pdf_date(*, revision: Revision) -> datetime:
    """The date on the dateline: the moment of issue (issue 13: a back-dated release's original
    date), else first publication, else the planned time, else the save."""
    release = revision.release
    if release.issued_at is None and release.issued_on is not None:
        # Dated (an imported dateline, a back-dating) before it went public: that day, at noon.
        return datetime.combine(release.issued_on, time(12), tzinfo=release.time_zone)
    return (
        release.issued_at or release.first_published_at or release.publish_at or revision.created_at
    )


def _figure_src(figure: FigureContent) -> str:
    return f"{MEDIA_SCHEME}:{quote(figure.image)}" if figure.image else ""


def _figure_files(names: list[str]) -> dict[str, bytes]:
    """The release's figures, read through the storage (local disk or object storage).

    A name the storage refuses (a tampered "../../etc/passwd") or cannot read is left out: the
    document then shows no image there, as for any refused resource.
    """
    files = {}
    for name in names:
        try:
            with default_storage.open(name, "rb") as stored:
                files[name] = stored.read()
        except Exception:
            logger.warning("PDF figure %r could not be read", name, exc_info=True)
    return files


def _keywords(content: ReleaseContent) -> list[str]:
    names: list[str] = []
    for response in content.responses:
        for _slug, name in response.topics:
            if name not in names:
                names.append(name)
    return names


@dataclass(frozen=True)
class PdfNotice:
    """A public correction or clarification published with this revision or an earlier one."""

    kind: str  # ReleaseNotice.Kind
    note: str
    published_on: Date  # in the office's time zone

    @property
    def label(self) -> str:
        return ReleaseNotice.Kind(self.kind).label


@dataclass(frozen=True)
class PdfLetterhead:
    """What the office and the release's identity print beside a revision's text: letterhead,
    logo, boilerplate, reference, and the public notices up to that revision.

    The office's own fields are its letterhead as it is now (like the site's name); the release's
    words, dateline and notes to editors come from the revision (ReleaseContent).
    """

    office_name: str = ""
    logo: str = ""  # storage name, read through the storage like the figures
    about: str = ""
    dateline_place: str = ""
    time_zone: str = ""
    verdict_style: str = PressOffice.VerdictStyle.MYTH_FACT
    reference: str = ""
    notices: tuple[PdfNotice, ...] = ()

    @classmethod
    def of(cls, release: Release, notices: Iterable[ReleaseNotice] = ()) -> PdfLetterhead:
        """`release`'s (office loaded) with `notices`, the public ones kept, oldest first."""
        office = release.office
        zone = ZoneInfo(office.time_zone if office else settings.TIME_ZONE)
        public = sorted(
            (notice for notice in notices if notice.is_public),
            key=lambda notice: (notice.published_at, notice.pk),
        )
        return cls(
            office_name=office.name if office else "",
            logo=office.logo.name if office and office.logo else "",
            about=office.about if office else "",
            dateline_place=office.dateline_place if office else "",
            time_zone=zone.key,
            verdict_style=office.verdict_style if office else cls.verdict_style,
            reference=release.reference,
            notices=tuple(
                PdfNotice(
                    kind=notice.kind,
                    note=notice.note,
                    published_on=timezone.localtime(notice.published_at, zone).date(),
                )
                for notice in public
            ),
        )

    def to_key(self) -> dict:
        """Everything printed, for the file's fingerprint (a new logo is a new storage name)."""
        return {
            **{name: getattr(self, name) for name in ("office_name", "logo", "about")},
            **{name: getattr(self, name) for name in ("dateline_place", "time_zone")},
            "verdict_style": self.verdict_style,
            "reference": self.reference,
            "notices": [[n.kind, n.note, n.published_on.isoformat()] for n in self.notices],
        }


def revision_pdf_letterhead(*, revision: Revision) -> PdfLetterhead:
    """The letterhead of `revision`'s PDF: its release's office and reference, and the public
    notices published with it or an earlier revision (a later correction is not in an older
    revision's PDF). Two queries."""
    release = Release.objects.select_related("office").get(pk=revision.release_id)
    notices = ReleaseNotice.objects.filter(
        release_id=release.pk, revision__number__lte=revision.number
    )
    return PdfLetterhead.of(release, notices)


def content_pdf_letterhead(content: ReleaseContent) -> PdfLetterhead:
    """The letterhead of `content` without notices (no revision to date them by): its release's
    office, else the default office."""
    release = (
        Release.objects.select_related("office").filter(pk=content.release_id).first()
        if content.release_id
        else None
    )
    if release is None:
        release = Release(office=PressOffice.objects.default())
    return PdfLetterhead.of(release)


def pdf_dateline(
    *, content: ReleaseContent, letterhead: PdfLetterhead, date: datetime | None
) -> tuple[str, Date | None]:
    """The dateline's place in capitals (the release's, else its office's) and its day: `date`
    (revision_pdf_date: the moment of issue, which a back-dated release carries) in the office's
    time zone."""
    place = (content.dateline_place or letterhead.dateline_place).strip().upper()
    day = None
    if date is not None:
        day = timezone.localtime(date, ZoneInfo(letterhead.time_zone or settings.TIME_ZONE))
        day = day.date()
    return place, day


def release_pdf_html(
    *,
    content: ReleaseContent,
    date: datetime | None = None,
    mark: PdfMark | None = None,
    translations: tuple[PdfTranslation, ...] = (),
    letterhead: PdfLetterhead | None = None,
) -> tuple[str, list[str]]:
    """The document's HTML and the storage names of the files it may read (its own figures and
    its office's logo)."""
    if letterhead is None:
        letterhead = content_pdf_letterhead(content)
    language = content.language or settings.LANGUAGE_CODE
    links = LinkNotes()
    responses, allowed, note = [], [], 1
    for response in content.responses:
        figures = []
        for figure in response.figures:
            src = _figure_src(figure)
            if src:
                figures.append(PdfFigure(figure=figure, src=src))
                allowed.append(figure.image)
        body = hyphenate_html(links.annotate(response.body_html), language)
        responses.append(
            PdfResponse(response=response, figures=figures, first_note=note, body_html=body)
        )
        note += len(response.sources)
    notes_to_editors = ""
    if content.notes_to_editors:
        notes_html = render_markdown(content.notes_to_editors, language)
        notes_to_editors = hyphenate_html(links.annotate(notes_html), language)
    logo = ""
    if letterhead.logo:
        logo = f"{MEDIA_SCHEME}:{quote(letterhead.logo)}"
        allowed.append(letterhead.logo)
    contact = content.contact
    author = letterhead.office_name or (
        ", ".join(p for p in (contact.organisation, contact.office_line) if p)
        if contact
        else settings.PRESSDESK_SITE_NAME
    )
    place, day = pdf_dateline(content=content, letterhead=letterhead, date=date)
    more_info = ""
    if content.more_info_url:
        url = content.more_info_url
        more_info = more_info_sentence(content.more_info_label, url, "url").replace(
            f">{escape(url)}</a>", f">{breakable_address(url)}</a>"
        )
    with translation.override(language):
        html = render_to_string(
            TEMPLATE_NAME,
            {
                "content": content,
                "lede": hyphenate_html(escape(content.lede), language),
                "responses": responses,
                "author": author,
                "keywords": ", ".join(_keywords(content)),
                "place": place,
                "day": day,
                "mark": mark,
                "release_line": (
                    "" if mark and mark.kind == "embargo" else gettext(IMMEDIATE_RELEASE_TEXT)
                ).upper(),
                "letterhead": letterhead,
                "logo": logo,
                "about": hyphenate_html(escape(letterhead.about), language),
                "myth_fact": letterhead.verdict_style == PressOffice.VerdictStyle.MYTH_FACT,
                "notes_to_editors": notes_to_editors,
                "link_notes": links.notes,
                "more_info": more_info,
                "site_name": settings.PRESSDESK_SITE_NAME,
                "translations": translations,
            },
        )
    return html, allowed


# How much of an A4 page of the template each part of a release takes at least (measured on the
# template: about 4,500 characters of running text, 60 short paragraphs or list items, 10
# response headings, 4 figures or 15 source notes fill a page). The estimate stays below the
# real length, so it refuses only what layout would refuse too; the check after layout remains.
PAGE_SHARE = {"characters": 4500, "blocks": 60, "responses": 10, "figures": 4, "sources": 15}
BLOCK_TAGS = ("<p", "<li", "<tr", "<h", "<blockquote", "<pre")


def release_pdf_estimated_pages(content: ReleaseContent) -> int:
    """A low estimate of the PDF's page count from the content alone, without any layout."""
    counts = dict.fromkeys(PAGE_SHARE, 0)
    counts["characters"] = len(content.title) + len(content.lede)
    for response in content.responses:
        html = response.body_html
        counts["characters"] += len(response.claim_wording) + len(response.body_text)
        counts["blocks"] += sum(html.count(tag) for tag in BLOCK_TAGS)
        counts["responses"] += 1
        counts["figures"] += len(response.figures)
        counts["sources"] += len(response.sources)
    return 1 + int(sum(counts[part] / share for part, share in PAGE_SHARE.items()))


def _check_size(content: ReleaseContent, html: str) -> None:
    if len(html.encode()) > settings.PRESSDESK_PDF_MAX_HTML_BYTES:
        raise PdfRenderError(
            "This release is too large to be made into a PDF.", code="pdf_too_large"
        )
    estimate, limit = release_pdf_estimated_pages(content), settings.PRESSDESK_PDF_MAX_PAGES
    if estimate > limit:
        raise PdfRenderError(
            "The PDF could not be made: the document would have about %(estimate)s pages, "
            "more than the limit of %(limit)s.",
            code="pdf_too_large",
            params={"estimate": estimate, "limit": limit},
        )


def release_pdf_render(
    *,
    content: ReleaseContent,
    date: datetime | None = None,
    mark: PdfMark | None = None,
    timeout: float | None = None,
    translations: tuple[PdfTranslation, ...] = (),
    letterhead: PdfLetterhead | None = None,
    refit: bool = True,
) -> bytes:
    """Render `content` to PDF bytes in a child process, within the time and page limits.

    With `refit` (always, but in the test that shows why it is there), a layout that breaks the
    last-page rule is laid out again with tighter spacing (myths/pdf/worker.py).

    Raises PdfRenderError (code "pdf_too_large", "pdf_failed") with a message fit for a person;
    a document too large by its HTML or its estimated page count never reaches WeasyPrint.
    """
    html, allowed = release_pdf_html(
        content=content, date=date, mark=mark, translations=translations, letterhead=letterhead
    )
    _check_size(content, html)
    budget = timeout or settings.PRESSDESK_PDF_TIMEOUT
    try:
        return run_isolated(
            html_to_pdf,
            html,
            base_url=BASE_URL,
            files=_figure_files(allowed),
            max_pages=settings.PRESSDESK_PDF_MAX_PAGES,
            pdf_variant=PDF_VARIANT,
            refit_css=render_to_string(REFIT_STYLESHEET_NAME) if refit else "",
            time_budget=budget,
            timeout=budget,
        )
    except PdfWorkerError as exc:
        raise PdfRenderError(
            "The PDF could not be made: %(reason)s",
            code="pdf_failed",
            params={"reason": str(exc)},
        ) from exc


def _template_version() -> str:
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for name in (TEMPLATE_NAME, STYLESHEET_NAME, REFIT_STYLESHEET_NAME):
        digest.update(Path(get_template(name).origin.name).read_bytes())
    # The labels around the text come from the compiled catalogues: a corrected translation
    # must not wait for the cache to expire.
    for folder in settings.LOCALE_PATHS:
        for catalogue in sorted(Path(folder).glob("*/LC_MESSAGES/django.mo")):
            digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:16]


def revision_pdf_cache_key(
    *,
    revision: Revision,
    date: datetime | None,
    mark: PdfMark | None,
    translations: tuple[PdfTranslation, ...] = (),
    letterhead: PdfLetterhead,
) -> str:
    """A key that changes whenever anything printed could: snapshot, date, mark, the other
    languages linked, the letterhead (office, reference, notices), template."""
    payload = json.dumps(
        {
            "content": revision.content,
            "date": date.isoformat() if date else None,
            "mark": [mark.kind, mark.text] if mark else None,
            "translations": [[t.language, t.title, t.url] for t in translations],
            "letterhead": letterhead.to_key(),
            "template": _template_version(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def failure_fingerprint() -> str:
    """The template and the limits a failure happened under: a change to either retries."""
    limits = (
        settings.PRESSDESK_PDF_MAX_PAGES,
        settings.PRESSDESK_PDF_MAX_HTML_BYTES,
        settings.PRESSDESK_PDF_TIMEOUT,
    )
    return hashlib.sha256(f"{_template_version()}:{limits}".encode()).hexdigest()[:16]


def _failure_cache_key(revision: Revision, fingerprint: str) -> str:
    return f"pressdesk:pdf-failed:{revision.pk}:{fingerprint}"


def revision_pdf_failure(*, revision: Revision) -> str | None:
    """Why the PDF of `revision` could not be made last time, or None if it has not failed.

    Read from the cache, else from the database (which outlives a cache flush or restart).
    """
    fingerprint = failure_fingerprint()
    key = _failure_cache_key(revision, fingerprint)
    message = cache_get(key)
    if message is None:
        message = (
            PdfRenderFailure.objects.filter(revision=revision, fingerprint=fingerprint)
            .values_list("message", flat=True)
            .first()
        )
        if message is not None:
            cache_set(key, message, settings.PRESSDESK_PDF_CACHE_SECONDS)
    return message


def _failure_record(revision: Revision, error: PdfRenderError | None) -> None:
    """Remember `error` for `revision` (or, with None, forget a failure after a success)."""
    fingerprint = failure_fingerprint()
    key = _failure_cache_key(revision, fingerprint)
    if error is None:
        cache_delete(key)
        PdfRenderFailure.objects.filter(revision=revision, fingerprint=fingerprint).delete()
        return
    message = " ".join(error.messages)
    PdfRenderFailure.objects.update_or_create(
        revision=revision,
        fingerprint=fingerprint,
        defaults={"message": message, "failed_at": timezone.now()},
    )
    cache_set(key, message, settings.PRESSDESK_PDF_CACHE_SECONDS)


def revision_pdf_cached(
    *,
    revision: Revision,
    date: datetime | None,
    mark: PdfMark | None,
    translations: tuple[PdfTranslation, ...] = (),
    retry: bool = False,
) -> tuple[bytes, str]:
    """The PDF of `revision` and its ETag, rendered once per content and kept in the cache.

    A revision's snapshot never changes, so the key only needs the things printed beside it.
    A render that failed is remembered per revision: later calls raise the same PdfRenderError
    without rendering, unless `retry` (staff asking again); a successful retry forgets it.
    """
    letterhead = revision_pdf_letterhead(revision=revision)
    key = revision_pdf_cache_key(
        revision=revision, date=date, mark=mark, translations=translations, letterhead=letterhead
    )
    cache_key = f"pressdesk:pdf:{key}"
    pdf = cache_get(cache_key)  # a failing cache renders instead (core/cache.py)
    if pdf is None:
        pdf = _render_remembering_failure(
            revision,
            date=date,
            mark=mark,
            translations=translations,
            letterhead=letterhead,
            retry=retry,
        )
        cache_set(cache_key, pdf, settings.PRESSDESK_PDF_CACHE_SECONDS)
    return pdf, f'"{key[:32]}"'


def _render_remembering_failure(
    revision: Revision,
    *,
    date: datetime | None,
    mark: PdfMark | None,
    translations: tuple[PdfTranslation, ...],
    letterhead: PdfLetterhead,
    retry: bool,
) -> bytes:
    """Render `revision`, unless it failed before and this is no `retry`; a failure is recorded
    (the next request answers at once) and a successful retry forgets the old one."""
    failure = None if retry else revision_pdf_failure(revision=revision)
    if failure is not None:
        raise PdfRenderError(failure, code="pdf_failed_before")
    try:
        pdf = release_pdf_render(
            content=revision_content(revision),
            date=date,
            mark=mark,
            translations=translations,
            letterhead=letterhead,
        )
    except PdfRenderError as error:
        _failure_record(revision, error)
        raise
    if retry:
        _failure_record(revision, None)
    return pdf


@dataclass(frozen=True)
class PublicPdf:
    """What the public PDF of a published release prints beside its revision, and where it is kept.

    `translations` are the release's other published languages, as of now; together with the
    revision, the date and the template they make the fingerprint, so the file's name changes
    whenever anything printed could.
    """

    revision: Revision
    date: datetime | None
    translations: tuple[PdfTranslation, ...]
    slug: str
    letterhead: PdfLetterhead

    @property
    def key(self) -> str:
        return revision_pdf_cache_key(
            revision=self.revision,
            date=self.date,
            mark=None,
            translations=self.translations,
            letterhead=self.letterhead,
        )

    def name_and_etag(self) -> tuple[str, str]:
        """The storage name, `pdfs/<revision>-<fingerprint>.pdf`, and the ETag it is served with."""
        key = self.key[:32]
        return f"pdfs/{self.revision.pk}-{key}.pdf", f'"{key}"'


def public_pdf_stored(*, public_pdf: PublicPdf, retry: bool = False) -> bool:
    """Render `public_pdf` and keep it in the default storage, unless it is there already.

    Returns whether it rendered (False: the file was there). Raises PdfRenderError as
    revision_pdf_cached() does, including a remembered failure ("pdf_failed_before") unless
    `retry`. Rendering twice (two workers on the
    same job) writes the same bytes under the same name, so the race is harmless.
    """
    name, _etag = public_pdf.name_and_etag()
    if default_storage.exists(name):
        return False
    pdf = _render_remembering_failure(
        public_pdf.revision,
        date=public_pdf.date,
        mark=None,
        translations=public_pdf.translations,
        letterhead=public_pdf.letterhead,
        retry=retry,
    )
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(pdf))
    return True


def release_public_pdfs(slug: str) -> dict[str, PublicPdf]:
    """The public PDF of the published release at `slug` and of each of its other published
    languages (each prints links to the others), keyed by slug; empty if none is published.

    Three queries whatever the number of languages.
    """
    versions = list(
        Release.objects.published()
        .with_public_text()
        .language_versions(slug)
        .select_related("office")
    )
    revisions = Revision.objects.in_bulk([version.public_revision_id for version in versions])
    notices = {}
    public_notices = ReleaseNotice.objects.filter(release__in=versions).exclude(
        kind=ReleaseNotice.Kind.TYPOGRAPHY
    )
    for notice in public_notices.annotate(revision_number=F("revision__number")):
        notices.setdefault(notice.release_id, []).append(notice)
    versions.sort(key=lambda version: (version.public_language or "", version.pk))
    pdfs = {}
    for version in versions:
        pdfs[version.slug] = PublicPdf(
            revision=revisions[version.public_revision_id],
            date=version.public_date,
            translations=tuple(
                PdfTranslation(
                    language=other.public_language,
                    title=other.public_title,
                    url=absolute_url(other.get_absolute_url()),
                )
                for other in versions
                if other is not version
            ),
            slug=version.slug,
            letterhead=PdfLetterhead.of(
                version,
                [
                    notice
                    for notice in notices.get(version.pk, ())
                    if notice.revision_number <= revisions[version.public_revision_id].number
                ],
            ),
        )
    return pdfs
