"""Rebuilding a release's working copy (fields and inline rows) from a revision's content.

Writes rows only; the workflow's `release_restore` checks who may restore, records the result as a
new revision and logs the state change.
"""

from __future__ import annotations

from contacts.models import PressContact, PressOffice

from ..models import Claim, Figure, Release, Response, Revision, Source
from .content import ReleaseContent, ResponseContent


def release_rows_restore(*, release: Release, content: ReleaseContent) -> None:
    """Make `content` the release's working copy: its fields, responses, figures and sources.

    The slug is kept (links to it must keep working), and so are the contact and the original
    (translation_of) when the recorded one was deleted since. A claim deleted since is found again
    by its wording, or created. Call it inside a transaction; `release` itself is not refreshed.
    """
    contact = content.contact
    Release.objects.filter(pk=release.pk).update(
        title=content.title,
        lede=content.lede,
        language=content.language,
        more_info_url=content.more_info_url,
        more_info_label=content.more_info_label,
        dateline_place=content.dateline_place,
        notes_to_editors=content.notes_to_editors,
        valid_as_of=content.valid_as_of,
        **(
            {"office_id": content.office.id}
            if content.office
            and content.office.id is not None
            and PressOffice.objects.filter(pk=content.office.id).exists()
            else {}
        ),
        **(
            {"translation_of_id": content.translation_of_id}
            if content.translation_of_id is None
            or Release.objects.filter(pk=content.translation_of_id).exists()
            else {}
        ),
        **(
            {"contact_id": contact.id}
            if contact
            and contact.id is not None
            and PressContact.objects.filter(pk=contact.id).exists()
            else {}
        ),
    )
    release.responses.all().delete()
    for item in content.responses:
        _response_restore(release, item)


def _response_restore(release: Release, item: ResponseContent) -> None:
    claim = (
        Claim.objects.filter(pk=item.claim_id).first()
        or Claim.objects.matching(item.claim_wording).first()
        or Claim.objects.create(wording=item.claim_wording)
    )
    response = Response.objects.create(
        release=release,
        claim=claim,
        position=item.number,
        verdict=item.verdict,
        body=item.body,
        source_claim_id=_existing(Claim, item.source_claim_id),
        source_revision_id=_existing(Revision, item.source_revision_id),
    )
    for position, recorded in enumerate(item.figures, start=1):
        figure = Figure(
            response=response,
            caption=recorded.caption,
            credit=recorded.credit,
            alt_text=recorded.alt_text,
            width=recorded.width,
            height=recorded.height,
            position=position,
        )
        # The file is still in storage; naming it avoids re-reading the image.
        figure.image.name = recorded.image
        figure.save()
    Source.objects.bulk_create(
        Source(
            response=response,
            position=position,
            url=source.url,
            title=source.title,
            publisher=source.publisher,
        )
        for position, source in enumerate(item.sources, start=1)
    )


def _existing(model, pk: int | None) -> int | None:
    """`pk` if that row still exists, else None (a translation's link to a deleted original)."""
    return pk if pk is not None and model.objects.filter(pk=pk).exists() else None
