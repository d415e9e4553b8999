"""The import's first step: reading a text without writing anything, what it matches among the
releases already there, and the signed token that carries the previewed text to the second step.

The token is signed (django.core.signing) so the draft is made from exactly the text the editor
previewed, and re-parsed then: nothing half-made is kept between the two steps.
"""

from __future__ import annotations

import hashlib

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Release
from .decode import check_filename, decode_release_bytes
from .parse import parse_release
from .shapes import ParsedRelease

SIGNING_NAMESPACE = "myths.importing.preview"
TOKEN_MAX_AGE = 2 * 60 * 60  # seconds: a preview left open over lunch still confirms


def import_read(*, text_or_bytes: bytes | str, filename: str = "") -> tuple[str, ParsedRelease]:
    """(the decoded text, how it was understood). Writes nothing; raises the parser's coded
    ValidationErrors."""
    check_filename(filename)
    text = decode_release_bytes(text_or_bytes)
    return text, parse_release(text)


def source_fingerprint(text: str) -> str:
    """SHA-256 of the text with its line endings and outer blank space normalised."""
    normal = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normal.encode()).hexdigest()


def import_matches(*, text: str, parsed: ParsedRelease):
    """Releases this import would repeat: imported from the same text, or with the same title
    in the same language. Oldest first."""
    return Release.objects.filter(
        Q(source_sha256=source_fingerprint(text))
        | Q(title__iexact=parsed.title, language=parsed.language)
    ).order_by("pk")


def import_token(*, text: str, filename: str) -> str:
    """The signed, compressed text and file name for the confirm step."""
    return signing.dumps(
        {"text": text, "filename": filename}, salt=SIGNING_NAMESPACE, compress=True
    )


def import_token_read(token: str) -> dict:
    """{"text", "filename"} from a token, or a coded ValidationError when it was altered or is
    older than TOKEN_MAX_AGE."""
    try:
        return signing.loads(token, salt=SIGNING_NAMESPACE, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("The preview is too old: paste or upload the release again."), code="expired"
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(
            _("The previewed text was altered: paste or upload the release again."),
            code="bad_token",
        ) from error
