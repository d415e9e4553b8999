"""Issue 12, item 4 (groundwork): hostile Word files are refused, with a code, before any
parser reads them. Files are built here by zipping XML, so the fixtures stay small."""

import io
import random
import zipfile

import pytest
from django.core.exceptions import ValidationError

from myths.importing.docx_safety import MAX_IMAGE_BYTES, docx_check

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    '{kind}"/></Types>'
)
DOCUMENT = '<?xml version="1.0"?><w:document xmlns:w="x"><w:body/></w:document>'
PLAIN = "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def docx(parts: dict[str, bytes | str] | None = None, kind: str = PLAIN) -> bytes:
    files = {"[Content_Types].xml": CONTENT_TYPES.format(kind=kind), "word/document.xml": DOCUMENT}
    files.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        docx_check(data)
    return caught.value.code


def test_a_plain_docx_passes():
    docx_check(docx())


def test_not_a_zip():
    assert refused(b"plain text") == "not_docx"


def test_zip_bomb():
    assert refused(docx({"word/bomb.xml": b"<a>" + b" " * 20_000_000 + b"</a>"})) == "zip_bomb"


def test_external_entity():
    xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    assert refused(docx({"word/document.xml": xxe})) == "xml_doctype"


def test_macro_enabled_content_type():
    assert refused(docx(kind="vnd.ms-word.document.macroEnabled.main+xml")) == "macro_enabled"


def test_macro_project_part():
    assert refused(docx({"word/vbaProject.bin": b"\x00" * 10})) == "macro_enabled"


def test_oversized_image():
    # Incompressible, so it is no bomb; seeded, so the test repeats (not cryptography).
    image = random.Random(12).randbytes(MAX_IMAGE_BYTES + 1)  # noqa: S311
    assert refused(docx({"word/media/image1.png": image})) == "image_too_large"
