"""The pure parser: text in, a ParsedRelease out, no database.

It reads a title, an optional lede, numbered claim headings ("Myth 1: …", "Mythe 1 : …", "Idée
reçue n° 1 :", "Миф 1: …", "Міф 1: …", "Mythos 1:", "Mito 1:", "Myth #1", "1. Myth: …"), response
paragraphs, photo captions on their own lines, links, and the closing matter (contact_block.py).

Photo captions: a Figure needs an image, and a text file has none. So a caption stays in the
response's Markdown, where the photo was, as a paragraph of its own in italics (`*caption*`); the
import summary lists them so the editor knows to attach the photos as figures of that response
and move each caption into the figure.

Refusals are ValidationErrors raised here with the codes empty, no_claims, too_many_claims,
no_title, title_too_long, lede_too_long, empty_claim, claim_too_long, duplicate_claim and
empty_response.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Claim, Release, normalise_wording
from .contact_block import parse_closing_matter
from .decode import empty_file_error
from .front_matter import read_dateline, read_embargo
from .links import sources
from .patterns import (
    CAPTION_MARK_RE,
    CAPTION_MAX_CHARS,
    CAPTION_MAX_WORDS,
    EMAIL_LINE_RE,
    FINAL_PUNCTUATION,
    FOLLOW_LINE_RE,
    HEADING_KEYWORDS,
    HEADING_RE,
    ITALIC_LINE_RE,
    LIST_OR_HEADING_RE,
    MARKDOWN_IMAGE_RE,
    MORE_INFO_RE,
    NUMBERED_HEADING_RE,
    OFFICE_SPLIT_RE,
    PHONE_LINE_RE,
    QUOTE_PAIRS,
    ROLE_WORDS,
    SEPARATOR_RE,
    SPOKESPERSON_LINE_RE,
    TWO_SENTENCES_RE,
    UNNUMBERED_HEADING_RE,
)
from .shapes import LineWarning, ParsedClaim, ParsedRelease

MAX_CLAIMS = 100
MORE_INFO_BLOCK_MAX_CHARS = 400  # a longer block that starts like one is a paragraph
OFFICE_LINE_MAX_CHARS = 200


@dataclass
class Block:
    """A paragraph of the file: lines between blank lines, and how many blank lines preceded it."""

    lines: list[str]
    line: int  # 1-based number of its first line in the file
    gap: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Heading:
    """A claim heading: the first line of a block."""

    index: int  # of its block
    number: int
    keyword: str
    wording: str  # "" when the wording is on the next line


def parse_release(text: str) -> ParsedRelease:
    """Read a release from text: a title, an optional lede, numbered claims, then closing matter.

    Pure: no database. Raises a coded ValidationError when there is no title, no claim, a claim
    without wording or without response, or a value longer than its field allows.
    """
    blocks = split_blocks(text)
    warnings: list[str] = []
    embargo_until = _embargo(blocks, warnings)
    if not blocks:
        raise empty_file_error()
    headings = _headings(blocks)
    title = _title(blocks[0])
    dateline_place, issued_on, lede = read_dateline(_lede(blocks, headings[0].index))
    footer = _footer_start(blocks, headings[-1].index + 1)
    claims = _claims(blocks, headings, footer, _typical_gap(blocks), warnings)
    warnings.extend(_numbering_warnings(claims))
    footer_lines = [line for block in blocks[footer:] for line in block.lines]
    numbers = [block.line + i for block in blocks[footer:] for i in range(len(block.lines))]
    more_info_url, more_info_label, contact = parse_closing_matter(footer_lines, warnings, numbers)
    return ParsedRelease(
        title=title,
        lede=lede,
        language=_language(headings),
        claims=claims,
        more_info_url=more_info_url,
        more_info_label=more_info_label,
        contact=contact,
        warnings=warnings,
        embargo_until=embargo_until,
        dateline_place=dateline_place[: Release._meta.get_field("dateline_place").max_length],
        issued_on=issued_on,
    )


def _embargo(blocks: list[Block], warnings: list[str]):
    """Take an embargo line off the top of the file: its time, or None (then a warning when the
    line gives no time that can be read)."""
    if not blocks:
        return None
    found, until = read_embargo(blocks[0].lines[0])
    if not found:
        return None
    first = blocks[0]
    if len(first.lines) == 1:
        del blocks[0]
    else:
        blocks[0] = Block(first.lines[1:], first.line + 1, first.gap)
    if until is None:
        warnings.append(
            LineWarning(
                _(
                    "Line %(line)s: the embargo line gives no time that could be read; set the "
                    "publish time."
                )
                % {"line": first.line},
                first.line,
            )
        )
    return until


# --- Blocks and headings -------------------------------------------------------------------------


def split_blocks(text: str) -> list[Block]:
    """The file's paragraphs, without thematic breaks ("---")."""
    blocks, current, gap, start = [], [], 0, 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            if current:
                blocks.append(Block(current, start, gap))
                current, gap = [], 0
            gap += 1
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(Block(current, start, gap))
    return [b for b in blocks if not SEPARATOR_RE.match(b.text)]


def _typical_gap(blocks: list[Block]) -> int:
    gaps = Counter(block.gap for block in blocks[1:])
    return gaps.most_common(1)[0][0] if gaps else 1


def match_heading(line: str) -> tuple[int, str, str] | None:
    """(number, keyword, wording) if the line is a claim heading, else None."""
    line = line.strip()
    for regex in (NUMBERED_HEADING_RE, HEADING_RE, UNNUMBERED_HEADING_RE):
        match = regex.match(line)
        if not match:
            continue
        if regex is UNNUMBERED_HEADING_RE:  # numbered by position in _headings
            return 0, match.group("keyword"), match.group("wording").strip()
        wording = match.group("wording").strip()
        # "Myth 1" alone is a heading whose wording follows; "Myth 1 is …" is a sentence.
        if regex is HEADING_RE and not match.group("sep") and wording:
            continue
        return int(match.group("number")), match.group("keyword"), wording
    return None


def _headings(blocks: list[Block]) -> list[Heading]:
    """The claim headings (first lines of blocks); refuses none, too many, or no title above."""
    headings = [
        Heading(index, *found)
        for index, block in enumerate(blocks)
        if (found := match_heading(block.lines[0]))
    ]
    for position, heading in enumerate(headings, start=1):
        heading.number = heading.number or position  # "Myth: …" headings have no number
    if not headings:
        raise ValidationError(
            _(
                "No claims found: each claim needs a numbered heading on its own line, such as "
                "“Myth 1: …”, “Mythe 1 : …”, “Миф 1: …” or “Міф 1: …”."
            ),
            code="no_claims",
        )
    if len(headings) > MAX_CLAIMS:
        raise ValidationError(
            _("The file has %(count)s claims; a release holds at most %(max)s.")
            % {"count": len(headings), "max": MAX_CLAIMS},
            code="too_many_claims",
        )
    if headings[0].index == 0:
        raise ValidationError(
            _("No title: the first line of the file must be the release's title, not a claim."),
            code="no_title",
        )
    return headings


def _language(headings: list[Heading]) -> str:
    """The language of most headings' keywords."""
    languages = Counter(HEADING_KEYWORDS[" ".join(h.keyword.split()).lower()] for h in headings)
    return languages.most_common(1)[0][0]


# --- Title and lede ------------------------------------------------------------------------------


def _title(block: Block) -> str:
    title = re.sub(r"^#+\s*", "", block.lines[0].strip()).strip("*_ ").strip()
    if not title:
        raise ValidationError(_("No title: the first line of the file is empty."), code="no_title")
    max_length = Release._meta.get_field("title").max_length
    if len(title) > max_length:
        raise ValidationError(
            _(
                "No title: the first line is %(length)s characters long; a title has at most "
                "%(max)s. Put the title on a line of its own."
            )
            % {"length": len(title), "max": max_length},
            code="title_too_long",
        )
    return title


def _lede(blocks: list[Block], first_heading: int) -> str:
    """The title block's other lines and the blocks before the first claim."""
    title_block = blocks[0]
    parts = ["\n".join(title_block.lines[1:])] if len(title_block.lines) > 1 else []
    parts += [b.text for b in blocks[1:first_heading]]
    lede = "\n\n".join(p.strip() for p in parts if p.strip())
    max_length = Release._meta.get_field("lede").max_length
    if len(lede) > max_length:
        raise ValidationError(
            _(
                "The text between the title and the first claim (the lede) is %(length)s "
                "characters long; a lede has at most %(max)s."
            )
            % {"length": len(lede), "max": max_length},
            code="lede_too_long",
        )
    return lede


# --- Claims --------------------------------------------------------------------------------------


def _claims(
    blocks: list[Block], headings: list[Heading], footer: int, typical_gap: int, warnings
) -> list[ParsedClaim]:
    claims: list[ParsedClaim] = []
    seen: dict[str, int] = {}  # normalised wording → claim number
    for position, heading in enumerate(headings):
        end = headings[position + 1].index if position + 1 < len(headings) else footer
        block = blocks[heading.index]
        wording, rest, body_blocks = _wording(heading, block, blocks[heading.index + 1 : end])
        _check_wording(wording, heading.number, block.line, seen)
        claim = ParsedClaim(number=heading.number, wording=wording, line=block.line)
        _read_response(claim, rest, body_blocks, typical_gap)
        warnings.extend(claim.image_warnings)
        claim.sources, skipped = sources("\n\n".join(claim.paragraphs))
        warnings.extend(
            LineWarning(
                _(
                    "Claim %(number)s: the link “%(link)s” has no web address; fix it in the "
                    "response."
                )
                % {"number": heading.number, "link": text_or_url},
                _line_of(text_or_url, body_blocks, block.line),
            )
            for text_or_url in skipped
        )
        claims.append(claim)
    return claims


def _line_of(needle: str, blocks: list[Block], default: int) -> int:
    """The number of the first line of `blocks` that contains `needle`, else `default`."""
    for block in blocks:
        for offset, line in enumerate(block.lines):
            if needle in line:
                return block.line + offset
    return default


def _wording(heading: Heading, block: Block, body_blocks: list[Block]):
    """(cleaned wording, the heading block's other lines, the response's blocks).

    "Myth 1" on its own: the wording is the next line, of the same block or a block of one line.
    """
    wording, rest = heading.wording, block.lines[1:]
    if not wording:
        if rest:
            wording, rest = rest[0], rest[1:]
        elif body_blocks and len(body_blocks[0].lines) == 1:
            wording, body_blocks = body_blocks[0].text, body_blocks[1:]
    return clean_wording(wording), rest, body_blocks


def clean_wording(wording: str) -> str:
    """The wording without emphasis, closing heading marks, enclosing quotes or extra spaces."""
    wording = wording.strip().strip("*_").strip()
    # Closing ATX heading marks ("## Myth 1: … ##") and the spaces before them. Not the pattern
    # \s*#+$, which retries from every space of a long run (quadratic).
    if (unmarked := wording.rstrip("#")) != wording:
        wording = unmarked.rstrip()
    if len(wording) > 1 and QUOTE_PAIRS.get(wording[0]) == wording[-1]:
        wording = wording[1:-1].strip()
    return " ".join(wording.split())


def _check_wording(wording: str, number: int, line: int, seen: dict[str, int]) -> None:
    if not wording:
        raise ValidationError(
            _("Claim %(number)s (line %(line)s) has a heading but no wording.")
            % {"number": number, "line": line},
            code="empty_claim",
        )
    max_length = Claim._meta.get_field("wording").max_length
    if len(wording) > max_length:
        raise ValidationError(
            _("Claim %(number)s (line %(line)s) is %(length)s characters long; at most %(max)s.")
            % {"number": number, "line": line, "length": len(wording), "max": max_length},
            code="claim_too_long",
        )
    key = normalise_wording(wording)
    if key in seen:
        raise ValidationError(
            _("Claims %(first)s and %(second)s state the same claim: “%(wording)s”.")
            % {"first": seen[key], "second": number, "wording": wording},
            code="duplicate_claim",
        )
    seen[key] = number


def _read_response(
    claim: ParsedClaim, rest: list[str], body_blocks: list[Block], typical_gap: int
) -> None:
    """Fill the claim's paragraphs, captions and Markdown body; refuse a response without text."""
    parts: list[str] = []
    if rest:
        paragraph = "\n".join(rest).strip()
        claim.paragraphs.append(paragraph)
        parts.append(paragraph)
    after_caption = False
    for body_block in body_blocks:
        if image := MARKDOWN_IMAGE_RE.match(body_block.text):
            # A text file carries no image: the editor attaches it as a figure.
            message = _(
                "Line %(line)s: the image “%(src)s” is not in the text: attach it as a "
                "figure of claim %(number)s, with its caption and credit."
            ) % {"line": body_block.line, "src": image.group("src"), "number": claim.number}
            claim.image_warnings.append(LineWarning(message, body_block.line))
            continue
        after_caption = is_caption(body_block, typical_gap, after_caption=after_caption)
        text = body_block.text.strip()
        if after_caption:
            claim.captions.append(text.strip("*_") if text[0] in "*_" else text)
            parts.append(caption_markdown(text))
        else:
            claim.paragraphs.append(text)
            parts.append(text)
    if not claim.paragraphs:
        raise ValidationError(
            _("Claim %(number)s (“%(wording)s”, line %(line)s) has no response text.")
            % {"number": claim.number, "wording": claim.wording, "line": claim.line},
            code="empty_response",
        )
    claim.body = "\n\n".join(parts)


def _numbering_warnings(claims: list[ParsedClaim]) -> list[str]:
    numbers = [claim.number for claim in claims]
    if numbers == list(range(1, len(claims) + 1)):
        return []
    return [
        _(
            "The claims are numbered %(numbers)s; they were imported in the file's order, "
            "1 to %(n)s."
        )
        % {"numbers": ", ".join(map(str, numbers)), "n": len(claims)}
    ]


# --- Photo captions ------------------------------------------------------------------------------


def is_caption(block: Block, typical_gap: int, *, after_caption: bool = False) -> bool:
    """A short line on its own between paragraphs, where a photo stood in the original.

    Short (at most CAPTION_MAX_CHARS characters and CAPTION_MAX_WORDS words), one line, one
    sentence at most, no link; and either without final punctuation, set off by more blank lines
    than the file's usual paragraph gap (the space a removed photo leaves), or wholly in italics.
    The gap after a caption is the photo's space too, so it does not make the next line a caption.
    """
    if len(block.lines) != 1:
        return False
    line = block.lines[0].strip()
    if ITALIC_LINE_RE.fullmatch(line):
        return True
    if len(line) <= CAPTION_MAX_CHARS and CAPTION_MARK_RE.search(line):
        return True
    if len(line) > CAPTION_MAX_CHARS or len(line.split()) > CAPTION_MAX_WORDS:
        return False
    if LIST_OR_HEADING_RE.match(line) or "](" in line or "://" in line:
        return False
    if TWO_SENTENCES_RE.search(line):  # two sentences: a paragraph
        return False
    if line.endswith(":"):  # introduces a list
        return False
    return line[-1] not in FINAL_PUNCTUATION or (block.gap > typical_gap and not after_caption)


def caption_markdown(line: str) -> str:
    """The caption as an italic Markdown paragraph (already italic lines are kept)."""
    line = line.strip()
    if ITALIC_LINE_RE.fullmatch(line):
        return line
    return "*" + re.sub(r"([*_\\])", r"\\\1", line) + "*"


# --- Where the closing matter starts -------------------------------------------------------------


def _footer_start(blocks: list[Block], first: int) -> int:
    """Index of the first block of the closing matter (more-information link, contact block)."""
    for index in range(first, len(blocks)):
        first_line = blocks[index].lines[0].strip()
        is_more_info = (
            MORE_INFO_RE.match(first_line) and len(blocks[index].text) <= MORE_INFO_BLOCK_MAX_CHARS
        )
        is_contact = any(
            regex.match(first_line) for regex in (PHONE_LINE_RE, EMAIL_LINE_RE, FOLLOW_LINE_RE)
        )
        if is_contact:
            # The office line and a spokesperson sit right above "Tel.:", in the contact block.
            start = index
            while start - 1 > first and start > index - 3 and _is_office_line(blocks[start - 1]):
                start -= 1
            return start
        if is_more_info:
            return index
    return len(blocks)


def _is_office_line(block: Block) -> bool:
    """A short line without final punctuation naming the office ("A – B") or a spokesperson
    ("Jane Smith, Head of Media")."""
    if len(block.lines) != 1:
        return False
    text = block.text.strip()
    if len(block.text) > OFFICE_LINE_MAX_CHARS or text[-1] in ".!?":
        return False
    spokesperson = SPOKESPERSON_LINE_RE.match(text)
    return bool(OFFICE_SPLIT_RE.search(text)) or bool(
        spokesperson and any(word in spokesperson.group("role").lower() for word in ROLE_WORDS)
    )
