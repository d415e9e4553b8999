"""Snapshots of a whole release, and the read-only content objects every reader-facing output uses.

The public page, the preview, the feeds and the PDF all render a `ReleaseContent` built from a
revision's snapshot, so they show exactly what was approved, whatever the working copy says now.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.html import strip_tags

from .models import (
    Release,
    Response,
    Revision,
    RevisionAnswer,
    RevisionMedia,
    topic_slugs_text,
)

SNAPSHOT_VERSION = 1


def release_snapshot(release: Release) -> dict:
    """The whole release as JSON-ready data: its fields, contact, responses, figures and sources."""
    responses = (
        release.responses.select_related("claim")
        .prefetch_related("claim__topics", "figures", "sources")
        .order_by("position", "pk")
    )
    contact = release.contact
    return {
        "v": SNAPSHOT_VERSION,
        "release_id": release.pk,
        "title": release.title,
        "slug": release.slug,
        "lede": release.lede,
        "language": release.language,
        "more_info_url": release.more_info_url,
        "more_info_label": release.more_info_label,
        "contact": contact_snapshot(contact) if contact else None,
        "responses": [
            {
                "claim_id": response.claim_id,
                "claim_slug": response.claim.slug,
                "claim_wording": response.claim.wording,
                "claimant": response.claim.claimant,
                "first_appeared_on": (
                    response.claim.first_appeared_on.isoformat()
                    if response.claim.first_appeared_on
                    else ""
                ),
                "first_appeared_in": response.claim.first_appeared_in,
                "first_appearance_url": response.claim.first_appearance_url,
                "topics": [[t.slug, t.name] for t in response.claim.topics.all()],
                "verdict": response.verdict,
                "body": response.body,
                "body_html": response.body_html,
                "figures": [
                    {
                        "image": figure.image.name,
                        "width": figure.width,
                        "height": figure.height,
                        "caption": figure.caption,
                        "credit": figure.credit,
                        "alt_text": figure.alt_text,
                    }
                    for figure in response.figures.all()
                ],
                "sources": [
                    {"url": s.url, "title": s.title, "publisher": s.publisher}
                    for s in response.sources.all()
                ],
            }
            for response in responses
        ],
    }


def contact_snapshot(contact) -> dict:
    """A press contact and its social handles as JSON-ready data, as a revision records them.

    The keys must stay the fields of `ContactContent`, which is built from them directly.
    """
    return {
        "id": contact.pk,
        "organisation": contact.organisation,
        "division": contact.division,
        "section": contact.section,
        "phone": contact.phone,
        "email": contact.email,
        "website": contact.website,
        "social": [
            [h.network, h.get_network_display(), h.handle] for h in contact.social_handles.all()
        ],
    }


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
        return default_storage.url(self.image) if self.image else ""

    @property
    def path(self) -> str:
        return default_storage.path(self.image) if self.image else ""


@dataclass(frozen=True)
class SourceContent:
    url: str
    title: str
    publisher: str


@dataclass(frozen=True)
class ContactContent:
    organisation: str
    division: str
    section: str
    phone: str
    email: str
    website: str
    social: list[tuple[str, str, str]] = field(default_factory=list)
    id: int | None = None

    @property
    def office_line(self) -> str:
        return " – ".join(part for part in (self.division, self.section) if part)


@dataclass(frozen=True)
class ResponseContent:
    number: int
    claim_id: int
    claim_slug: str
    claim_wording: str
    claimant: str
    first_appeared_on: date | None
    first_appeared_in: str
    first_appearance_url: str
    topics: list[tuple[str, str]]
    verdict: str
    body: str
    body_html: str
    figures: list[FigureContent]
    sources: list[SourceContent]

    @property
    def anchor(self) -> str:
        return f"myth-{self.number}"

    @property
    def verdict_label(self) -> str:
        return str(Response.Verdict(self.verdict).label) if self.verdict else ""

    @property
    def body_text(self) -> str:
        return strip_tags(self.body_html)


@dataclass(frozen=True)
class ReleaseContent:
    title: str
    slug: str
    lede: str
    language: str
    more_info_url: str
    more_info_label: str
    contact: ContactContent | None
    responses: list[ResponseContent]
    release_id: int | None = None

    @property
    def figures(self) -> list[FigureContent]:
        return [figure for response in self.responses for figure in response.figures]

    @classmethod
    def from_snapshot(cls, data: dict) -> ReleaseContent:
        contact = data.get("contact")
        return cls(
            release_id=data.get("release_id"),
            title=data["title"],
            slug=data["slug"],
            lede=data.get("lede", ""),
            language=data.get("language", "en"),
            more_info_url=data.get("more_info_url", ""),
            more_info_label=data.get("more_info_label", ""),
            contact=(
                ContactContent(**{**contact, "social": [tuple(s) for s in contact["social"]]})
                if contact
                else None
            ),
            responses=[
                ResponseContent(
                    number=index,
                    claim_id=r["claim_id"],
                    claim_slug=r["claim_slug"],
                    claim_wording=r["claim_wording"],
                    claimant=r.get("claimant", ""),
                    first_appeared_on=(
                        date.fromisoformat(r["first_appeared_on"])
                        if r.get("first_appeared_on")
                        else None
                    ),
                    first_appeared_in=r.get("first_appeared_in", ""),
                    first_appearance_url=r.get("first_appearance_url", ""),
                    topics=[tuple(t) for t in r.get("topics", [])],
                    verdict=r.get("verdict", ""),
                    body=r.get("body", ""),
                    body_html=r.get("body_html", ""),
                    figures=[FigureContent(**f) for f in r.get("figures", [])],
                    sources=[SourceContent(**s) for s in r.get("sources", [])],
                )
                for index, r in enumerate(data.get("responses", []), start=1)
            ],
        )

    @classmethod
    def from_release(cls, release: Release) -> ReleaseContent:
        """The working copy as content, for previews of unsaved-as-revision state and tests."""
        return cls.from_snapshot(release_snapshot(release))


def revision_content(revision: Revision) -> ReleaseContent:
    """What `revision` recorded, as the read-only content every public output renders.

    Reads only `revision.content`, never the working copy, so it shows what was approved.
    """
    return ReleaseContent.from_snapshot(revision.content)


def _search_text(snapshot: dict) -> str:
    parts = [snapshot["title"], snapshot.get("lede", "")]
    for response in snapshot["responses"]:
        parts.append(response["claim_wording"])
        parts.append(strip_tags(response["body_html"]))
        parts.extend(f["caption"] for f in response["figures"])
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()


_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"", re.IGNORECASE)


def snapshot_media_names(snapshot: dict) -> set[str]:
    """The media files a snapshot shows: its figures, and images under MEDIA_URL in its bodies.

    Names are relative to MEDIA_ROOT, as the storage names them (e.g. uploads/ab12.png). An
    image on another host is not ours to serve and is left out.
    """
    prefix = settings.MEDIA_URL
    own_host = urlsplit(settings.PRESSDESK_SITE_URL).netloc
    names = set()
    for response in snapshot.get("responses", []):
        names.update(f["image"] for f in response.get("figures", []) if f.get("image"))
        for src in _IMG_SRC.findall(response.get("body_html", "")):
            url = urlsplit(html.unescape(src))
            if url.netloc and url.netloc != own_host:
                continue
            if url.path.startswith(prefix) and len(url.path) > len(prefix):
                names.add(unquote(url.path[len(prefix) :]))
    return {name for name in names if len(name) <= 500}


def revision_create(*, release: Release, author=None) -> Revision:
    """Record the release as it is now in the database as its next revision, with its index rows.

    Call it after the release and its inlines are saved. Numbers are unique per release; two saves
    racing for the same number retry once with the next free number.
    """
    snapshot = release_snapshot(release)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                number = (release.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
                revision = Revision.objects.create(
                    release=release,
                    number=number,
                    author=author,
                    status=release.status,
                    content=snapshot,
                    title=snapshot["title"],
                    lede=snapshot["lede"],
                    search_text=_search_text(snapshot),
                )
                # bulk_create skips save(): topic_slugs is filled here.
                RevisionAnswer.objects.bulk_create(
                    RevisionAnswer(
                        revision=revision,
                        claim_id=r["claim_id"],
                        position=index,
                        verdict=r["verdict"],
                        wording=r["claim_wording"],
                        slug=r["claim_slug"],
                        topics=r["topics"],
                        topic_slugs=topic_slugs_text(r["topics"]),
                    )
                    for index, r in enumerate(snapshot["responses"], start=1)
                )
                RevisionMedia.objects.bulk_create(
                    RevisionMedia(revision=revision, name=name)
                    for name in sorted(snapshot_media_names(snapshot))
                )
                return revision
        except IntegrityError:
            continue
    raise IntegrityError(f"Could not allocate a revision number for release {release.pk}")
