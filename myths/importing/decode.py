"""Bytes to text for the importer: file name, size, encoding and "is this text at all" checks.

Every refusal is a coded ValidationError: extension, too_large, empty, binary, encoding.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMPORT_BYTES = 1_000_000  # a long release is ~30 kB; anything near 1 MB is not a release
ALLOWED_EXTENSIONS = (".txt", ".md", ".markdown", ".docx")

# File signatures of things people upload by mistake instead of a text file.
BINARY_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"RIFF": "a RIFF file (WebP image or audio)",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"{\\rtf": "an RTF document",
}
# Byte-order marks and the codec each announces. UTF-32 first: its little-endian BOM begins
# with UTF-16's.
BOM_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in order on bytes without a BOM; cp1252 only when no byte is undefined in it.
FALLBACK_ENCODINGS = ("utf-8", "cp1252")
# Control characters that never occur in a text file (tab, newlines and form feed are fine).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def check_filename(filename: str) -> None:
    """Refuse a file whose name says it is not text (an empty name is not checked)."""
    if filename and not filename.lower().endswith(ALLOWED_EXTENSIONS):
        raise ValidationError(
            _("Only .txt, .md and .docx files can be imported, not “%(name)s”.")
            % {"name": filename},
            code="extension",
        )


def decode_release_bytes(data: bytes | str) -> str:
    """Bytes (or text) to text with Unix newlines, or a coded ValidationError.

    Accepted: UTF-8 with or without BOM, UTF-16/UTF-32 with BOM, and cp1252 only when the bytes
    decode without an undefined byte. Refused: empty input, more than MAX_IMPORT_BYTES, NUL bytes,
    control characters and the signatures of images, PDFs and archives.
    """
    if isinstance(data, str):
        if len(data.encode("utf-8", "surrogatepass")) > MAX_IMPORT_BYTES:
            raise _too_large()
        text = data
    else:
        if len(data) > MAX_IMPORT_BYTES:
            raise _too_large()
        text = _decode(bytes(data))
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\x00" in text or CONTROL_RE.search(text):
        raise ValidationError(
            _("This is not a text file: it contains control characters (NUL or similar)."),
            code="binary",
        )
    if not text.strip():
        raise empty_file_error()
    return text


def _decode(data: bytes) -> str:
    if not data.strip():
        raise empty_file_error()
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ValidationError(
                _("This is not a text file: it looks like %(kind)s.") % {"kind": kind},
                code="binary",
            )
    for bom, encoding in BOM_ENCODINGS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise _unreadable() from error
    if b"\x00" in data:
        raise ValidationError(
            _("This is not a text file: it contains NUL bytes (UTF-16 without a BOM is refused)."),
            code="binary",
        )
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable()


def empty_file_error() -> ValidationError:
    return ValidationError(_("The file is empty: there is no text to import."), code="empty")


def _too_large() -> ValidationError:
    return ValidationError(
        _("The file is too large to be a release: the limit is %(limit)s kB.")
        % {"limit": MAX_IMPORT_BYTES // 1000},
        code="too_large",
    )


def _unreadable() -> ValidationError:
    return ValidationError(
        _(
            "The file's encoding could not be read. Save it as UTF-8 (or UTF-16 with a BOM, "
            "or Windows-1252) and try again."
        ),
        code="encoding",
    )
