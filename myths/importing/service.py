"""The import service: one transaction that writes a parsed release as a draft with its claims,
responses, sources and press contact, and records its first revision.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contacts.models import PressContact
from contacts.services import clean_or_refuse, contact_create, contact_match

from .. import workflow
from ..models import Claim, Figure, Release, Response, Source
from ..revisions import revision_create
from .preview import import_read, source_fingerprint
from .shapes import ParsedClaim, ParsedContact, ParsedRelease
from .word import WordFigure


@dataclass
class ImportResult:
    """What release_import() made, for the command's output and the admin's message."""

    release: Release
    claims: list[tuple[Claim, bool]]  # (claim, created)
    sources: int
    captions: list[str]
    contact: PressContact | None
    contact_status: str  # "proposed", "matched by e-mail", "matched by phone", "default", "none"
    warnings: list[str]
    figures: int = 0  # from a Word file's images

    def summary_lines(self) -> list[str]:
        """Human-readable lines: title, each claim, counts, the contact and warnings."""
        lines = [
            _("Draft “%(title)s” (language: %(language)s).")
            % {"title": self.release.title, "language": self.release.language}
        ]
        for number, (claim, created) in enumerate(self.claims, start=1):
            state = _("new claim") if created else _("existing claim reused")
            lines.append(
                _("Claim %(n)s: %(wording)s (%(state)s)")
                % {"n": number, "wording": claim.wording, "state": state}
            )
        lines.append(
            _(
                "%(sources)s source(s); %(captions)s photo caption(s) kept in italics in the "
                "responses, waiting for their photos."
            )
            % {"sources": self.sources, "captions": len(self.captions)}
        )
        if self.figures:
            lines.append(
                _(
                    "%(figures)s figure(s) from the Word file, with the caption and credit "
                    "under each."
                )
                % {"figures": self.figures}
            )
        if self.contact:
            lines.append(
                _("Press contact %(status)s: %(contact)s (%(email)s).")
                % {
                    "status": self.contact_status,
                    "contact": self.contact,
                    "email": self.contact.email,
                }
            )
        else:
            lines.append(_("No press contact: choose one before submitting."))
        if self.release.more_info_url:
            lines.append(
                _("More information: %(label)s <%(url)s>")
                % {"label": self.release.more_info_label, "url": self.release.more_info_url}
            )
        lines.extend(_("Check: %(warning)s") % {"warning": w} for w in self.warnings)
        return lines


def release_import(*, text_or_bytes: bytes | str, author=None, filename: str = "") -> ImportResult:
    """Create a draft release from a release written as text, in one transaction.

    Claims with the same wording (`Claim.objects.matching`: ignoring case and spacing) are reused,
    others created; each claim gets a response at positions 1..n with an empty verdict for the
    editor; links become sources; photo captions stay in the response as italic lines (see
    parse.py); the contact block is matched to an accepted PressContact by e-mail, then phone,
    else to a proposal an earlier import made, else proposed with its handle (contacts.services):
    an import never creates a public contact, and the release cannot be published until someone
    allowed to add contacts accepts the proposal. Records the release's first revision. Never
    assigns `status`: the release is a draft because that is the default.

    Raises a coded ValidationError, having written nothing, on bad input: the codes of decode.py
    and parse.py, "invalid_content" when a value does not fit its field, "conflict" when another
    save created the same unique row at the same moment.
    """
    text, parsed = import_read(text_or_bytes=text_or_bytes, filename=filename)
    warnings = list(parsed.warnings)
    with _written_whole(parsed):
        contact, contact_status = _contact(parsed.contact, warnings)
        release = _release(parsed, contact, author, source_fingerprint(text))
        claims, sources = _responses(release, parsed)
        revision_create(release=release, author=author)
    return _result(release, parsed, claims, sources, contact, contact_status, warnings)


def release_import_update(
    *,
    release: Release,
    text_or_bytes: bytes | str,
    author,
    expected_version: int,
    filename: str = "",
) -> ImportResult:
    """Re-import a text into an existing draft, recorded as a new revision of it.

    The draft's fields, responses and sources become the text's; its contact is matched or
    proposed as for a new import. Goes through the workflow's edit recording
    (`release_version_claim`, then `release_edit_saved`), so a concurrent save is refused as
    "stale_edit" and the revision names `author`. Refused with a coded ValidationError, nothing
    written: "not_draft" when the release left draft, "permission_denied" without the change
    permission, "has_figures" when its responses carry figures (they would be lost).
    """
    if author is None or not author.has_perm("myths.change_release"):
        raise ValidationError(_("You may not change releases."), code="permission_denied")
    text, parsed = import_read(text_or_bytes=text_or_bytes, filename=filename)
    warnings = list(parsed.warnings)
    with _written_whole(parsed):
        release = Release.objects.select_for_update().get(pk=release.pk)
        _check_updatable(release)
        workflow.release_version_claim(release=release, expected_version=expected_version)
        contact, contact_status = _contact(parsed.contact, warnings)
        _fill(release, parsed, contact, source_fingerprint(text))
        release.updated_by = author
        release.save()
        clean_or_refuse(release)
        release.responses.all().delete()
        claims, sources = _responses(release, parsed)
        workflow.release_edit_saved(release=release, actor=author, changed_fields=UPDATED)
    return _result(release, parsed, claims, sources, contact, contact_status, warnings)


@contextmanager
def _written_whole(parsed):
    """One transaction for an import: on any failure nothing stays, neither rows nor the files of
    figures already stored (the database forgets them, the storage does not); a unique-slug race
    is reported as the coded conflict."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        _discard_figures(parsed)
        raise _conflict() from error
    except BaseException:
        _discard_figures(parsed)
        raise


# The release's fields an update from a text sets.
UPDATED = (
    "title",
    "lede",
    "language",
    "contact",
    "more_info_url",
    "more_info_label",
    "dateline_place",
    "issued_on",
    "publish_at",
)


def _check_updatable(release: Release) -> None:
    if release.status != Release.Status.DRAFT:
        raise ValidationError(
            _("“%(title)s” is no longer a draft: import the text as a copy instead.")
            % {"title": release.title},
            code="not_draft",
        )
    if Figure.objects.filter(response__release=release).exists():
        raise ValidationError(
            _(
                "“%(title)s” has figures that an update from text would remove: edit it by "
                "hand, or import the text as a copy."
            )
            % {"title": release.title},
            code="has_figures",
        )


def _conflict() -> ValidationError:
    return ValidationError(
        _(
            "Another save created the same claim, contact or web address at the same "
            "moment, so nothing was imported. Please try again."
        ),
        code="conflict",
    )


def _responses(release: Release, parsed: ParsedRelease):
    claims, sources = [], 0
    for position, parsed_claim in enumerate(parsed.claims, start=1):
        claim, created = _claim(parsed_claim.wording)
        claims.append((claim, created))
        response = _response(release, claim, position, parsed_claim)
        sources += len(parsed_claim.sources)
        # A Word image above the first claim goes with the first response.
        for order, figure in enumerate(parsed.figures, start=1):
            if max(figure.claim, 1) == position:
                _figure(response, figure, order)
    return claims, sources


def _figure(response: Response, parsed: WordFigure, position: int) -> None:
    """Store a Word image (already through the image gate) as a figure of `response`."""
    figure = Figure(
        response=response,
        image=parsed.image,
        caption=parsed.caption,
        credit=parsed.credit,
        alt_text=parsed.alt_text,
        position=position,
    )
    clean_or_refuse(figure)
    figure.save()  # stores the file; _discard_figures removes it if the transaction rolls back
    parsed.stored_name = figure.image.name


def _discard_figures(parsed: ParsedRelease) -> None:
    """Delete the image files a rolled-back import had stored: the rows are gone with it."""
    for figure in parsed.figures:
        if figure.stored_name:
            Figure._meta.get_field("image").storage.delete(figure.stored_name)


def _result(release, parsed, claims, sources, contact, contact_status, warnings) -> ImportResult:
    return ImportResult(
        release=release,
        claims=claims,
        sources=sources,
        captions=[c for parsed_claim in parsed.claims for c in parsed_claim.captions],
        contact=contact,
        contact_status=contact_status,
        warnings=warnings,
        figures=len(parsed.figures),
    )


def _release(parsed: ParsedRelease, contact, author, fingerprint: str) -> Release:
    release = Release(created_by=author, updated_by=author)
    _fill(release, parsed, contact, fingerprint)
    release.save()  # fills the slug, which full_clean would otherwise call missing
    clean_or_refuse(release)
    return release


def _fill(release: Release, parsed: ParsedRelease, contact, fingerprint: str) -> None:
    release.title = parsed.title
    release.lede = parsed.lede
    release.language = parsed.language
    release.contact = contact
    release.more_info_url = parsed.more_info_url
    release.more_info_label = parsed.more_info_label
    release.dateline_place = parsed.dateline_place
    release.issued_on = parsed.issued_on
    release.publish_at = parsed.embargo_until
    release.source_sha256 = fingerprint


def _claim(wording: str) -> tuple[Claim, bool]:
    """The known claim with this wording, or a new one: (claim, created)."""
    claim = Claim.objects.matching(wording).first()
    if claim:
        return claim, False
    claim = Claim(wording=wording)
    claim.save()  # fills the slug first, as for the release
    clean_or_refuse(claim)
    return claim, True


def _response(release: Release, claim: Claim, position: int, parsed: ParsedClaim) -> Response:
    """Write the claim's response and its sources."""
    response = Response(release=release, claim=claim, position=position, body=parsed.body)
    clean_or_refuse(response)
    response.save()
    for index, parsed_source in enumerate(parsed.sources, start=1):
        source = Source(
            response=response, url=parsed_source.url, title=parsed_source.title, position=index
        )
        clean_or_refuse(source)
        source.save()
    return response


def _contact(parsed: ParsedContact | None, warnings: list[str]):
    """(contact, status): the office's default without a contact block, else the block's contact:
    an accepted one matched, else a proposal matched or made (contacts.services)."""
    if parsed is None:
        default = PressContact.objects.default()
        return (default, "default") if default else (None, "none")
    contact, how = _contact_matched(parsed)
    if contact is None and not parsed.email:
        warnings.append(_("The contact block has no e-mail address, so no contact was proposed."))
        return None, "none"
    if contact is None:
        contact, how = _contact_proposed(parsed, warnings), "proposed"
    if contact.is_proposed:
        warnings.append(
            _(
                "The press contact “%(contact)s” is a proposal, not public: the release cannot be "
                "published until someone allowed to add contacts accepts it."
            )
            % {"contact": contact}
        )
    return contact, how


def _contact_matched(parsed: ParsedContact) -> tuple[PressContact | None, str]:
    for proposed in (False, True):
        contact, matched_by = contact_match(
            email=parsed.email, phone=parsed.phone, proposed=proposed
        )
        if contact:
            return contact, (
                _("matched by e-mail") if matched_by == "email" else _("matched by phone")
            )
    return None, ""


def _contact_proposed(parsed: ParsedContact, warnings: list[str]) -> PressContact:
    """Propose the contact exactly as the block gives it: what it does not say stays empty
    (never guessed from the e-mail or web domain) and is named in a warning to fill in."""
    if not parsed.organisation:
        warnings.append(
            _("The contact block does not name the organisation: fill it in on the contact.")
        )
    if len(parsed.phones) > 2:
        warnings.append(_("The contact block has more than two phone numbers: the first two kept."))
    (phone_label, phone), (second_label, second_phone) = (parsed.phones + [("", "")] * 2)[:2]
    return contact_create(
        organisation=parsed.organisation,
        division=parsed.division,
        section=parsed.section,
        spokesperson=parsed.spokesperson,
        spokesperson_role=parsed.spokesperson_role,
        phone=phone,
        phone_label=phone_label,
        second_phone=second_phone,
        second_phone_label=second_label,
        email=parsed.email,
        website=parsed.website,
        handles=parsed.handles,
        proposed=True,
    )
