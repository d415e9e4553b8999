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

from contacts.links import phone_e164
from contacts.validators import validate_handle, validate_phone

from .links import is_http_url, markdown_link_fullmatch, markdown_links, sources
from .patterns import (
    DIVISION_WORDS,
    EMAIL_LINE_RE,
    FOLLOW_LINE_RE,
    HANDLE_TOKEN_RE,
    MORE_INFO_RE,
    NETWORK_LINE_RE,
    NETWORK_WORD_RE,
    NETWORK_WORDS,
    OFFICE_SPLIT_RE,
    PHONE_LABEL_PREFIX_RE,
    PHONE_LINE_RE,
    QUALIFIED_PHONE_LINE_RE,
    ROLE_WORDS,
    SECTION_WORDS,
    SPOKESPERSON_LINE_RE,
    WEBSITE_LINE_RE,
    WEBSITE_LINK_LINE_RE,
)
from .shapes import LineWarning, ParsedContact

MAILTO_RE = re.compile(r"^mailto:", re.IGNORECASE)


@dataclass
class ClosingMatter:
    """What the lines read so far said; the readers fill it in."""

    warnings: list[str]
    more_info_url: str = ""
    more_info_label: str = ""
    # The "more information" line had no address: the next line may be it.
    waiting_for_more_info_url: bool = False
    line_number: int | None = None  # of the line being read, for its warnings
    contact: ParsedContact = field(default_factory=ParsedContact)


def parse_closing_matter(
    lines: list[str], warnings: list[str], line_numbers: list[int] | None = None
) -> tuple[str, str, ParsedContact | None]:
    """(more-information URL, its label, the contact or None) from the lines after the claims.

    Each line is read by the first kind in LINE_KINDS that recognises it. A contact needs an
    e-mail address or a phone number; otherwise it is dropped, with a warning if it had other
    details. Problems are appended to `warnings`; nothing is raised.
    """
    matter = ClosingMatter(warnings=warnings)
    for index, line in enumerate(lines):
        matter.line_number = line_numbers[index] if line_numbers else None
        _read_line(matter, line.strip())
    contact = matter.contact
    if not (contact.email or contact.phone):
        if contact.office_line or contact.handles or contact.website:
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
    """The first free line, or a second one naming the organisation the first did not give."""
    contact = matter.contact
    if len(line) > 200:
        return False
    if not contact.office_line:
        return True
    # A second name line: short, no digits, no sentence; anything else stays "not understood".
    looks_like_a_name = len(line) <= 100 and not re.search(r"\d", line) and line[-1] not in ".!?:"
    return looks_like_a_name and not (
        contact.organisation or OFFICE_SPLIT_RE.search(line) or _has(line, SECTION_WORDS)
    )


def _is_spokesperson(matter: ClosingMatter, line: str):
    match = SPOKESPERSON_LINE_RE.match(line)
    if matter.contact.spokesperson or not match or not _has(match.group("role"), ROLE_WORDS):
        return None
    return match


def _has(text: str, words) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in words)


# --- Readers: (matter, line, what the recogniser found) -------------------------------------------


def _read_more_info(matter: ClosingMatter, line: str, _found) -> None:
    """The sentence is kept as the editor wrote it, its address included (a Markdown link reads
    as its text); the address is also stored apart, and the page and the PDF print it visibly:
    in place when the sentence holds it, else after the sentence."""
    link = next(markdown_links(line), None)
    urls = [source.url for source in sources(line)[0]]
    label = line[: link.start] + link.text + line[link.end :] if link else line
    label = label.strip()
    if len(label) > 500:
        _warn(matter, _("The “for more information” sentence was shortened to fit."))
    matter.more_info_label = label[:500]
    if urls:
        matter.more_info_url = urls[0]
    else:
        matter.waiting_for_more_info_url = True


def _read_awaited_url(matter: ClosingMatter, _line: str, website: re.Match) -> None:
    matter.more_info_url = _with_scheme(website.group("value"))


def _read_phone(matter: ClosingMatter, _line: str, match: re.Match) -> None:
    phone = match.group("value").strip()
    label = match.groupdict().get("label") or ""
    if prefixed := PHONE_LABEL_PREFIX_RE.match(phone):
        label, phone = prefixed.group("label"), prefixed.group("value").strip()
    try:
        validate_phone(phone)
    except ValidationError:
        _warn(matter, _("The phone number “%(phone)s” was not understood.") % {"phone": phone})
        return
    if not phone_e164(phone):
        _warn(
            matter,
            _("The phone number “%(phone)s” has no country code: it will not be a link.")
            % {"phone": phone},
        )
    matter.contact.phones.append((label.strip()[:80], phone))


def _read_email(matter: ClosingMatter, _line: str, match: re.Match) -> None:
    email = MAILTO_RE.sub("", match.group("value").strip().strip("<>"))
    if link := markdown_link_fullmatch(email):
        email = MAILTO_RE.sub("", link.url)
    try:
        validate_email(email)
    except ValidationError:
        _warn(matter, _("The e-mail address “%(email)s” was not understood.") % {"email": email})
    else:
        matter.contact.email = email


def _read_follow(matter: ClosingMatter, line: str, _match: re.Match) -> None:
    """Each handle on the line, with the network named last before it on the line ("" when
    none is): "Follow us on X @a and Telegram @b" gives (x, @a) and (telegram, @b)."""
    for token in HANDLE_TOKEN_RE.finditer(line):
        handle = token.group(0)
        try:
            validate_handle(handle)
        except ValidationError:
            _warn(matter, _("The handle “%(handle)s” was not understood.") % {"handle": handle})
            continue
        named = NETWORK_WORD_RE.findall(line[: token.start()])
        network = NETWORK_WORDS[named[-1].lower()] if named else ""
        if (network, handle) not in matter.contact.handles:
            matter.contact.handles.append((network, handle))


def _read_website(matter: ClosingMatter, _line: str, website: re.Match) -> None:
    url = _with_scheme(website.group("value"))
    if is_http_url(url):
        matter.contact.website = url


def _read_spokesperson(matter: ClosingMatter, _line: str, match: re.Match) -> None:
    matter.contact.spokesperson = match.group("name").strip()[:200]
    matter.contact.spokesperson_role = match.group("role").strip()[:200]


def _read_office_line(matter: ClosingMatter, line: str, _found) -> None:
    """ "Organisation – Division – Section", "Division – Section" when the first part is named a
    division, else "Organisation – Section"; one part is a section, a division or the
    organisation by its words. Nothing is filled in that the line does not say."""
    contact = matter.contact
    parts = [part.strip()[:200] for part in OFFICE_SPLIT_RE.split(line) if part.strip()]
    if contact.office_line:  # a second line: the organisation (see _is_office_line)
        contact.organisation = line[:200]
        return
    contact.office_line = line
    if len(parts) >= 3:
        contact.organisation, contact.division = parts[0], parts[1]
        contact.section = " – ".join(parts[2:])[:200]
    elif len(parts) == 2:
        first_is_division = _has(parts[0], DIVISION_WORDS)
        contact.division = parts[0] if first_is_division else ""
        contact.organisation = "" if first_is_division else parts[0]
        contact.section = parts[1]
    elif _has(line, SECTION_WORDS):
        contact.section = parts[0]
    elif _has(line, DIVISION_WORDS):
        contact.division = parts[0]
    else:
        contact.organisation = parts[0]


def _read_unknown(matter: ClosingMatter, line: str, _found) -> None:
    _warn(
        matter,
        _("A line of the contact block was not understood: “%(line)s”.") % {"line": line[:80]},
    )


def _warn(matter: ClosingMatter, message: str) -> None:
    matter.warnings.append(LineWarning(message, matter.line_number))


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
    ("phone", lambda _m, line: QUALIFIED_PHONE_LINE_RE.match(line), _read_phone),
    ("follow", lambda _m, line: FOLLOW_LINE_RE.match(line), _read_follow),
    ("network", lambda _m, line: NETWORK_LINE_RE.match(line), _read_follow),
    ("website", lambda _m, line: _website(line), _read_website),
    ("spokesperson", _is_spokesperson, _read_spokesperson),
    ("office", _is_office_line, _read_office_line),
    ("unknown", lambda _m, _line: True, _read_unknown),
)
