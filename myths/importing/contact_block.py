"""The closing matter of an imported release: the "for more information" link and the contact
block, read line by line through a table of line kinds, one small reader per kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from contacts.models import SocialHandle
from contacts.validators import validate_handle, validate_phone

from .links import is_http_url, markdown_link_fullmatch, markdown_links, sources
from .patterns import (
    EMAIL_LINE_RE,
    FOLLOW_LINE_RE,
    HANDLE_TOKEN_RE,
    LABEL_URL_RE,
    MORE_INFO_RE,
    NETWORK_WORDS,
    OFFICE_LINE_RE,
    PHONE_LINE_RE,
    QUOTED_RES,
    WEBSITE_LINE_RE,
    WEBSITE_LINK_LINE_RE,
)
from .shapes import ParsedContact

MAILTO_RE = re.compile(r"^mailto:", re.IGNORECASE)


@dataclass
class ClosingMatter:
    """What the lines read so far said; the readers fill it in."""

    warnings: list[str]
    more_info_url: str = ""
    more_info_label: str = ""
    # The "more information" line had no address: the next line may be it.
    waiting_for_more_info_url: bool = False
    contact: ParsedContact = field(default_factory=ParsedContact)


def parse_closing_matter(
    lines: list[str], warnings: list[str]
) -> tuple[str, str, ParsedContact | None]:
    """(more-information URL, its label, the contact or None) from the lines after the claims.

    Each line is read by the first kind in LINE_KINDS that recognises it. A contact needs an
    e-mail address or a phone number; otherwise it is dropped, with a warning if it had other
    details. Problems are appended to `warnings`; nothing is raised.
    """
    matter = ClosingMatter(warnings=warnings)
    for line in lines:
        _read_line(matter, line.strip())
    contact = matter.contact
    if not (contact.email or contact.phone):
        if contact.office_line or contact.handle or contact.website:
            warnings.append(
                _("The contact block has neither an e-mail address nor a phone number: ignored.")
            )
        contact = None
    return matter.more_info_url, matter.more_info_label, contact


def _read_line(matter: ClosingMatter, line: str) -> None:
    for name, recognise, read in LINE_KINDS:
        if found := recognise(matter, line):
            if name != "more_info":
                matter.waiting_for_more_info_url = False
            read(matter, line, found)
            return


# --- Recognisers: (matter, line) -> something truthy when the line is of their kind -------------


def _website(line: str) -> re.Match | None:
    return WEBSITE_LINE_RE.match(line) or WEBSITE_LINK_LINE_RE.fullmatch(line)


def _is_more_info(matter: ClosingMatter, line: str):
    return not matter.more_info_url and MORE_INFO_RE.match(line)


def _is_awaited_url(matter: ClosingMatter, line: str):
    return matter.waiting_for_more_info_url and _website(line)


def _is_office_line(matter: ClosingMatter, line: str) -> bool:
    return not matter.contact.office_line and len(line) <= 200


# --- Readers: (matter, line, what the recogniser found) -------------------------------------------


def _read_more_info(matter: ClosingMatter, line: str, _found) -> None:
    quoted = next((m for regex in QUOTED_RES if (m := regex.search(line))), None)
    link = next(markdown_links(line), None)
    urls = [source.url for source in sources(line)[0]]
    if quoted:
        label = quoted.group("text").strip()
    elif link:
        label = link.text.strip()
    else:
        label = LABEL_URL_RE.sub("", line).strip().rstrip(":")
    matter.more_info_label = label[:200]
    if urls:
        matter.more_info_url = urls[0]
    else:
        matter.waiting_for_more_info_url = True


def _read_awaited_url(matter: ClosingMatter, _line: str, website: re.Match) -> None:
    matter.more_info_url = _with_scheme(website.group("value"))


def _read_phone(matter: ClosingMatter, _line: str, match: re.Match) -> None:
    phone = match.group("value").strip()
    try:
        validate_phone(phone)
    except ValidationError:
        matter.warnings.append(
            _("The phone number “%(phone)s” was not understood.") % {"phone": phone}
        )
    else:
        matter.contact.phone = phone


def _read_email(matter: ClosingMatter, _line: str, match: re.Match) -> None:
    email = MAILTO_RE.sub("", match.group("value").strip().strip("<>"))
    if link := markdown_link_fullmatch(email):
        email = MAILTO_RE.sub("", link.url)
    try:
        validate_email(email)
    except ValidationError:
        matter.warnings.append(
            _("The e-mail address “%(email)s” was not understood.") % {"email": email}
        )
    else:
        matter.contact.email = email


def _read_follow(matter: ClosingMatter, _line: str, match: re.Match) -> None:
    contact = matter.contact
    value = match.group("value")
    for word, network in NETWORK_WORDS.items():
        if word in value.lower():
            contact.network = network
    for handle in HANDLE_TOKEN_RE.findall(value)[:1]:
        try:
            validate_handle(handle)
        except ValidationError:
            matter.warnings.append(
                _("The handle “%(handle)s” was not understood.") % {"handle": handle}
            )
            continue
        contact.handle = handle
        # user@instance: a Mastodon address, unless the line named another network.
        if handle.count("@") == 2 and contact.network == SocialHandle.Network.X:
            contact.network = SocialHandle.Network.MASTODON


def _read_website(matter: ClosingMatter, _line: str, website: re.Match) -> None:
    url = _with_scheme(website.group("value"))
    if is_http_url(url):
        matter.contact.website = url


def _read_office_line(matter: ClosingMatter, line: str, _found) -> None:
    contact = matter.contact
    contact.office_line = line
    if match := OFFICE_LINE_RE.match(line):
        contact.division = match.group("division").strip()[:200]
        contact.section = match.group("section").strip()[:200]
    else:
        contact.section = line


def _read_unknown(matter: ClosingMatter, line: str, _found) -> None:
    matter.warnings.append(
        _("A line of the contact block was not understood: “%(line)s”.") % {"line": line[:80]}
    )


def _with_scheme(url: str) -> str:
    return url if url.lower().startswith("http") else f"https://{url}"


Recogniser = Callable[[ClosingMatter, str], object]
Reader = Callable[[ClosingMatter, str, object], None]

# The line kinds, tried in order; the first that recognises a line reads it. A line that is not
# the awaited "more information" address resets the wait.
LINE_KINDS: tuple[tuple[str, Recogniser, Reader], ...] = (
    ("more_info", _is_more_info, _read_more_info),
    ("more_info_url", _is_awaited_url, _read_awaited_url),
    ("phone", lambda _m, line: PHONE_LINE_RE.match(line), _read_phone),
    ("email", lambda _m, line: EMAIL_LINE_RE.match(line), _read_email),
    ("follow", lambda _m, line: FOLLOW_LINE_RE.match(line), _read_follow),
    ("website", lambda _m, line: _website(line), _read_website),
    ("office", _is_office_line, _read_office_line),
    ("unknown", lambda _m, _line: True, _read_unknown),
)
