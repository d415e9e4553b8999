"""What the importer recognises, as data: claim-heading keywords, closing-matter phrases and
contact labels in the office's languages, quote pairs, social networks and caption limits.

The tables are what to edit to teach the importer a language. The regular expressions built
from them are anchored at the start of a line or bounded at each position, so their work grows
linearly with the text (tests/myths/test_importer.py feeds them hostile files).
"""

from __future__ import annotations

import re

from contacts.models import SocialHandle

# --- Claim headings --------------------------------------------------------------------------

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
# "Myth: …", "Mythe : …": unnumbered, numbered by position (a common government style).
UNNUMBERED_HEADING_RE = re.compile(
    rf"^{_DECOR}(?P<keyword>{_KEYWORD})(?!\w)\s*[:–—-]\s*(?P<wording>\S.*)$", re.IGNORECASE
)
# A Markdown image on its own line: "![Divers at the lock](lock.jpg)".
MARKDOWN_IMAGE_RE = re.compile(r"^\s*!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)[^)]*\)\s*$")
# "1. Myth: …", "2) Mythe : …"
NUMBERED_HEADING_RE = re.compile(
    rf"^{_DECOR}(?P<number>\d{{1,3}})\s*[.)]\s*(?P<keyword>{_KEYWORD})(?!\w)\s*[:.–—-]\s*"
    r"(?P<wording>.+)$",
    re.IGNORECASE,
)

# --- Closing matter: the "for more information" line and the contact block ------------------

# Phrases (regular-expression fragments, matched case-insensitively) that open the line
# pointing to the office's portal, by language.
MORE_INFO_PHRASES = {
    "en": (r"for (more|further) information", r"more information", r"further information"),
    "fr": (
        r"pour (plus d['’]informations?|en savoir plus|de plus amples informations)",
        r"plus d['’]informations?",
        r"en savoir plus",
    ),
    "ru": (
        r"(для )?(получения )?(дополнительной|более подробной) информации",
        r"подробнее",
        r"дополнительная информация",
    ),
    "uk": (
        r"(для )?(отримання )?(додаткової|детальнішої) інформації",
        r"більше інформації",
        r"додаткова інформація",
    ),
    "de": (r"(für )?weitere informationen",),
    "es": (r"(para )?más información",),
}
# Labels that open a contact line, all languages together (fragments, case-insensitive).
PHONE_LABELS = ("tel", "tél", "phone", "telephone", "téléphone", "тел", "телефон")
EMAIL_LABELS = (
    r"e-?mail",
    r"courriel",
    r"mél",
    r"эл\.?\s*почта",
    r"электронная почта",
    r"ел\.?\s*пошта",
    r"електронна пошта",
)
FOLLOW_LABELS = (
    r"follow us",
    r"suivez[- ]nous",
    r"подписывайтесь",
    r"следите за нами",
    r"стежте за нами",
    r"слідкуйте за нами",
    r"folgen sie uns",
    r"síguenos",
)
# A network's name as a text writes it → the network. A handle takes the network named last
# before it on its line; with none named, the network stays empty (never assumed to be X).
NETWORK_WORDS = {
    "x": SocialHandle.Network.X,
    "twitter": SocialHandle.Network.X,
    "mastodon": SocialHandle.Network.MASTODON,
    "bluesky": SocialHandle.Network.BLUESKY,
    "facebook": SocialHandle.Network.FACEBOOK,
    "instagram": SocialHandle.Network.INSTAGRAM,
    "linkedin": SocialHandle.Network.LINKEDIN,
    "youtube": SocialHandle.Network.YOUTUBE,
    "telegram": SocialHandle.Network.TELEGRAM,
}
# What a phone number is for, when a line says so ("Out of hours: …", "Tel. (mobile): …").
PHONE_QUALIFIERS = (
    r"out[- ]of[- ]hours",
    r"after[- ]hours",
    r"mobile",
    r"duty (?:press )?officer",
    r"24/7",
    r"hors heures(?: ouvrables)?",
    r"portable",
    r"astreinte",
    r"мобильный",
    r"мобільний",
    r"mobil",
    r"außerhalb der bürozeiten",
    r"fuera de horario",
    r"móvil",
)
# Words that make the first part of an office line a division rather than an organisation:
# "Public Diplomacy Division – Press Section" vs "Ministry of Water – Press Office".
DIVISION_WORDS = (
    "division",
    "directorate",
    "direction",
    "división",
    "dirección",
    "abteilung",
    "управление",
    "департамент",
    "служба",
    "управління",
    "директорат",
)
# Words of a section's name, for an office line of one part ("Press Office").
SECTION_WORDS = ("press", "media", "section", "office", "presse", "prensa", "пресс", "прес")
# Words of a spokesperson's role: "Jane Smith, Head of Media".
ROLE_WORDS = (
    "head",
    "spokes",
    "officer",
    "director",
    "manager",
    "adviser",
    "advisor",
    "secretary",
    "porte-parole",
    "attaché",
    "chargé",
    "responsable",
    "chef",
    "directeur",
    "directrice",
    "sprecher",
    "leiter",
    "portavoz",
    "jef",
    "секретар",
    "руководител",
    "начальник",
    "речни",
    "керівни",
)


def _any_of(fragments) -> str:
    return "|".join(fragments)


MORE_INFO_RE = re.compile(
    rf"^\W*({_any_of(p for phrases in MORE_INFO_PHRASES.values() for p in phrases)})",
    re.IGNORECASE,
)
PHONE_LINE_RE = re.compile(
    rf"^\W*({_any_of(PHONE_LABELS)})\b\.?\s*[:.]?\s*(?P<value>.+)$", re.IGNORECASE
)
EMAIL_LINE_RE = re.compile(
    rf"^\W*({_any_of(EMAIL_LABELS)})\s*[:.]?\s*(?P<value>.+)$", re.IGNORECASE
)
FOLLOW_LINE_RE = re.compile(rf"^\W*({_any_of(FOLLOW_LABELS)})\b(?P<value>.*)$", re.IGNORECASE)
# "X: @press", "Telegram – @press", "Mastodon: @press@social.example": a network, then handles.
NETWORK_LINE_RE = re.compile(
    rf"^\W*(?P<network>{_any_of(NETWORK_WORDS)})\s*[:–—-]\s*(?P<value>@.+)$", re.IGNORECASE
)
NETWORK_WORD_RE = re.compile(rf"(?<!\w)({_any_of(NETWORK_WORDS)})(?!\w)", re.IGNORECASE)
# "Out of hours: +44 …", "Mobile tel.: +44 …": a qualified number.
QUALIFIED_PHONE_LINE_RE = re.compile(
    rf"^\W*(?P<label>{_any_of(PHONE_QUALIFIERS)})\s*(?:(?:{_any_of(PHONE_LABELS)})\b\.?)?"
    r"\s*[:.]?\s*(?P<value>\+?[0-9(][0-9 ()./-]+)$",
    re.IGNORECASE,
)
# The value of a phone line that starts with what the number is for: "(out of hours): +44 …".
PHONE_LABEL_PREFIX_RE = re.compile(r"^\((?P<label>[^)\d]{2,60})\)\s*[:.]?\s*(?P<value>.+)$")
# "Jane Smith, Head of Media", "Contact: Jane Smith (Head of Media)".
SPOKESPERSON_LINE_RE = re.compile(
    r"^(?:(?:press contact|contact|spokesperson)\s*:\s*)?"
    r"(?P<name>[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){1,3})\s*[,(–—]\s*"
    r"(?P<role>[^,()]{2,100}?)\)?$",
    re.IGNORECASE,
)
# Office-line parts: "Organisation – Division – Section".
OFFICE_SPLIT_RE = re.compile(r"\s+[–—-]\s+")
WEBSITE_LINE_RE = re.compile(r"^<?(?P<value>(?:https?://|www\.)[^\s<>]+?)>?/?$", re.IGNORECASE)
# A line that is only a Markdown link to a web address: "[our site](https://…)".
WEBSITE_LINK_LINE_RE = re.compile(r"\[[^\]]*\]\(\s*(?P<value>https?://[^)\s]+)\s*\)")
HANDLE_TOKEN_RE = re.compile(r"@[A-Za-z0-9_.]+(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?")
# An address and the spaces before it, removed from a "more information" label. The
# look-behind starts a match only where a run of spaces starts, so a long run is read once.
LABEL_URL_RE = re.compile(r"(?<!\s)\s*<?https?://\S+>?")

# A name in quotes: «…», “…”, „…“, "…", ‘…’, or '…' (not an apostrophe inside a word).
QUOTED_RES = [
    re.compile(r"«\s*(?P<text>[^»]{3,200}?)\s*»"),
    re.compile(r"“(?P<text>[^”]{3,200})”"),
    re.compile(r"„(?P<text>[^“”]{3,200})[“”]"),
    re.compile(r'"(?P<text>[^"]{3,200})"'),
    re.compile(r"‘(?P<text>[^’]{3,200})’(?!\w)"),
    re.compile(r"(?<!\w)'(?P<text>[^']{3,200})'(?!\w)"),
]
# Opening quote → closing quote, to unquote a claim's wording.
QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“", "‘": "’", "'": "'"}

# --- Paragraphs and photo captions -----------------------------------------------------------

SEPARATOR_RE = re.compile(r"^\s*([-*_=~]\s*){3,}$")  # "---", "* * *": a thematic break
CAPTION_MAX_CHARS = 200
CAPTION_MAX_WORDS = 30
FINAL_PUNCTUATION = ".!?:;…,"
ITALIC_LINE_RE = re.compile(r"([*_])[^*_].*[^*_]\1")  # "*A caption*" or "_A caption_"
LIST_OR_HEADING_RE = re.compile(r"^([-*+]|\d+[.)]|#)\s")
TWO_SENTENCES_RE = re.compile(r"[.!?]\s+\S")
# A caption says so, whatever the blank lines around it (a Word export has single ones):
# "Photo: …", "Caption – …", or a credit at its end: "… (Photo: NATO)", "… © Jane Doe".
CAPTION_MARK_RE = re.compile(
    r"^(photo|picture|image|caption|légende|фото|світлина|bild|foto)\s*[:–—-]"
    r"|\((photo|credit|crédit|фото|foto|bild)\s*:[^)]*\)\W*$|©\s*[^\W\d_][^©]*$",
    re.IGNORECASE,
)
