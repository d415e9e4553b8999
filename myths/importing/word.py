"""Word (.docx) import: the safety checks first, then mammoth's HTML written as the plain
Markdown-ish text the parser reads, and the embedded images with the caption under each.

Owns only the conversion; the images pass the site's image gate (core/images.py) here, so a
bad image refuses the file at the preview, before anything is written.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import mammoth
from django.core.files.base import ContentFile

from core.images import image_validate_and_clean

from .docx_safety import docx_check
from .patterns import (
    CAPTION_MARK_RE,
    HEADING_RE,
    ITALIC_LINE_RE,
    NUMBERED_HEADING_RE,
    UNNUMBERED_HEADING_RE,
)

IMAGE_SRC = "docx-image-{}"
IMAGE_LINE_RE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\(docx-image-(?P<index>\d+)\)$")
# The credit at the end of a caption: "… Photo: Jane Doe", "… (Credit: NATO)", "… © Jane Doe".
CREDIT_RE = re.compile(
    r"\s*(?:\(\s*)?(?:(?:photo|credit|crédit|фото|foto|bild)\s*:|©)\s*(?P<credit>[^)]+?)\)?\s*$",
    re.IGNORECASE,
)
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li"}


@dataclass
class WordFigure:
    """An image of the file, cleaned by the image gate, and where it goes."""

    claim: int  # the number of "Myth N" headings above it: 0 before the first claim
    image: ContentFile
    alt_text: str
    caption: str = ""
    credit: str = ""
    stored_name: str = ""  # set once the import stored it, to delete it again on a rollback


def docx_read(data: bytes) -> tuple[str, list[WordFigure]]:
    """(the file as text for parse_release, its figures in order). Checks the file with
    docx_safety before mammoth reads it; raises their coded ValidationErrors; writes nothing."""
    docx_check(data)
    images: list[bytes] = []

    def keep(image):
        with image.open() as stream:
            images.append(stream.read())
        return {"src": IMAGE_SRC.format(len(images) - 1)}

    html = mammoth.convert_to_html(
        io.BytesIO(data), convert_image=mammoth.images.img_element(keep)
    ).value
    writer = MarkdownWriter()
    writer.feed(html)
    writer.close()
    return _figures_taken_out(writer.blocks, images)


def _figures_taken_out(blocks: list[str], images: list[bytes]):
    """Remove each image line and the caption paragraph under it from the text; they become
    figures, numbered by the claim heading they sit under."""
    kept, figures, claim = [], [], 0
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if any(r.match(block) for r in (HEADING_RE, UNNUMBERED_HEADING_RE, NUMBERED_HEADING_RE)):
            claim += 1
        image = IMAGE_LINE_RE.match(block)
        if not image:
            kept.append(block)
            continue
        raw = images[int(image.group("index"))]
        cleaned = image_validate_and_clean(ContentFile(raw, name=f"word-{len(figures) + 1}"))
        figure = WordFigure(claim=claim, image=cleaned, alt_text=image.group("alt"))
        if index < len(blocks) and _is_caption(blocks[index]):
            figure.caption, figure.credit = caption_split(blocks[index])
            index += 1
        figures.append(figure)
    return "\n\n".join(kept) + "\n", figures


def _is_caption(block: str) -> bool:
    return bool(
        ITALIC_LINE_RE.fullmatch(block) or CAPTION_MARK_RE.search(block) or CREDIT_RE.search(block)
    )


def caption_split(line: str) -> tuple[str, str]:
    """("caption", "credit") from a caption line: its italics dropped, the credit at its end
    ("Photo: …", "(Credit: …)", "© …") taken off."""
    text = line.strip()
    if ITALIC_LINE_RE.fullmatch(text):
        text = text[1:-1].strip()
    text = re.sub(r"^([*_])(.+?)\1", r"\2", text)  # an italic caption followed by its credit
    credit = CREDIT_RE.search(text)
    if not credit:
        return text, ""
    return text[: credit.start()].strip(), credit.group("credit").strip()


class MarkdownWriter(HTMLParser):
    """mammoth's HTML (p, h1-h6, strong, em, a, ul/ol/li, img, br) as Markdown blocks, text kept
    as written: no backslash escapes, which the parser would read as part of a title or an
    e-mail address."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.lists: list[list] = []  # per open list: [ordered, next number]
        self.href: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 1])
        elif tag == "li" and self.lists:
            ordered, number = self.lists[-1]
            self.lists[-1][1] += 1
            indent = "  " * (len(self.lists) - 1)
            self.current.append(f"{indent}{number}. " if ordered else f"{indent}- ")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.current.append("#" * int(tag[1]) + " ")
        elif tag == "strong":
            self.current.append("**")
        elif tag == "em":
            self.current.append("*")
        elif tag == "a":
            self.href.append(attributes.get("href") or "")
            self.current.append("[")
        elif tag == "img":
            self._flush()
            self.blocks.append(f"![{attributes.get('alt') or ''}]({attributes.get('src')})")
        elif tag == "br":
            self.current.append("\n")

    def handle_endtag(self, tag):
        if tag == "strong":
            self.current.append("**")
        elif tag == "em":
            self.current.append("*")
        elif tag == "a" and self.href:
            self.current.append(f"]({self.href.pop()})")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in BLOCK_TAGS:
            self._flush(joined=tag == "li" and bool(self.lists))

    def handle_data(self, data):
        self.current.append(data)

    def _flush(self, joined: bool = False):
        text = "".join(self.current).strip()
        self.current = []
        if not text.strip("-#*0123456789. "):
            return
        # List items stay together: one block of lines, as a text file writes a list.
        if joined and self.blocks and re.match(r"^\s*(-|\d+\.) ", self.blocks[-1]):
            self.blocks[-1] += "\n" + text
        else:
            self.blocks.append(text)
