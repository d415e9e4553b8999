"""Links in imported text: Markdown links, <…> and bare web addresses, each found in linear time.

A 150 kB file of "[" or "[](" must cost as much to read as any other 150 kB file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .shapes import ParsedSource

# "<https://…>". The closing ">" is optional in the pattern and checked by the caller: a match
# that stops without it is consumed, not retried from every character inside it.
ANGLE_URL_RE = re.compile(r"<(?P<url>https?://[^>\s]+)(?P<close>>?)", re.IGNORECASE)
BARE_URL_RE = re.compile(r"(?<![(<\[\w])(?P<url>https?://[^\s<>()\[\]]+)", re.IGNORECASE)
# The target of a Markdown link, read between its "(" and its ")".
LINK_TARGET_RE = re.compile(r"\s*<?(?P<url>[^)\s>]*)")
URL_TRAILING_PUNCTUATION = ".,;:!?'\"”’"

_url_validator = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class MarkdownLink:
    start: int  # index of the "["
    end: int  # index after the ")"
    text: str
    url: str


def markdown_links(text: str) -> Iterator[MarkdownLink]:
    r"""The `[text](url)` links of `text`, left to right; images (`![…](…)`) are skipped.

    Finds what `(?<!!)\[(?P<text>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]*)>?[^)]*\)` finds, in linear
    time: a link's text ends at the first "]" and its target at the first ")", so a "]" not
    followed by "(" rules out every "[" before it, and a missing ")" ends the search. (The
    pattern itself retried from each "[" and backtracked: "[](" repeated took cubic time.)
    """
    position = 0
    while (start := text.find("[", position)) != -1:
        if start and text[start - 1] == "!":
            position = start + 1
            continue
        close = text.find("]", start + 1)
        if close == -1:
            return
        if not text.startswith("(", close + 1):
            position = close + 1
            continue
        end = text.find(")", close + 2)
        if end == -1:
            return
        url = LINK_TARGET_RE.match(text, close + 2, end).group("url")
        yield MarkdownLink(start=start, end=end + 1, text=text[start + 1 : close], url=url)
        position = end + 1


def markdown_link_fullmatch(text: str) -> MarkdownLink | None:
    """The link if `text` is one Markdown link and nothing else."""
    link = next(markdown_links(text), None)
    return link if link and link.start == 0 and link.end == len(text) else None


def angle_urls(text: str) -> Iterator[re.Match]:
    """`<https://…>` addresses, left to right (the match's "url" group)."""
    return (match for match in ANGLE_URL_RE.finditer(text) if match.group("close"))


def is_http_url(url: str) -> bool:
    """An http(s) address Django's URLValidator accepts, of at most 1000 characters."""
    try:
        _url_validator(url)
    except ValidationError:
        return False
    return len(url) <= 1000


def sources(markdown: str) -> tuple[list[ParsedSource], list[str]]:
    """Links of a response, in order, without duplicates; and the placeholders it skipped."""
    found: list[tuple[int, ParsedSource]] = []
    skipped: list[str] = []
    for link in markdown_links(markdown):
        url, text = link.url.strip(), " ".join(link.text.split())
        if is_http_url(url):
            found.append((link.start, ParsedSource(url=url, title=text[:300])))
        else:
            skipped.append(text or url)
    for matches in (angle_urls(markdown), BARE_URL_RE.finditer(markdown)):
        for match in matches:
            url = match.group("url").rstrip(URL_TRAILING_PUNCTUATION)
            if is_http_url(url):
                found.append((match.start(), ParsedSource(url=url)))
    unique, seen = [], set()
    for _position, source in sorted(found, key=lambda item: item[0]):
        if source.url not in seen:
            seen.add(source.url)
            unique.append(source)
    return unique, skipped
