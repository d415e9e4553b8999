"""A Word release built in the test with python-docx: title, lede, two claims with bold, italic
and a link, two images each with its caption and credit under it, and a contact block."""

import io

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

LINK = "https://www.water.example/lock-survey"


def png(colour: str, size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def add_link(paragraph, text: str, url: str) -> None:
    """python-docx has no hyperlink API: a w:hyperlink run pointing at an external relationship."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def add_image(document, data: bytes, alt: str) -> None:
    shape = document.add_picture(io.BytesIO(data))
    shape._inline.docPr.set("descr", alt)


def word_release() -> bytes:
    document = docx.Document()
    document.add_paragraph("Two myths about the flood barrier")
    document.add_paragraph("The Ministry of Water answers the claims made about the barrier.")
    document.add_paragraph("Myth 1: The barrier was never tested")
    body = document.add_paragraph("The barrier was ")
    body.add_run("tested twice").bold = True
    body.add_run(" before it opened, as the ")
    add_link(body, "survey report", LINK)
    body.add_run(" shows.")
    add_image(document, png("navy"), "Divers beside the lower gate")
    document.add_paragraph("Divers inspect the lower gate. Photo: Jane Doe / Ministry of Water")
    document.add_paragraph("Myth 2: The barrier floods the farms upstream")
    second = document.add_paragraph("No farm upstream has flooded ")
    second.add_run("since the barrier opened").italic = True
    second.add_run(".")
    add_image(document, png("green"), "Fields upstream of the barrier")
    document.add_paragraph("The fields upstream in March © John Roe")
    document.add_paragraph("The barrier is inspected every spring.")
    for line in (
        "Ministry of Water – Press Office",
        "Tel.: +44 20 7946 0000",
        "E-mail: press@water.example",
    ):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
