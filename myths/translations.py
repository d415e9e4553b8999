"""Translations of a release: making one (`release_translate`), and which of its claims the
original changed since they were translated (`stale_claims`, `translation_sources_refresh`).

A translation is a release with `translation_of` set; each of its responses records the original's
claim it renders (`Response.source_claim`) and the original's revision whose text it last rendered
(`Response.source_revision`). Staleness is read from those, never stored as a flag.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.slugs import unique_slug

from .diff import DiffRow, diff_lines
from .models import Release, Response, Revision
from .revisions import (
    ReleaseContent,
    ResponseContent,
    release_rows_restore,
    revision_content,
    revision_create,
)


def original_baseline(original: Release) -> Revision | None:
    """The original's revision a translation renders now: the published one, else the latest."""
    return original.live_revision or original.revisions.order_by("-number").first()


def release_translate(*, release: Release, language: str, actor) -> Release:
    """Create a draft translation of `release` into `language`, linked to it, and return it.

    The draft carries the original's structure (claims in order, verdicts, figures, sources,
    contact, further-information link) with the text to translate prefilled from the original's
    published revision (else its latest, else its working copy). A translation of a translation
    is made from, and linked to, the original. Needs `myths.add_release`; refused
    (`same_language`, `unknown_language`, `translation_exists`) for the original's own language, a
    language the site does not offer, or one it is already translated into.
    """
    if actor is None or not actor.has_perm("myths.add_release"):
        raise ValidationError(_("You may not create releases."), code="permission_denied")
    original = release.translation_of or release
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("The site offers no such language."), code="unknown_language")
    if language == original.language:
        raise ValidationError(_("The original is already in that language."), code="same_language")
    if original.translations.filter(language=language).exists():
        raise ValidationError(
            _("“%(title)s” already has a translation into that language.")
            % {"title": original.title},
            code="translation_exists",
        )
    baseline = original_baseline(original)
    source = revision_content(baseline) if baseline else ReleaseContent.from_release(original)
    content = dataclasses.replace(
        source,
        language=language,
        translation_of_id=original.pk,
        responses=[
            dataclasses.replace(
                response,
                source_claim_id=response.claim_id,
                source_revision_id=baseline.pk if baseline else None,
            )
            for response in source.responses
        ],
    )
    with transaction.atomic():
        translation = Release(
            title=content.title,
            language=language,
            translation_of=original,
            contact=original.contact,
            created_by=actor,
            updated_by=actor,
        )
        translation.slug = unique_slug(translation, f"{original.slug} {language}")
        translation.save()
        release_rows_restore(release=translation, content=content)
        revision_create(release=translation, author=actor)
    return translation


def translation_sources_refresh(*, release: Release, previous: Revision | None) -> None:
    """In a translation, mark each response whose text changed since `previous` as rendering
    the original as it is now (`original_baseline`): translating a claim again clears its mark.

    Call it when an edit of the translation is saved, before the edit is recorded as a revision.
    """
    if release.translation_of_id is None or previous is None:
        return
    before = {r.source_claim_id: r.body for r in revision_content(previous).responses}
    baseline = original_baseline(release.translation_of)
    if baseline is None:
        return
    for response in release.responses.filter(source_claim__isnull=False).exclude(
        source_revision=baseline
    ):
        if before.get(response.source_claim_id) != response.body:
            Response.objects.filter(pk=response.pk).update(source_revision=baseline)


@dataclass(frozen=True)
class StaleClaim:
    """A claim of a translation whose original response changed since it was translated."""

    number: int  # the claim's place in the translation: Myth 1, Myth 2, …
    wording: str
    source_claim_id: int
    diff: list[DiffRow]  # the original's text then (left) and now (right)


def _original_lines(response: ResponseContent | None) -> list[str]:
    if response is None:
        return []
    return [_("Verdict: %(v)s") % {"v": response.verdict or "—"}, *response.body.splitlines()]


def _by_claim(revision: Revision) -> dict[int, ResponseContent]:
    return {r.claim_id: r for r in revision_content(revision).responses}


def stale_claims(release: Release, *, content: ReleaseContent | None = None) -> list[StaleClaim]:
    """The claims of translation `release` whose response in the original's published revision
    differs (text or verdict) from the one they were translated from, each with the diff.

    `content` is the translation as to check (default: its working copy). Empty for a release
    that is no translation, an original with nothing published, or a claim whose source is
    unknown (translated before sources were recorded, or the source revision deleted since).
    """
    original = release.translation_of if release.translation_of_id else None
    if original is None or original.live_revision_id is None:
        return []
    content = content or ReleaseContent.from_release(release)
    wanted = {
        r.source_revision_id
        for r in content.responses
        if r.source_revision_id not in (None, original.live_revision_id)
    }
    if not wanted:
        return []
    now = _by_claim(original.live_revision)
    then = {
        revision.pk: _by_claim(revision)
        for revision in Revision.objects.filter(pk__in=wanted, release=original)
    }
    stale = []
    for response in content.responses:
        if response.source_revision_id not in then or response.source_claim_id is None:
            continue
        old = _original_lines(then[response.source_revision_id].get(response.source_claim_id))
        new = _original_lines(now.get(response.source_claim_id))
        if old != new:
            stale.append(
                StaleClaim(
                    number=response.number,
                    wording=response.claim_wording,
                    source_claim_id=response.source_claim_id,
                    diff=diff_lines(old, new),
                )
            )
    return stale


def stale_translation_ids(queryset) -> list[int]:
    """The pks of the translations among `queryset` with at least one stale claim.

    Read in Python, a few queries per translation (a press office has a handful): staleness
    compares snapshot texts, which SQL cannot do on both databases.
    """
    translations = queryset.filter(translation_of__isnull=False).select_related(
        "translation_of__live_revision"
    )
    return [release.pk for release in translations if stale_claims(release)]
