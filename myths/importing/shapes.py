"""What the parser returns: plain dataclasses describing a release read from text.

No database: `release_import` turns them into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


class LineWarning(str):
    """A warning that knows the line of the text that caused it (1-based; None when it is about
    the whole text), so the preview can show it beside that line. Otherwise a plain string."""

    line: int | None

    def __new__(cls, message: str, line: int | None = None):
        warning = super().__new__(cls, message)
        warning.line = line
        return warning


@dataclass
class ParsedSource:
    url: str
    title: str = ""


@dataclass
class ParsedClaim:
    number: int
    wording: str
    line: int
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    sources: list[ParsedSource] = field(default_factory=list)
    # The response as Markdown: paragraphs and italic caption lines, in the file's order.
    body: str = ""
    # Markdown images the text pointed to: a caption without its figure, for the editor.
    image_warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedContact:
    """The contact block as the text gives it: a field the text does not state stays empty."""

    office_line: str = ""
    organisation: str = ""
    division: str = ""
    section: str = ""
    spokesperson: str = ""
    spokesperson_role: str = ""
    # (label as written or "", number as written), in the text's order.
    phones: list[tuple[str, str]] = field(default_factory=list)
    email: str = ""
    # (network or "" when the text does not name it, handle), in the text's order.
    handles: list[tuple[str, str]] = field(default_factory=list)
    website: str = ""

    @property
    def phone(self) -> str:
        """The first number, the one contacts are matched by."""
        return self.phones[0][1] if self.phones else ""


@dataclass
class ParsedRelease:
    title: str
    lede: str
    language: str
    claims: list[ParsedClaim]
    more_info_url: str = ""
    more_info_label: str = ""
    contact: ParsedContact | None = None
    warnings: list[str] = field(default_factory=list)
    # From an embargo line above the title: the proposed publish time (aware), or None.
    embargo_until: datetime | None = None
    # From a dateline opening the lede: its place as written and its date.
    dateline_place: str = ""
    issued_on: date | None = None
    # From a Word file: its images (word.WordFigure), cleaned, with the caption under each.
    figures: list = field(default_factory=list)
