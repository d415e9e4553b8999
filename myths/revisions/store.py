"""Recording a release as its next revision, with the index rows read from its content.

A revision's title, lede, search text, answers and media rows are all derived from the same
`ReleaseContent` whose snapshot it stores, so the indexes never disagree with the snapshot.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from ..models import (
    Release,
    Revision,
    RevisionAnswer,
    RevisionMedia,
    search_config,
    topic_slugs_text,
)
from .content import ReleaseContent


def release_snapshot(release: Release) -> dict:
    """The release as it is in the database now, as the JSON a new revision would store."""
    return ReleaseContent.from_release(release).to_snapshot()


def content_changed(previous: Revision | None, release: Release, *, changed_fields=()) -> bool:
    """Whether the working copy of `release` differs from what `previous` recorded: what makes a
    new revision (and sends an approved or published release back to review).

    A snapshot written before issue 13 is compared as it would be written now (the date of issue
    it may hold is no longer content) and without the office it did not record, unless the edit
    changed the office (`changed_fields`): an unchanged save of an older release is no new
    version needing review.
    """
    if previous is None:
        return True
    current = release_snapshot(release)
    recorded = ReleaseContent.from_snapshot(previous.content).to_snapshot()
    if "office" not in recorded and "office" not in changed_fields:
        current.pop("office", None)
    return recorded != current


def revision_content(revision: Revision) -> ReleaseContent:
    """What `revision` recorded, as the read-only content every public output renders.

    Reads only `revision.content`, never the working copy, so it shows what was approved.
    """
    return ReleaseContent.from_snapshot(revision.content)


def content_search_text(content: ReleaseContent) -> str:
    """Title, lede, claims, body text and captions as one line, for `Revision.search_text`."""
    parts = [content.title, content.lede]
    for response in content.responses:
        parts.append(response.claim_wording)
        parts.append(response.body_text)
        parts.extend(f.caption for f in response.figures)
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()


_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"", re.IGNORECASE)


def content_media_names(content: ReleaseContent) -> set[str]:
    """The media files the content shows: its figures, its office's logo, and images under
    MEDIA_URL in its bodies.

    Names are relative to MEDIA_ROOT, as the storage names them (e.g. uploads/ab12.png). An
    image on another host is not ours to serve and is left out.
    """
    prefix = settings.MEDIA_URL
    own_host = urlsplit(settings.PRESSDESK_SITE_URL).netloc
    names = {content.office.logo} if content.office and content.office.logo else set()
    for response in content.responses:
        names.update(f.image for f in response.figures if f.image)
        for src in _IMG_SRC.findall(response.body_html):
            url = urlsplit(html.unescape(src))
            if url.netloc and url.netloc != own_host:
                continue
            if url.path.startswith(prefix) and len(url.path) > len(prefix):
                names.add(unquote(url.path[len(prefix) :]))
    return {name for name in names if len(name) <= 500}


def revision_create(
    *, release: Release, author=None, content: ReleaseContent | None = None
) -> Revision:
    """Record the release as it is now in the database as its next revision, with its index rows.

    Call it after the release and its inlines are saved. Numbers are unique per release; two saves
    racing for the same number retry once with the next free number. `content`, when given, is
    recorded instead of the working copy: only the workflow passes it, to republish a public
    revision with nothing changed but its contact block (workflow.release_contact_refresh).
    """
    from ..quality import content_problems, quality_summary  # the gate reads revisions too

    content = content or ReleaseContent.from_release(release)
    snapshot = content.to_snapshot()
    # What the gate finds now, kept for the release list's column and filter (no checks per row).
    quality = quality_summary(content_problems(content))
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
                    title=content.title,
                    lede=content.lede,
                    search_text=content_search_text(content),
                    slug=content.slug,
                    search_config=search_config(content.language),
                    quality=quality,
                )
                # bulk_create skips save(): topic_slugs is filled here.
                RevisionAnswer.objects.bulk_create(
                    RevisionAnswer(
                        revision=revision,
                        claim_id=r.claim_id,
                        position=r.number,
                        verdict=r.verdict,
                        wording=r.claim_wording,
                        slug=r.claim_slug,
                        topics=[list(t) for t in r.topics],
                        topic_slugs=topic_slugs_text(r.topics),
                    )
                    for r in content.responses
                )
                RevisionMedia.objects.bulk_create(
                    RevisionMedia(revision=revision, name=name)
                    for name in sorted(content_media_names(content))
                )
                return revision
        except IntegrityError:
            continue
    raise IntegrityError(f"Could not allocate a revision number for release {release.pk}")
