"""Small helpers for the public templates."""

from django import template
from django.utils.dateformat import format as format_date
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from myths.public.search import render_snippet

register = template.Library()

# Primary quotation marks by language. French takes a no-break space inside its guillemets
# (U+00A0: every font of the page and the PDF has it; U+202F is finer but not in all of them).
# Spanish follows the RAE, which prefers the angular « » to the English marks.
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


def _language(language: str = "") -> str:
    return (language or get_language() or "en").split("-")[0].lower()


@register.filter
def long_date(value, language=""):
    """`value` (a date or datetime) in words, as the active language (or `language`) writes it."""
    if not value:
        return ""
    return format_date(value, LONG_DATE_FORMATS.get(_language(language), "j F Y"))


@register.filter
def quoted(value, language=""):
    """`value` between the quotation marks of `language` (default: the active language)."""
    opening, closing = QUOTATION_MARKS.get(_language(language), QUOTATION_MARKS["en"])
    return f"{opening}{value}{closing}"


@register.filter
def snippet(value):
    """A search headline with its matches in <mark>, everything else escaped."""
    return render_snippet(value or "")


@register.simple_tag(takes_context=True)
def nav_current(context, *url_names):
    """aria-current="page" for the nav link of the page being shown."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match and f"{match.namespace}:{match.url_name}" in url_names:
        return mark_safe('aria-current="page"')
    return ""


@register.filter
def verdict_label(value):
    """The words for a verdict code ("lacks_context" → "Lacks context")."""
    from myths.models import Response

    try:
        return Response.Verdict(value).label
    except ValueError:
        return ""
