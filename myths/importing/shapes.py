"""What the parser returns: plain dataclasses describing a release read from text.

No database: `release_import` turns them into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contacts.models import SocialHandle


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


@dataclass
class ParsedContact:
    office_line: str = ""
    division: str = ""
    section: str = ""
    phone: str = ""
    email: str = ""
    handle: str = ""
    network: str = SocialHandle.Network.X
    website: str = ""


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
