"""The import's first step: reading a text without writing anything, what it matches among the
releases already there, and the signed token that carries the previewed text to the second step.

The token is signed (django.core.signing) so the draft is made from exactly the text the editor
previewed, and re-parsed then: nothing half-made is kept between the two steps.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Release
from ..uploads import IMPORT_PREFIX
from .decode import check_filename, decode_release_bytes
from .parse import parse_release
from .shapes import ParsedRelease
from .word import docx_read

SIGNING_NAMESPACE = "myths.importing.preview"
TOKEN_MAX_AGE = 2 * 60 * 60  # seconds: a preview left open over lunch still confirms
DIGEST_RE = re.compile(r"[0-9a-f]{64}")


def import_read(*, text_or_bytes: bytes | str, filename: str = "") -> tuple[str, ParsedRelease]:
    """(the decoded text, how it was understood). Writes nothing; raises the parser's coded
    ValidationErrors."""
    check_filename(filename)
    if is_docx(filename):
        if isinstance(text_or_bytes, str):
            text_or_bytes = text_or_bytes.encode()  # refused by docx_check: not a zip
        text, figures = docx_read(text_or_bytes)
        parsed = parse_release(text)
        parsed.figures = figures
        return text, parsed
    text = decode_release_bytes(text_or_bytes)
    return text, parse_release(text)


def is_docx(filename: str) -> bool:
    """Whether the file is read as Word (by its name: the safety checks then prove it)."""
    return filename.lower().endswith(".docx")


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


def import_token(*, text: str, filename: str, docx: str = "") -> str:
    """The signed, compressed text and file name for the confirm step; for a Word file, the
    digest its bytes were kept under (docx_keep) instead of the text."""
    return signing.dumps(
        {"text": "" if docx else text, "filename": filename, "docx": docx},
        salt=SIGNING_NAMESPACE,
        compress=True,
    )


# A Word file's images cannot ride in a form field, so between the two steps the file waits in
# the default storage under IMPORT_PREFIX, named by its SHA-256: the signed token names exactly the
# previewed bytes, and the confirm step runs every check again on them. Through the storage, the
# confirm step may land on another app server than the preview did (object storage, or a shared
# volume); the media view never serves that prefix, and on object storage objects are private.


def _kept_name(digest: str) -> str:
    return f"{IMPORT_PREFIX}{digest}.docx"


def docx_keep(data: bytes) -> str:
    """Keep a previewed Word file until its confirm step; returns its digest. Files older than
    a token are removed on the way (a failure to remove one is not the editor's problem)."""
    _remove_expired()
    digest = hashlib.sha256(data).hexdigest()
    name = _kept_name(digest)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # another request kept the same bytes at the same moment
            default_storage.delete(saved)
    return digest


def _remove_expired() -> None:
    limit = timezone.now() - timedelta(seconds=TOKEN_MAX_AGE)
    try:
        _folders, files = default_storage.listdir(IMPORT_PREFIX.rstrip("/"))
    except (FileNotFoundError, OSError):
        return
    for filename in files:
        name = IMPORT_PREFIX + filename
        try:
            if default_storage.get_modified_time(name) < limit:
                default_storage.delete(name)
        except (FileNotFoundError, OSError):
            continue


def docx_kept(digest: str) -> bytes:
    """The Word file kept under `digest`, or the "expired" ValidationError once removed."""
    if not DIGEST_RE.fullmatch(digest):
        raise _expired()
    try:
        with default_storage.open(_kept_name(digest), "rb") as kept:
            data = kept.read()
    except (FileNotFoundError, OSError):
        raise _expired() from None
    except Exception:  # an object store answers a missing key with its own error
        if default_storage.exists(_kept_name(digest)):
            raise
        raise _expired() from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise _expired()
    return data


def docx_discard(digest: str) -> None:
    """Remove a kept Word file once its draft is made."""
    if DIGEST_RE.fullmatch(digest):
        default_storage.delete(_kept_name(digest))


def _expired() -> ValidationError:
    return ValidationError(
        _("The preview is too old: paste or upload the release again."), code="expired"
    )


def import_token_read(token: str) -> dict:
    """{"text", "filename"} from a token, or a coded ValidationError when it was altered or is
    older than TOKEN_MAX_AGE."""
    try:
        return signing.loads(token, salt=SIGNING_NAMESPACE, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise _expired() from error
    except signing.BadSignature as error:
        raise ValidationError(
            _("The previewed text was altered: paste or upload the release again."),
            code="bad_token",
        ) from error
