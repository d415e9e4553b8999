"""The revision snapshot as typed, read-only content: the one place that writes and parses it.

`ReleaseContent.from_release()` reads the working copy, `to_snapshot()` gives the JSON a revision
stores, and `from_snapshot()` reads it back; every other module takes a `ReleaseContent`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from django.utils.html import strip_tags

from ..markdown import render_markdown
from ..models import Release, Response
from ..thumbnails import thumbnail_url


def media_url(name: str) -> str:
    """The address of a stored file on this site: MEDIA_URL + name, served by the media view
    (myths/public/media.py), which decides who may read it. Never the storage's own URL: an
    object store's signed URL expires while pages that show it are cached, and bypasses the view.
    """
    return urljoin(settings.MEDIA_URL, filepath_to_uri(name))


# The shape of `Revision.content`. Raise it only with a parser that still reads every older shape:
# revisions are kept for ever, and their snapshots are never rewritten.
SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class FigureContent:
    image: str
    caption: str
    credit: str
    alt_text: str
    width: int | None = None
    height: int | None = None

    @property
    def url(self) -> str:
        return media_url(self.image) if self.image else ""

    @property
    def thumbnail_url(self) -> str:
        """A small WebP of the image, made once (myths/thumbnails.py), for the compare view."""
        return thumbnail_url(self.image)

    @classmethod
    def from_figure(cls, figure) -> FigureContent:
        return cls(
            image=figure.image.name,
            caption=figure.caption,
            credit=figure.credit,
            alt_text=figure.alt_text,
            width=figure.width,
            height=figure.height,
        )

    @classmethod
    def from_snapshot(cls, data: dict) -> FigureContent:
        return cls(
            image=data["image"],
            caption=data.get("caption", ""),
            credit=data.get("credit", ""),
            alt_text=data.get("alt_text", ""),
            width=data.get("width"),
            height=data.get("height"),
        )

    def to_snapshot(self) -> dict:
        return {
            "image": self.image,
            "width": self.width,
            "height": self.height,
            "caption": self.caption,
            "credit": self.credit,
            "alt_text": self.alt_text,
        }


@dataclass(frozen=True)
class SourceContent:
    url: str
    title: str
    publisher: str

    @classmethod
    def from_source(cls, source) -> SourceContent:
        return cls(url=source.url, title=source.title, publisher=source.publisher)

    @classmethod
    def from_snapshot(cls, data: dict) -> SourceContent:
        return cls(
            url=data.get("url", ""),
            title=data.get("title", ""),
            publisher=data.get("publisher", ""),
        )

    def to_snapshot(self) -> dict:
        return {"url": self.url, "title": self.title, "publisher": self.publisher}


# Contact fields added after the first snapshots: read as "" when absent.
CONTACT_EXTRA_FIELDS = (
    "spokesperson",
    "spokesperson_role",
    "phone_label",
    "second_phone",
    "second_phone_label",
)


@dataclass(frozen=True)
class ContactContent:
    organisation: str
    division: str
    section: str
    phone: str
    email: str
    website: str
    social: list[tuple[str, str, str]] = field(default_factory=list)  # network, label, handle
    id: int | None = None
    # Issue 12: a named spokesperson and a second, labelled number; "" in older snapshots.
    spokesperson: str = ""
    spokesperson_role: str = ""
    phone_label: str = ""
    second_phone: str = ""
    second_phone_label: str = ""

    @property
    def office_line(self) -> str:
        return " – ".join(part for part in (self.division, self.section) if part)

    @classmethod
    def from_contact(cls, contact) -> ContactContent:
        return cls(
            id=contact.pk,
            organisation=contact.organisation,
            division=contact.division,
            section=contact.section,
            phone=contact.phone,
            email=contact.email,
            website=contact.website,
            social=contact.social,
            **{name: getattr(contact, name) for name in CONTACT_EXTRA_FIELDS},
        )

    @classmethod
    def from_snapshot(cls, data: dict) -> ContactContent:
        return cls(
            id=data.get("id"),
            organisation=data.get("organisation", ""),
            division=data.get("division", ""),
            section=data.get("section", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            website=data.get("website", ""),
            social=[tuple(s) for s in data.get("social", [])],
            **{name: data.get(name, "") for name in CONTACT_EXTRA_FIELDS},
        )

    def to_snapshot(self) -> dict:
        return {
            "id": self.id,
            "organisation": self.organisation,
            "division": self.division,
            "section": self.section,
            "phone": self.phone,
            "email": self.email,
            "website": self.website,
            # Lists, not tuples: the snapshot is compared with JSON read back from the database.
            "social": [list(s) for s in self.social],
            # Written only when set: older snapshots then read back unchanged.
            **{name: value for name in CONTACT_EXTRA_FIELDS if (value := getattr(self, name))},
        }


@dataclass(frozen=True)
class OfficeContent:
    """The issuing office as the revision recorded it (issue 13): the letterhead's name and
    logo, the About boilerplate and the dateline place a release without its own takes. What an
    office changes later shows on a release once a new version of it is published."""

    id: int | None
    name: str
    logo: str = ""  # the storage name of the logo, "" without one
    about: str = ""
    dateline_place: str = ""

    @property
    def logo_url(self) -> str:
        return media_url(self.logo) if self.logo else ""

    @classmethod
    def from_office(cls, office) -> OfficeContent:
        return cls(
            id=office.pk,
            name=office.name,
            logo=office.logo.name if office.logo else "",
            about=office.about,
            dateline_place=office.dateline_place,
        )

    @classmethod
    def from_snapshot(cls, data: dict) -> OfficeContent:
        return cls(
            id=data.get("id"),
            name=data.get("name", ""),
            logo=data.get("logo", ""),
            about=data.get("about", ""),
            dateline_place=data.get("dateline_place", ""),
        )

    def to_snapshot(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "logo": self.logo,
            "about": self.about,
            "dateline_place": self.dateline_place,
        }


@dataclass(frozen=True)
class ResponseContent:
    number: int  # its place in the release, from 1; not stored, the list order is
    claim_id: int
    claim_slug: str
    claim_wording: str
    claimant: str
    first_appeared_on: date | None
    first_appeared_in: str
    first_appearance_url: str
    topics: list[tuple[str, str]]  # slug, name
    verdict: str
    body: str
    body_html: str
    figures: list[FigureContent]
    sources: list[SourceContent]
    # In a translation: the original's claim this response renders, and the original's revision
    # it was last brought up to date with (myths/translations.py). Recorded only when set, so the
    # snapshots of releases that are no translation keep their shape.
    source_claim_id: int | None = None
    source_revision_id: int | None = None

    @property
    def anchor(self) -> str:
        return f"myth-{self.number}"

    @property
    def verdict_label(self) -> str:
        return str(Response.Verdict(self.verdict).label) if self.verdict else ""

    @property
    def body_text(self) -> str:
        return strip_tags(self.body_html)

    @classmethod
    def from_response(cls, response, *, number: int) -> ResponseContent:
        claim = response.claim
        return cls(
            number=number,
            claim_id=response.claim_id,
            claim_slug=claim.slug,
            claim_wording=claim.wording,
            claimant=claim.claimant,
            first_appeared_on=claim.first_appeared_on,
            first_appeared_in=claim.first_appeared_in,
            first_appearance_url=claim.first_appearance_url,
            topics=[(t.slug, t.name) for t in claim.topics.all()],
            verdict=response.verdict,
            body=response.body,
            body_html=response.body_html,
            figures=[FigureContent.from_figure(f) for f in response.figures.all()],
            sources=[SourceContent.from_source(s) for s in response.sources.all()],
            source_claim_id=response.source_claim_id,
            source_revision_id=response.source_revision_id,
        )

    @classmethod
    def from_snapshot(cls, data: dict, *, number: int) -> ResponseContent:
        appeared = data.get("first_appeared_on")
        return cls(
            number=number,
            claim_id=data["claim_id"],
            claim_slug=data["claim_slug"],
            claim_wording=data["claim_wording"],
            claimant=data.get("claimant", ""),
            first_appeared_on=date.fromisoformat(appeared) if appeared else None,
            first_appeared_in=data.get("first_appeared_in", ""),
            first_appearance_url=data.get("first_appearance_url", ""),
            topics=[tuple(t) for t in data.get("topics", [])],
            verdict=data.get("verdict", ""),
            body=data.get("body", ""),
            body_html=data.get("body_html", ""),
            figures=[FigureContent.from_snapshot(f) for f in data.get("figures", [])],
            sources=[SourceContent.from_snapshot(s) for s in data.get("sources", [])],
            source_claim_id=data.get("source_claim_id"),
            source_revision_id=data.get("source_revision_id"),
        )

    def to_snapshot(self) -> dict:
        translated = {
            key: value
            for key, value in (
                ("source_claim_id", self.source_claim_id),
                ("source_revision_id", self.source_revision_id),
            )
            if value is not None
        }
        return {
            **translated,
            "claim_id": self.claim_id,
            "claim_slug": self.claim_slug,
            "claim_wording": self.claim_wording,
            "claimant": self.claimant,
            "first_appeared_on": (
                self.first_appeared_on.isoformat() if self.first_appeared_on else ""
            ),
            "first_appeared_in": self.first_appeared_in,
            "first_appearance_url": self.first_appearance_url,
            "topics": [list(t) for t in self.topics],
            "verdict": self.verdict,
            "body": self.body,
            "body_html": self.body_html,
            "figures": [f.to_snapshot() for f in self.figures],
            "sources": [s.to_snapshot() for s in self.sources],
        }


@dataclass(frozen=True)
class ReleaseContent:
    """A whole release as one revision records it: fields, contact, and responses in order.

    `ReleaseContent.from_snapshot(content.to_snapshot()) == content` holds for every content, and
    `to_snapshot()` of a stored snapshot's content gives that snapshot back, except for the
    `issued_on` that issue 12's snapshots recorded (no longer content, see `dateline_place`).
    """

    title: str
    slug: str
    lede: str
    language: str
    more_info_url: str
    more_info_label: str
    contact: ContactContent | None
    responses: list[ResponseContent]
    release_id: int | None = None
    # Issue 12: the dateline's place as written ("LONDON"); written to the snapshot only when
    # set, so older snapshots read back unchanged. The date of issue is not content: the workflow
    # gives it on first publication and a publisher back-dates it (Release.issued_on, logged),
    # like the publish time. Snapshots of issue 12 recorded it; it is ignored there.
    dateline_place: str = ""
    # Issue 13, each written only when set (older snapshots read back unchanged): the issuing
    # office, the notes to editors (Markdown) and the date the facts were checked.
    office: OfficeContent | None = None
    notes_to_editors: str = ""
    valid_as_of: date | None = None
    # The original this release translates: public pages link the language versions that their
    # published revisions record, so a new link waits for review like any other change.
    translation_of_id: int | None = None
    # Issue 13: background for journalists (Markdown, printed after ENDS) and the date the facts
    # were checked; written only when set, like the dateline.
    notes_to_editors: str = ""
    valid_as_of: date | None = None

    @property
    def figures(self) -> list[FigureContent]:
        return [figure for response in self.responses for figure in response.figures]

    @property
    def place(self) -> str:
        """The dateline's place in capitals: the release's own, else its office's."""
        office_place = self.office.dateline_place if self.office else ""
        return (self.dateline_place or office_place).strip().upper()

    @property
    def notes_to_editors_html(self) -> str:
        """The notes to editors as sanitised HTML (myths/markdown.py), rendered when shown."""
        if not self.notes_to_editors:
            return ""
        return render_markdown(self.notes_to_editors, self.language)

    @classmethod
    def from_release(cls, release: Release) -> ReleaseContent:
        """The working copy as it is in the database now: what a new revision would record."""
        responses = (
            release.responses.select_related("claim")
            .prefetch_related("claim__topics", "figures", "sources")
            .order_by("position", "pk")
        )
        contact = release.contact
        return cls(
            release_id=release.pk,
            title=release.title,
            slug=release.slug,
            lede=release.lede,
            language=release.language,
            translation_of_id=release.translation_of_id,
            more_info_url=release.more_info_url,
            more_info_label=release.more_info_label,
            dateline_place=release.dateline_place,
            office=OfficeContent.from_office(release.office) if release.office else None,
            notes_to_editors=release.notes_to_editors,
            valid_as_of=release.valid_as_of,
            contact=ContactContent.from_contact(contact) if contact else None,
            responses=[
                ResponseContent.from_response(response, number=number)
                for number, response in enumerate(responses, start=1)
            ],
        )

    @classmethod
    def from_snapshot(cls, data: dict) -> ReleaseContent:
        """Read a revision's stored snapshot, of any version this code has ever written."""
        version = data.get("v", SNAPSHOT_VERSION)
        if version > SNAPSHOT_VERSION:
            raise ValueError(f"Snapshot version {version} is newer than this code reads.")
        contact = data.get("contact")
        return cls(
            release_id=data.get("release_id"),
            title=data["title"],
            slug=data["slug"],
            lede=data.get("lede", ""),
            language=data.get("language", "en"),
            translation_of_id=data.get("translation_of_id"),
            more_info_url=data.get("more_info_url", ""),
            more_info_label=data.get("more_info_label", ""),
            dateline_place=data.get("dateline_place", ""),
            office=OfficeContent.from_snapshot(office) if (office := data.get("office")) else None,
            notes_to_editors=data.get("notes_to_editors", ""),
            valid_as_of=(
                date.fromisoformat(data["valid_as_of"]) if data.get("valid_as_of") else None
            ),
            contact=ContactContent.from_snapshot(contact) if contact else None,
            responses=[
                ResponseContent.from_snapshot(r, number=number)
                for number, r in enumerate(data.get("responses", []), start=1)
            ],
        )

    def to_snapshot(self) -> dict:
        """The JSON-ready data a revision stores in `Revision.content`."""
        # translation_of_id is written only when set: snapshots recorded before it existed then
        # still read back unchanged, and compare equal to an unchanged working copy.
        translation = (
            {"translation_of_id": self.translation_of_id} if self.translation_of_id else {}
        )
        dateline = {"dateline_place": self.dateline_place} if self.dateline_place else {}
        identity = {}
        if self.office:
            identity["office"] = self.office.to_snapshot()
        if self.notes_to_editors:
            identity["notes_to_editors"] = self.notes_to_editors
        if self.valid_as_of:
            identity["valid_as_of"] = self.valid_as_of.isoformat()
        return {
            "v": SNAPSHOT_VERSION,
            **translation,
            **dateline,
            **identity,
            "release_id": self.release_id,
            "title": self.title,
            "slug": self.slug,
            "lede": self.lede,
            "language": self.language,
            "more_info_url": self.more_info_url,
            "more_info_label": self.more_info_label,
            "contact": self.contact.to_snapshot() if self.contact else None,
            "responses": [r.to_snapshot() for r in self.responses],
        }
