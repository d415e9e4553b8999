"""Typographic conventions by language: quotation marks and dates written out in words.

The public pages, the PDF, e-mails and the Markdown renderer all follow the language of the
content they show, and read these tables rather than hard-coding English marks or formats.
"""

from django.utils.dateformat import format as format_date
from django.utils.translation import get_language

# Primary quotation marks by language. French takes a no-break space inside its guillemets
# (U+00A0: every font of the page and the PDF has it; U+202F is finer but not in all of them).
# Spanish follows the RAE, which prefers the angular « » to the English marks; German and
# Ukrainian use the low-high „ “ pair.
QUOTATION_MARKS = {
    "en": ("\u201c", "\u201d"),
    "fr": ("\u00ab\u00a0", "\u00a0\u00bb"),
    "ru": ("\u00ab", "\u00bb"),
    "es": ("\u00ab", "\u00bb"),
    "de": ("\u201e", "\u201c"),
    "uk": ("\u201e", "\u201c"),
}

# A date written out as each language's press writes it ("27 ноября 2026", "27. November 2026",
# "27 de noviembre de 2026"); E is the month's genitive form where the language has one.
LONG_DATE_FORMATS = {
    "en": "j F Y",
    "fr": "j F Y",
    "ru": "j E Y",
    "uk": "j E Y",
    "de": "j. F Y",
    "es": r"j \d\e F \d\e Y",
}


def language_code(language: str = "") -> str:
    """`language` (else the active language) reduced to its primary subtag: "pt-br" → "pt"."""
    return (language or get_language() or "en").split("-")[0].lower()


def quotation_marks(language: str = "") -> tuple[str, str]:
    """The opening and closing marks of `language`, English ones for a language not listed."""
    return QUOTATION_MARKS.get(language_code(language), QUOTATION_MARKS["en"])


def long_date(value, language: str = "") -> str:
    """`value` (a date or datetime) in words, in the active language's form (or `language`'s).

    The month's name comes from the active translation: call it inside
    `translation.override(language)` when `language` is not the active one.
    """
    if not value:
        return ""
    return format_date(value, LONG_DATE_FORMATS.get(language_code(language), "j F Y"))


def dateline(place: str, issued, language: str = "") -> str:
    """The dateline a release opens with, without its closing dash: "BRUSSELS, 12 March 2017".

    The place in capitals, the date written out as `language`'s press writes it (call it inside
    `translation.override(language)` for the month's name); either part may be missing.
    """
    parts = [place.strip().upper(), long_date(issued, language)]
    return ", ".join(part for part in parts if part)
