"""The checks a Word file passes before any library parses it (issue 12, item 4): a zip bomb,
XML with a document type or entities, a macro-enabled document renamed .docx, an oversized
image. Pure: bytes in, a coded ValidationError out, nothing written.

Only the zip directory and the XML parts' bytes are read (zipfile, in bounded chunks); the
conversion itself (mammoth) comes after, and only for a file that passed.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_DOCX_BYTES = 10_000_000  # the file as uploaded
MAX_UNCOMPRESSED_BYTES = 50_000_000  # all its parts together, once unzipped
MAX_RATIO = 100  # uncompressed / compressed, per part: text compresses ~5-10×, a bomb ~1000×
MAX_PARTS = 1_000
MAX_IMAGE_BYTES = 5_000_000
DOCTYPE_RE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
MACRO_CONTENT_TYPE = b"application/vnd.ms-word.document.macroEnabled"
CHUNK = 64 * 1024


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def docx_check(data: bytes) -> None:
    """Refuse a Word file that is not a plain .docx or could exhaust the server.

    Codes: "not_docx" (not a zip / no document), "zip_bomb" (too many parts, too large once
    unzipped, or compressed too well), "xml_doctype" (a DTD or entity in any XML part),
    "macro_enabled" (a .docm renamed), "image_too_large".
    """
    if len(data) > MAX_DOCX_BYTES:
        raise _refuse(_("The Word file is larger than 10 MB."), "too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise _refuse(_("This is not a Word (.docx) file."), "not_docx") from error
    with archive:
        infos = archive.infolist()
        _check_sizes(infos)
        names = {info.filename for info in infos}
        if "word/document.xml" not in names:
            raise _refuse(_("This is not a Word (.docx) file."), "not_docx")
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise _refuse(_macro_message(), "macro_enabled")
        for info in infos:
            _check_part(archive, info)


def _check_sizes(infos) -> None:
    if len(infos) > MAX_PARTS:
        raise _refuse(_("The Word file has too many parts to be a release."), "zip_bomb")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(_("The Word file would be too large once unpacked."), "zip_bomb")
    for info in infos:
        if info.file_size > CHUNK and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(_("The Word file is compressed suspiciously well."), "zip_bomb")


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    name = info.filename.lower()
    if name.startswith("word/media/"):
        if info.file_size > MAX_IMAGE_BYTES:
            raise _refuse(
                _("An image in the Word file is larger than 5 MB: %(name)s.")
                % {"name": info.filename},
                "image_too_large",
            )
        return
    if not (name.endswith((".xml", ".rels"))):
        return
    read, tail = 0, b""
    # Read in chunks and stop at the declared size: a part that lies about its size is cut.
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            read += len(chunk)
            if read > info.file_size or DOCTYPE_RE.search(tail + chunk):
                raise _refuse(
                    _("The Word file contains a document type or entity declaration."),
                    "xml_doctype",
                )
            if name == "[content_types].xml" and MACRO_CONTENT_TYPE in (tail + chunk):
                raise _refuse(_macro_message(), "macro_enabled")
            tail = chunk[-64:]


def _macro_message() -> str:
    return _("The Word file contains macros (a .docm renamed): save it as a plain .docx.")
