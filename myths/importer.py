"""Turn a release written as plain text (or Markdown) into a draft release.

Two halves:

- a pure parser (`decode_release_bytes`, `parse_release`): bytes or text in, `ParsedRelease`
  dataclasses out, no database. It recognises a title, an optional lede, numbered claim headings
  in the languages the office publishes in ("Myth 1: …", "Mythe 1 : …", "Idée reçue n° 1 :",
  "Миф 1: …", "Міф 1: …", "Mythos 1:", "Mito 1:", "Myth #1", "1. Myth: …"), response paragraphs,
  photo captions on their own lines, links, a "for more information" portal link and a contact
  block (office line, Tel., E-mail, Follow us @handle, website);
- one service, `release_import()`, that writes a draft release from it in one transaction and
  records its first revision.

Photo captions: a Figure needs an image, and a text file has none. So a caption stays in the
response's Markdown, where the photo was, as a paragraph of its own in italics (`*caption*`); the
import summary lists them so the editor knows to attach the photos as figures of that response
and move each caption into the figure. No model change was needed.

Every refusal is a `ValidationError` with a code (listed in `ERROR_CODES`), raised before anything
is written; the service runs in one transaction, so a failure leaves the database untouched.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contacts.models import PressContact, SocialHandle
from contacts.validators import validate_handle, validate_phone

from .models import Claim, Release, Response, Source
from .revisions import revision_create

MAX_IMPORT_BYTES = 1_000_000  # a long release is ~30 kB; anything near 1 MB is not a release
MAX_CLAIMS = 100
ALLOWED_EXTENSIONS = (".txt", ".md", ".markdown")
CAPTION_MAX_CHARS = 200
CAPTION_MAX_WORDS = 30

ERROR_CODES = {
    "extension": "The file's name does not end in .txt or .md.",
    "too_large": "The file is larger than the import limit.",
    "empty": "The file has no text.",
    "binary": "The file is not text (NUL bytes, control characters or an image/archive header).",
    "encoding": "The file is in none of the accepted encodings.",
    "no_title": "The first line is not a title.",
    "title_too_long": "The title is longer than a release title may be.",
    "lede_too_long": "The text between the title and the first claim is too long for a lede.",
    "no_claims": "No numbered claim heading was found.",
    "too_many_claims": "More claims than a release can hold.",
    "empty_claim": "A claim heading has no wording.",
    "claim_too_long": "A claim's wording is longer than a claim may be.",
    "duplicate_claim": "Two headings of the file state the same claim.",
    "empty_response": "A claim has no response text.",
    "invalid_content": "A value does not fit its field.",
    "conflict": "Another import created the same rows at the same moment.",
}

# --- Decoding -----------------------------------------------------------------------------------

# File signatures of things people upload by mistake instead of a text file.
BINARY_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"RIFF": "a RIFF file (WebP image or audio)",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"{\\rtf": "an RTF document",
}
# Control characters that never occur in a text file (tab, newlines and form feed are fine).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def check_filename(filename: str) -> None:
    """Refuse a file whose name says it is not text (an empty name is not checked)."""
    if filename and not filename.lower().endswith(ALLOWED_EXTENSIONS):
        raise ValidationError(
            _("Only .txt and .md files can be imported, not “%(name)s”.") % {"name": filename},
            code="extension",
        )


def decode_release_bytes(data: bytes | str) -> str:
    """Bytes (or text) to text with Unix newlines, or a coded ValidationError.

    Accepted: UTF-8 with or without BOM, UTF-16/UTF-32 with BOM, and cp1252 only when the bytes
    decode without an undefined byte. Refused: empty input, more than MAX_IMPORT_BYTES, NUL bytes,
    control characters and the signatures of images, PDFs and archives.
    """
    if isinstance(data, str):
        if len(data.encode("utf-8", "surrogatepass")) > MAX_IMPORT_BYTES:
            raise _too_large()
        text = data
    else:
        if len(data) > MAX_IMPORT_BYTES:
            raise _too_large()
        text = _decode(bytes(data))
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\x00" in text or CONTROL_RE.search(text):
        raise ValidationError(
            _("This is not a text file: it contains control characters (NUL or similar)."),
            code="binary",
        )
    if not text.strip():
        raise ValidationError(_("The file is empty: there is no text to import."), code="empty")
    return text


def _too_large() -> ValidationError:
    return ValidationError(
        _("The file is too large to be a release: the limit is %(limit)s kB.")
        % {"limit": MAX_IMPORT_BYTES // 1000},
        code="too_large",
    )


def _decode(data: bytes) -> str:
    if not data.strip():
        raise ValidationError(_("The file is empty: there is no text to import."), code="empty")
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ValidationError(
                _("This is not a text file: it looks like %(kind)s.") % {"kind": kind},
                code="binary",
            )
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise _unreadable() from error
    if b"\x00" in data:
        raise ValidationError(
            _("This is not a text file: it contains NUL bytes (UTF-16 without a BOM is refused)."),
            code="binary",
        )
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable()


def _unreadable() -> ValidationError:
    return ValidationError(
        _(
            "The file's encoding could not be read. Save it as UTF-8 (or UTF-16 with a BOM, "
            "or Windows-1252) and try again."
        ),
        code="encoding",
    )


# --- Parsed shapes ------------------------------------------------------------------------------


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


@dataclass
class _Block:
    """A paragraph of the file: lines between blank lines, and how many blank lines preceded it."""

    lines: list[str]
    line: int  # 1-based number of its first line in the file
    gap: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


# --- Recognisers ---------------------------------------------------------------------------------

# Heading keyword → language. Longest first, so "mythe" is not read as "myth" + "e".
HEADING_KEYWORDS = {
    "idée reçue": "fr",
    "idee recue": "fr",
    "mythos": "de",
    "mythe": "fr",
    "myth": "en",
    "mito": "es",
    "миф": "ru",
    "міф": "uk",
}
_KEYWORD = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in HEADING_KEYWORDS)
_NUMBER = r"(?:(?:n[°ºo]\.?|№|#|no\.)\s*)?(?P<number>\d{1,3})"
_SEP = r"\s*[:.)–—-]"
_DECOR = r"[#*_\s]*"  # Markdown heading marks and bold around a heading
# "Myth 1: …", "MYTH #2 – …", "Mythe 3 : …", "Idée reçue n° 4 :", "Миф №5. …", "## Myth 1: …"
HEADING_RE = re.compile(
    rf"^{_DECOR}(?P<keyword>{_KEYWORD})(?!\w)\s*{_NUMBER}(?P<sep>{_SEP})?\s*(?P<wording>.*)$",
    re.IGNORECASE,
)
# "1. Myth: …", "2) Mythe : …"
NUMBERED_HEADING_RE = re.compile(
    rf"^{_DECOR}(?P<number>\d{{1,3}})\s*[.)]\s*(?P<keyword>{_KEYWORD})(?!\w)\s*[:.–—-]\s*"
    r"(?P<wording>.+)$",
    re.IGNORECASE,
)

MORE_INFO_RE = re.compile(
    r"^\W*(for (more|further) information|more information|further information"
    r"|pour (plus d['’]informations?|en savoir plus|de plus amples informations)"
    r"|plus d['’]informations?|en savoir plus"
    r"|(для )?(получения )?(дополнительной|более подробной) информации|подробнее"
    r"|(для )?(отримання )?(додаткової|детальнішої) інформації|більше інформації"
    r"|додаткова інформація|дополнительная информация"
    r"|(für )?weitere informationen|(para )?más información)",
    re.IGNORECASE,
)
PHONE_LINE_RE = re.compile(
    r"^\W*(tel|tél|phone|telephone|téléphone|тел|телефон)\b\.?\s*[:.]?\s*(?P<value>.+)$",
    re.IGNORECASE,
)
EMAIL_LINE_RE = re.compile(
    r"^\W*(e-?mail|courriel|mél|эл\.?\s*почта|электронная почта|ел\.?\s*пошта"
    r"|електронна пошта)\s*[:.]?\s*(?P<value>.+)$",
    re.IGNORECASE,
)
FOLLOW_LINE_RE = re.compile(
    r"^\W*(follow us|suivez[- ]nous|подписывайтесь|следите за нами|стежте за нами"
    r"|слідкуйте за нами|folgen sie uns|síguenos)\b(?P<value>.*)$",
    re.IGNORECASE,
)
WEBSITE_LINE_RE = re.compile(r"^<?(?P<value>(?:https?://|www\.)[^\s<>]+?)>?/?$", re.IGNORECASE)
# "Public Diplomacy Division (PDD) – Press & Media Section"
OFFICE_LINE_RE = re.compile(r"^(?P<division>.+?)\s+[–—-]\s+(?P<section>.+)$")

MARKDOWN_LINK_RE = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]*)>?[^)]*\)")
ANGLE_URL_RE = re.compile(r"<(?P<url>https?://[^>\s]+)>", re.IGNORECASE)
BARE_URL_RE = re.compile(r"(?<![(<\[\w])(?P<url>https?://[^\s<>()\[\]]+)", re.IGNORECASE)
HANDLE_TOKEN_RE = re.compile(r"@[A-Za-z0-9_.]+(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?")
SEPARATOR_RE = re.compile(r"^\s*([-*_=~]\s*){3,}$")
FINAL_PUNCTUATION = ".!?:;…,"
# A name in quotes: «…», “…”, „…“, "…", ‘…’, or '…' (not an apostrophe inside a word).
QUOTED_RES = [
    re.compile(r"«\s*(?P<text>[^»]{3,200}?)\s*»"),
    re.compile(r"“(?P<text>[^”]{3,200})”"),
    re.compile(r"„(?P<text>[^“”]{3,200})[“”]"),
    re.compile(r'"(?P<text>[^"]{3,200})"'),
    re.compile(r"‘(?P<text>[^’]{3,200})’(?!\w)"),
    re.compile(r"(?<!\w)'(?P<text>[^']{3,200})'(?!\w)"),
]
QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“", "‘": "’", "'": "'"}
NETWORK_WORDS = {
    "mastodon": SocialHandle.Network.MASTODON,
    "bluesky": SocialHandle.Network.BLUESKY,
    "facebook": SocialHandle.Network.FACEBOOK,
    "instagram": SocialHandle.Network.INSTAGRAM,
    "linkedin": SocialHandle.Network.LINKEDIN,
    "youtube": SocialHandle.Network.YOUTUBE,
    "telegram": SocialHandle.Network.TELEGRAM,
}

_url_validator = URLValidator(schemes=["http", "https"])


def _is_http_url(url: str) -> bool:
    try:
        _url_validator(url)
    except ValidationError:
        return False
    return len(url) <= 1000


def normalise_wording(wording: str) -> str:
    """The form under which two claim wordings count as the same claim."""
    return " ".join(unicodedata.normalize("NFC", wording).split()).casefold()


# --- Parser --------------------------------------------------------------------------------------


def _blocks(text: str) -> list[_Block]:
    blocks, current, gap, start = [], [], 0, 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            if current:
                blocks.append(_Block(current, start, gap))
                current, gap = [], 0
            gap += 1
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(_Block(current, start, gap))
    return [b for b in blocks if not SEPARATOR_RE.match(b.text)]


def _match_heading(line: str):
    """(number, keyword, wording) if the line is a claim heading, else None."""
    line = line.strip()
    for regex in (NUMBERED_HEADING_RE, HEADING_RE):
        match = regex.match(line)
        if not match:
            continue
        wording = match.group("wording").strip()
        # "Myth 1" alone is a heading whose wording follows; "Myth 1 is …" is a sentence.
        if regex is HEADING_RE and not match.group("sep") and wording:
            continue
        return int(match.group("number")), match.group("keyword"), wording
    return None


def _clean_wording(wording: str) -> str:
    wording = wording.strip().strip("*_").strip()
    wording = re.sub(r"\s*#+$", "", wording)  # closing ATX heading marks
    if len(wording) > 1 and QUOTE_PAIRS.get(wording[0]) == wording[-1]:
        wording = wording[1:-1].strip()
    return " ".join(wording.split())


def _strip_markdown_heading(line: str) -> str:
    return re.sub(r"^#+\s*", "", line.strip()).strip("*_ ").strip()


def _is_caption(block: _Block, typical_gap: int, *, after_caption: bool = False) -> bool:
    """A short line on its own between paragraphs, where a photo stood in the original.

    Short (at most CAPTION_MAX_CHARS characters and CAPTION_MAX_WORDS words), one line, one
    sentence at most, no link; and either without final punctuation, set off by more blank lines
    than the file's usual paragraph gap (the space a removed photo leaves), or wholly in italics.
    The gap after a caption is the photo's space too, so it does not make the next line a caption.
    """
    if len(block.lines) != 1:
        return False
    line = block.lines[0].strip()
    if re.fullmatch(r"([*_])[^*_].*[^*_]\1", line):
        return True
    if len(line) > CAPTION_MAX_CHARS or len(line.split()) > CAPTION_MAX_WORDS:
        return False
    if re.match(r"^([-*+]|\d+[.)]|#)\s", line) or "](" in line or "://" in line:
        return False
    if re.search(r"[.!?]\s+\S", line):  # two sentences: a paragraph
        return False
    if line.endswith(":"):  # introduces a list
        return False
    return line[-1] not in FINAL_PUNCTUATION or (block.gap > typical_gap and not after_caption)


def _caption_markdown(line: str) -> str:
    line = line.strip()
    if re.fullmatch(r"([*_])[^*_].*[^*_]\1", line):
        return line
    return "*" + re.sub(r"([*_\\])", r"\\\1", line) + "*"


def _sources(markdown: str) -> tuple[list[ParsedSource], list[str]]:
    """Links of a response, in order, without duplicates; and the placeholders it skipped."""
    found: list[tuple[int, ParsedSource]] = []
    skipped: list[str] = []
    for match in MARKDOWN_LINK_RE.finditer(markdown):
        url, text = match.group("url").strip(), " ".join(match.group("text").split())
        if _is_http_url(url):
            found.append((match.start(), ParsedSource(url=url, title=text[:300])))
        else:
            skipped.append(text or url)
    for regex in (ANGLE_URL_RE, BARE_URL_RE):
        for match in regex.finditer(markdown):
            url = match.group("url").rstrip(".,;:!?'\"”’")
            if _is_http_url(url):
                found.append((match.start(), ParsedSource(url=url)))
    sources, seen = [], set()
    for _position, source in sorted(found, key=lambda item: item[0]):
        if source.url not in seen:
            seen.add(source.url)
            sources.append(source)
    return sources, skipped


def _footer_start(blocks: list[_Block], first: int) -> int:
    """Index of the first block of the closing matter (more-information link, contact block)."""
    for index in range(first, len(blocks)):
        first_line = blocks[index].lines[0].strip()
        is_more_info = MORE_INFO_RE.match(first_line) and len(blocks[index].text) <= 400
        is_contact = any(
            regex.match(first_line) for regex in (PHONE_LINE_RE, EMAIL_LINE_RE, FOLLOW_LINE_RE)
        )
        if is_more_info or is_contact:
            previous = blocks[index - 1] if index - 1 > first else None
            # The office line sits right above "Tel.:" and is part of the contact block.
            if (
                is_contact
                and previous
                and len(previous.lines) == 1
                and len(previous.text) <= 200
                and previous.text.strip()[-1] not in ".!?"
                and OFFICE_LINE_RE.match(previous.text.strip())
            ):
                return index - 1
            return index
    return len(blocks)


def _parse_footer(lines: list[str], warnings: list[str]) -> tuple[str, str, ParsedContact | None]:
    more_info_url = more_info_label = ""
    contact = ParsedContact()
    waiting_for_more_info_url = False
    for line in lines:
        line = line.strip()
        if MORE_INFO_RE.match(line) and not more_info_url:
            quoted = next((m for regex in QUOTED_RES if (m := regex.search(line))), None)
            links = MARKDOWN_LINK_RE.search(line)
            urls = [s.url for s in _sources(line)[0]]
            if quoted:
                more_info_label = quoted.group("text").strip()
            elif links:
                more_info_label = links.group("text").strip()
            else:
                more_info_label = re.sub(r"\s*<?https?://\S+>?", "", line).strip().rstrip(":")
            more_info_label = more_info_label[:200]
            if urls:
                more_info_url = urls[0]
            else:
                waiting_for_more_info_url = True
            continue
        website = WEBSITE_LINE_RE.match(line) or re.fullmatch(
            r"\[[^\]]*\]\(\s*(?P<value>https?://[^)\s]+)\s*\)", line
        )
        if waiting_for_more_info_url and website:
            url = website.group("value")
            more_info_url = url if url.lower().startswith("http") else f"https://{url}"
            waiting_for_more_info_url = False
            continue
        waiting_for_more_info_url = False
        if match := PHONE_LINE_RE.match(line):
            phone = match.group("value").strip()
            try:
                validate_phone(phone)
                contact.phone = phone
            except ValidationError:
                warnings.append(
                    _("The phone number “%(phone)s” was not understood.") % {"phone": phone}
                )
        elif match := EMAIL_LINE_RE.match(line):
            email = match.group("value").strip().strip("<>")
            email = re.sub(r"^mailto:", "", email, flags=re.IGNORECASE)
            if link := MARKDOWN_LINK_RE.fullmatch(email):
                email = re.sub(r"^mailto:", "", link.group("url"), flags=re.IGNORECASE)
            try:
                validate_email(email)
                contact.email = email
            except ValidationError:
                warnings.append(
                    _("The e-mail address “%(email)s” was not understood.") % {"email": email}
                )
        elif match := FOLLOW_LINE_RE.match(line):
            handles = HANDLE_TOKEN_RE.findall(match.group("value"))
            words = match.group("value").lower()
            for word, network in NETWORK_WORDS.items():
                if word in words:
                    contact.network = network
            for handle in handles[:1]:
                try:
                    validate_handle(handle)
                    contact.handle = handle
                    if handle.count("@") == 2 and contact.network == SocialHandle.Network.X:
                        contact.network = SocialHandle.Network.MASTODON
                except ValidationError:
                    warnings.append(
                        _("The handle “%(handle)s” was not understood.") % {"handle": handle}
                    )
        elif website:
            url = website.group("value")
            url = url if url.lower().startswith("http") else f"https://{url}"
            if _is_http_url(url):
                contact.website = url
        elif not contact.office_line and len(line) <= 200:
            contact.office_line = line
            if match := OFFICE_LINE_RE.match(line):
                contact.division = match.group("division").strip()[:200]
                contact.section = match.group("section").strip()[:200]
            else:
                contact.section = line
        else:
            warnings.append(
                _("A line of the contact block was not understood: “%(line)s”.")
                % {"line": line[:80]}
            )
    if not (contact.email or contact.phone):
        if contact.office_line or contact.handle or contact.website:
            warnings.append(
                _("The contact block has neither an e-mail address nor a phone number: ignored.")
            )
        contact = None
    return more_info_url, more_info_label, contact


def parse_release(text: str) -> ParsedRelease:
    """Read a release from text: a title, an optional lede, numbered claims, then closing matter.

    Pure: no database. Raises a coded ValidationError when there is no title, no claim, a claim
    without wording or without response, or a value longer than its field allows.
    """
    blocks = _blocks(text)
    if not blocks:
        raise ValidationError(_("The file is empty: there is no text to import."), code="empty")
    gaps = Counter(block.gap for block in blocks[1:])
    typical_gap = gaps.most_common(1)[0][0] if gaps else 1

    # Headings: the first line of a block; its other lines start the response.
    headings: list[tuple[int, int, str, str]] = []  # (block index, number, keyword, wording)
    for index, block in enumerate(blocks):
        if heading := _match_heading(block.lines[0]):
            headings.append((index, *heading))
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
    if headings[0][0] == 0:
        raise ValidationError(
            _("No title: the first line of the file must be the release's title, not a claim."),
            code="no_title",
        )

    title_block = blocks[0]
    title = _strip_markdown_heading(title_block.lines[0])
    if not title:
        raise ValidationError(_("No title: the first line of the file is empty."), code="no_title")
    if len(title) > Release._meta.get_field("title").max_length:
        raise ValidationError(
            _(
                "No title: the first line is %(length)s characters long; a title has at most "
                "%(max)s. Put the title on a line of its own."
            )
            % {"length": len(title), "max": Release._meta.get_field("title").max_length},
            code="title_too_long",
        )
    lede_parts = ["\n".join(title_block.lines[1:])] if len(title_block.lines) > 1 else []
    lede_parts += [b.text for b in blocks[1 : headings[0][0]]]
    lede = "\n\n".join(p.strip() for p in lede_parts if p.strip())
    if len(lede) > Release._meta.get_field("lede").max_length:
        raise ValidationError(
            _(
                "The text between the title and the first claim (the lede) is %(length)s "
                "characters long; a lede has at most %(max)s."
            )
            % {"length": len(lede), "max": Release._meta.get_field("lede").max_length},
            code="lede_too_long",
        )

    last_heading = headings[-1][0]
    footer = _footer_start(blocks, last_heading + 1)
    warnings: list[str] = []
    claims: list[ParsedClaim] = []
    seen: dict[str, int] = {}
    wording_max = Claim._meta.get_field("wording").max_length
    for position, (index, number, _keyword, wording) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else footer
        block = blocks[index]
        rest = block.lines[1:]
        body_blocks = blocks[index + 1 : end]
        if not wording:
            # "Myth 1" on its own: the wording is the next line.
            if rest:
                wording, rest = rest[0], rest[1:]
            elif body_blocks and len(body_blocks[0].lines) == 1:
                wording, body_blocks = body_blocks[0].text, body_blocks[1:]
        wording = _clean_wording(wording)
        if not wording:
            raise ValidationError(
                _("Claim %(number)s (line %(line)s) has a heading but no wording.")
                % {"number": number, "line": block.line},
                code="empty_claim",
            )
        if len(wording) > wording_max:
            raise ValidationError(
                _(
                    "Claim %(number)s (line %(line)s) is %(length)s characters long; "
                    "at most %(max)s."
                )
                % {
                    "number": number,
                    "line": block.line,
                    "length": len(wording),
                    "max": wording_max,
                },
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
        claim = ParsedClaim(number=number, wording=wording, line=block.line)
        parts: list[str] = []
        if rest:
            paragraph = "\n".join(rest).strip()
            claim.paragraphs.append(paragraph)
            parts.append(paragraph)
        after_caption = False
        for body_block in body_blocks:
            after_caption = _is_caption(body_block, typical_gap, after_caption=after_caption)
            if after_caption:
                caption = body_block.text.strip()
                claim.captions.append(caption.strip("*_") if caption[0] in "*_" else caption)
                parts.append(_caption_markdown(caption))
            else:
                claim.paragraphs.append(body_block.text.strip())
                parts.append(body_block.text.strip())
        if not claim.paragraphs:
            raise ValidationError(
                _("Claim %(number)s (“%(wording)s”, line %(line)s) has no response text.")
                % {"number": number, "wording": wording, "line": block.line},
                code="empty_response",
            )
        claim.body = "\n\n".join(parts)
        claim.sources, skipped = _sources("\n\n".join(claim.paragraphs))
        for text_or_url in skipped:
            warnings.append(
                _(
                    "Claim %(number)s: the link “%(link)s” has no web address; "
                    "fix it in the response."
                )
                % {"number": number, "link": text_or_url}
            )
        claims.append(claim)

    numbers = [claim.number for claim in claims]
    if numbers != list(range(1, len(claims) + 1)):
        warnings.append(
            _(
                "The claims are numbered %(numbers)s; they were imported in the file's order, "
                "1 to %(n)s."
            )
            % {"numbers": ", ".join(map(str, numbers)), "n": len(claims)}
        )

    footer_lines = [line for block in blocks[footer:] for line in block.lines]
    more_info_url, more_info_label, contact = _parse_footer(footer_lines, warnings)
    languages = Counter(HEADING_KEYWORDS[_keyword_key(h[2])] for h in headings)
    return ParsedRelease(
        title=title,
        lede=lede,
        language=languages.most_common(1)[0][0],
        claims=claims,
        more_info_url=more_info_url,
        more_info_label=more_info_label,
        contact=contact,
        warnings=warnings,
    )


def _keyword_key(keyword: str) -> str:
    return " ".join(keyword.split()).lower()


# --- Service -------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What release_import() made, for the command's output and the admin's message."""

    release: Release
    claims: list[tuple[Claim, bool]]  # (claim, created)
    sources: int
    captions: list[str]
    contact: PressContact | None
    contact_status: str  # "created", "matched by e-mail", "matched by phone", "default", "none"
    warnings: list[str]

    def summary_lines(self) -> list[str]:
        """Human-readable lines: title, each claim, counts, the contact and warnings."""
        lines = [
            _("Draft “%(title)s” (language: %(language)s).")
            % {"title": self.release.title, "language": self.release.language}
        ]
        for number, (claim, created) in enumerate(self.claims, start=1):
            state = _("new claim") if created else _("existing claim reused")
            lines.append(
                _("Claim %(n)s: %(wording)s (%(state)s)")
                % {"n": number, "wording": claim.wording, "state": state}
            )
        lines.append(
            _(
                "%(sources)s source(s); %(captions)s photo caption(s) kept in italics in the "
                "responses, waiting for their photos."
            )
            % {"sources": self.sources, "captions": len(self.captions)}
        )
        if self.contact:
            lines.append(
                _("Press contact %(status)s: %(contact)s (%(email)s).")
                % {
                    "status": self.contact_status,
                    "contact": self.contact,
                    "email": self.contact.email,
                }
            )
        else:
            lines.append(_("No press contact: choose one before submitting."))
        if self.release.more_info_url:
            lines.append(
                _("More information: %(label)s <%(url)s>")
                % {"label": self.release.more_info_label, "url": self.release.more_info_url}
            )
        lines.extend(_("Check: %(warning)s") % {"warning": w} for w in self.warnings)
        return lines


def _existing_claims(claims: list[ParsedClaim]) -> dict[str, Claim]:
    wanted = {normalise_wording(c.wording) for c in claims}
    found: dict[str, Claim] = {}
    # Compared in Python: SQLite's iexact folds ASCII only, and stored wordings may have odd spaces.
    for claim in Claim.objects.only("pk", "wording", "slug").iterator():
        key = normalise_wording(claim.wording)
        if key in wanted and key not in found:
            found[key] = claim
    return found


def _phone_digits(phone: str) -> str:
    # "+32 (0)2 …" and "+32 2 …" are the same number: the "(0)" is the trunk prefix.
    return re.sub(r"\D", "", phone.replace("(0)", ""))


def _contact_for(parsed: ParsedContact | None, warnings: list[str]):
    if parsed is None:
        default = PressContact.objects.default()
        return (default, "default") if default else (None, "none")
    if parsed.email:
        contact = PressContact.objects.filter(email__iexact=parsed.email).first()
        if contact:
            return contact, _("matched by e-mail")
    if parsed.phone:
        digits = _phone_digits(parsed.phone)
        for contact in PressContact.objects.exclude(phone="").order_by("pk"):
            if _phone_digits(contact.phone) == digits:
                return contact, _("matched by phone")
    if not parsed.email:
        warnings.append(_("The contact block has no e-mail address, so no contact was created."))
        return None, "none"
    domain = parsed.email.rsplit("@", 1)[1].lower()
    sibling = PressContact.objects.filter(email__iendswith=f"@{domain}").first()
    if sibling:
        organisation = sibling.organisation
    else:
        host = urlsplit(parsed.website).hostname if parsed.website else domain
        organisation = re.sub(r"^www\.", "", host or domain)
        warnings.append(
            _("The new contact's organisation was guessed as “%(organisation)s”: check it.")
            % {"organisation": organisation}
        )
    contact = PressContact(
        organisation=organisation,
        division=parsed.division,
        section=parsed.section or parsed.office_line or _("Press office"),
        phone=parsed.phone,
        email=parsed.email,
        website=parsed.website,
    )
    _clean(contact)
    contact.save()
    if parsed.handle:
        handle = SocialHandle(contact=contact, network=parsed.network, handle=parsed.handle)
        _clean(handle)
        handle.save()
    return contact, _("created")


def _clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        messages = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items()
        )
        raise ValidationError(
            _("%(model)s could not be created: %(messages)s")
            % {"model": instance._meta.verbose_name, "messages": messages},
            code="invalid_content",
        ) from error


def release_import(*, text_or_bytes: bytes | str, author=None, filename: str = "") -> ImportResult:
    """Create a draft release from a release written as text, in one transaction.

    Claims with the same wording (ignoring case and spacing) are reused, others created; each
    claim gets a response at positions 1..n with an empty verdict for the editor; links become
    sources; photo captions stay in the response as italic lines (see the module docstring); the
    contact block is matched to a PressContact by e-mail, then phone, or created with its handle.
    Records the release's first revision. Never assigns `status`: the release is a draft because
    that is the default. Raises a coded ValidationError, having written nothing, on bad input.
    """
    check_filename(filename)
    parsed = parse_release(decode_release_bytes(text_or_bytes))
    warnings = list(parsed.warnings)
    try:
        with transaction.atomic():
            contact, contact_status = _contact_for(parsed.contact, warnings)
            release = Release(
                title=parsed.title,
                lede=parsed.lede,
                language=parsed.language,
                contact=contact,
                more_info_url=parsed.more_info_url,
                more_info_label=parsed.more_info_label,
                created_by=author,
                updated_by=author,
            )
            release.save()  # fills the slug, which full_clean would otherwise call missing
            _clean(release)
            existing = _existing_claims(parsed.claims)
            claims, sources = [], 0
            for position, parsed_claim in enumerate(parsed.claims, start=1):
                key = normalise_wording(parsed_claim.wording)
                claim = existing.get(key)
                created = claim is None
                if created:
                    claim = Claim(wording=parsed_claim.wording)
                    claim.save()
                    _clean(claim)
                    existing[key] = claim
                claims.append((claim, created))
                response = Response(
                    release=release, claim=claim, position=position, body=parsed_claim.body
                )
                _clean(response)
                response.save()
                for index, parsed_source in enumerate(parsed_claim.sources, start=1):
                    source = Source(
                        response=response,
                        url=parsed_source.url,
                        title=parsed_source.title,
                        position=index,
                    )
                    _clean(source)
                    source.save()
                    sources += 1
            revision_create(release=release, author=author)
    except IntegrityError as error:
        raise ValidationError(
            _(
                "Another save created the same claim, contact or web address at the same "
                "moment, so nothing was imported. Please try again."
            ),
            code="conflict",
        ) from error
    return ImportResult(
        release=release,
        claims=claims,
        sources=sources,
        captions=[c for parsed_claim in parsed.claims for c in parsed_claim.captions],
        contact=contact,
        contact_status=contact_status,
        warnings=warnings,
    )
