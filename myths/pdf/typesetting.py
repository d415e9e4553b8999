"""What the PDF does to a release's HTML before layout: sure hyphenation points and link notes.

Hyphenation is decided here, not by WeasyPrint's `hyphens: auto`, because the PDF must hyphenate
only where it is sure (issue 13): a word of 7 letters or more, in lower case or capitalised as a
sentence starts, that is no part of a link, an e-mail address, a compound with its own hyphen or
a name in capitals, and only at a point every dictionary of the language agrees on, with three
letters at least on each side. Those points become soft hyphens and the stylesheet says
`hyphens: manual`, so layout breaks nowhere else.

An inline link prints its text with a superscript number; the addresses are listed, numbered,
at the end of the release (a reader of paper cannot follow a link).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyphen

SOFT_HYPHEN = "\xad"
MIN_WORD_LETTERS = 7
MIN_LETTERS_BESIDE_BREAK = 3

# Elements whose text is never hyphenated: links (an address or a name), code, and anything
# already marked as not to be hyphenated.
UNHYPHENATED_ELEMENTS = {"a", "code", "pre", "kbd", "samp", "abbr", "sup"}
TAG_RE = re.compile(r"(<[^>]*>)")
TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
TOKEN_RE = re.compile(r"\S+")
LETTERS_RE = re.compile(r"[^\W\d_]+")
# A token that is (or holds) an address, a compound with its own hyphen, a number or an entity:
# left whole.
UNBREAKABLE_TOKEN_RE = re.compile(r"[@/\\:&#_=+\d\-\u2010\u2011]|\w\.\w")


@cache
def _dictionaries(language: str) -> tuple[pyphen.Pyphen, ...]:
    """Every distinct pyphen dictionary of `language`'s primary subtag (en: British and
    American; de: Germany, Austria, Switzerland), or none if pyphen has none."""
    primary = (language or "").split("-")[0].split("_")[0].lower()
    paths = {}
    for code, path in pyphen.LANGUAGES.items():
        if code.split("_")[0].lower() == primary:
            paths.setdefault(Path(str(path)).resolve(), code)
    return tuple(
        pyphen.Pyphen(lang=code, left=MIN_LETTERS_BESIDE_BREAK, right=MIN_LETTERS_BESIDE_BREAK)
        for code in sorted(paths.values())
    )


def sure_break_points(word: str, language: str) -> list[int]:
    """The positions inside `word` where every dictionary of `language` allows a break, with
    at least three letters either side; none for a word the PDF never hyphenates."""
    if len(word) < MIN_WORD_LETTERS or not _may_hyphenate(word):
        return []
    dictionaries = _dictionaries(language)
    if not dictionaries:
        return []
    points = set(dictionaries[0].positions(word))
    for dictionary in dictionaries[1:]:
        points &= set(dictionary.positions(word))
    points = sorted(
        point
        for point in points
        if MIN_LETTERS_BESIDE_BREAK <= point <= len(word) - MIN_LETTERS_BESIDE_BREAK
    )
    # A run of one-letter syllables ("Zusam-me-n-a-r-beit") is the patterns guessing, not a
    # dictionary being sure: such points are dropped.
    bounds = [0, *points, len(word)]
    return [
        point
        for before, point, after in zip(bounds, bounds[1:], bounds[2:], strict=False)
        if point - before >= 2 and after - point >= 2
    ]


def _may_hyphenate(word: str) -> bool:
    """Lower case, or capitalised only on its first letter (a sentence's first word, a German
    noun); never a name in capitals (NATO, ZAPAD) nor one with inner capitals (McAllister)."""
    return word[1:] == word[1:].lower() and not word.isupper()


def hyphenate_word(word: str, language: str) -> str:
    points = sure_break_points(word, language)
    if not points:
        return word
    pieces, start = [], 0
    for point in points:
        pieces.append(word[start:point])
        start = point
    pieces.append(word[start:])
    return SOFT_HYPHEN.join(pieces)


def _hyphenate_token(token: str, language: str) -> str:
    if UNBREAKABLE_TOKEN_RE.search(token):
        return token
    return LETTERS_RE.sub(lambda match: hyphenate_word(match.group(), language), token)


def _hyphenate_text(text: str, language: str) -> str:
    return TOKEN_RE.sub(lambda match: _hyphenate_token(match.group(), language), text)


def hyphenate_html(fragment: str, language: str) -> str:
    """`fragment` (sanitised HTML) with soft hyphens at the sure points of its words, outside
    links, code and the other elements in UNHYPHENATED_ELEMENTS."""
    if not fragment or not _dictionaries(language):
        return fragment
    out, closed_depth = [], 0
    for part in TAG_RE.split(fragment):
        if part.startswith("<"):
            match = TAG_NAME_RE.match(part)
            if match and match.group(2).lower() in UNHYPHENATED_ELEMENTS:
                closing = bool(match.group(1))
                if closing:
                    closed_depth = max(0, closed_depth - 1)
                elif not part.rstrip().endswith("/>"):
                    closed_depth += 1
            out.append(part)
        elif closed_depth:
            out.append(part)
        else:
            out.append(_hyphenate_text(part, language))
    return "".join(out)


# --- Link notes ---------------------------------------------------------------------------------

LINK_RE = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S | re.I)
HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
NOTED_SCHEMES = ("http://", "https://", "mailto:")


# A piece of an address longer than this may break anywhere rather than run off the page.
LONGEST_UNBROKEN_PIECE = 60


def breakable_address(address: str) -> str:
    """`address` (a URL or an e-mail address) as HTML that breaks only after a / or a . (never
    at a hyphen, never with one added): each piece between them is kept whole."""
    pieces = [piece for piece in re.split(r"(?<=[/.])(?=[^/.])", address) if piece]
    return "<wbr>".join(
        f'<span class="nobr">{html.escape(piece)}</span>'
        if len(piece) <= LONGEST_UNBROKEN_PIECE
        else html.escape(piece)
        for piece in pieces
    )


@dataclass(frozen=True)
class LinkNote:
    number: int
    href: str
    address: str  # as printed: the URL, or the e-mail address of a mailto: link

    @property
    def breakable_html(self) -> str:
        return breakable_address(self.address)


def _shown_address(href: str) -> str:
    return href[len("mailto:") :] if href.lower().startswith("mailto:") else href


def _already_printed(text: str, address: str) -> bool:
    """True when the link's text is its address (give or take the scheme and a final /)."""

    def bare(value: str) -> str:
        value = re.sub(r"^(https?://|mailto:)", "", value.strip(), flags=re.I)
        return value.removeprefix("www.").rstrip("/").lower()

    return bare(html.unescape(re.sub(r"<[^>]+>", "", text))) == bare(address)


class LinkNotes:
    """Numbers the inline links of the fragments given to `annotate`, in reading order; the
    same address keeps its first number."""

    def __init__(self):
        self.notes: list[LinkNote] = []
        self._numbers: dict[str, int] = {}

    def annotate(self, fragment: str) -> str:
        """`fragment` with a superscript note number after each link whose text does not show
        its address already."""

        def replace(match: re.Match) -> str:
            attributes, text = match.group(1), match.group(2)
            found = HREF_RE.search(attributes)
            href = html.unescape(found.group(1) or found.group(2) or "") if found else ""
            if not href.lower().startswith(NOTED_SCHEMES):
                return match.group(0)
            address = _shown_address(href)
            if _already_printed(text, address):
                return match.group(0)
            number = self._numbers.get(address)
            if number is None:
                number = self._numbers[address] = len(self.notes) + 1
                self.notes.append(LinkNote(number=number, href=href, address=address))
            return f'{match.group(0)}<sup class="link-note">{number}</sup>'

        return LINK_RE.sub(replace, fragment) if fragment else fragment
