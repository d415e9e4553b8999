"""Markdown to safe HTML: the one place Markdown is rendered, for pages, previews and the PDF.

Two layers. First, raw HTML typed into the Markdown is not interpreted at all: it is shown as
the text it is (an editor who pastes ``<iframe>`` sees it in the preview rather than having it
vanish silently). Second, whatever Markdown produced goes through nh3's allow-list: only the
tags and attributes below survive, links and images may only use http(s), mailto and tel or a
relative URL (so no javascript:, vbscript: or data: URLs, however they are cased or encoded),
and no event-handler or style attribute survives.

Python-Markdown's work grows with the square of unclosed brackets and its recursion with list
nesting (24 KB of "[" took 30 s; a 400-level list raised RecursionError). So the text is
measured first, in one linear pass (``markdown_limits_error``): text beyond the limits is not
given to Python-Markdown at all but shown as escaped plain paragraphs, and the editor's preview
says why. Within the limits, formatting still runs under a time budget
(``PRESSDESK_MARKDOWN_TIME_BUDGET`` seconds): past it the text is shown plain as well, so no input
can hold a request for longer than the budget.
"""

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import linebreaks
from django.utils.translation import gettext as _
from markdown.extensions import Extension

from core.typography import quotation_marks

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "figcaption", "figure", "h2",
    "h3", "h4", "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "align"},
    "td": {"align"},
    "abbr": {"title"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]
# Column alignment as the align attribute: the style attribute Markdown uses otherwise is not
# on the allow-list.
MARKDOWN_EXTENSION_CONFIGS = {"extra": {"tables": {"use_align_attribute": True}}}


class RawHtmlAsText(Extension):
    """Treat raw HTML blocks and inline tags as plain text, so they are escaped, not rendered."""

    def extendMarkdown(self, md):  # the hook's name is Python-Markdown's
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # md_in_html (part of "extra") only works on the HTML blocks removed above.
        if "markdown_block" in md.parser.blockprocessors:
            md.parser.blockprocessors.deregister("markdown_block")


def sanitise_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes; everything else is dropped."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# Brackets as Python-Markdown's link patterns see them; a backslash escapes the next character.
BRACKETS = re.compile(r"\\.|[\[\]()]", re.DOTALL)
# What opens a block at the start of a line: indentation, quote markers and list markers
# ("- - - item" is a list three deep on one line).
LINE_PREFIX = re.compile(r"^(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*", re.MULTILINE)
LIST_MARKER = re.compile(r"[-*+][ \t]|\d{1,9}[.)][ \t]")
TAB_LENGTH = 4  # Python-Markdown's default: one nesting level per four columns


def _bracket_depths(text: str) -> tuple[int, int]:
    """(deepest nesting of [ or ( brackets, brackets left open at the end), in one pass."""
    open_count = {"[": 0, "(": 0}
    deepest = 0
    for match in BRACKETS.finditer(text):
        char = match.group()
        if char in open_count:
            open_count[char] += 1
            deepest = max(deepest, open_count[char])
        elif char in "])":
            opener = "[" if char == "]" else "("
            open_count[opener] = max(0, open_count[opener] - 1)
    return deepest, sum(open_count.values())


def _block_depth(text: str) -> int:
    """The deepest line: its quote and list markers plus its indentation in nesting levels."""
    deepest = 0
    for prefix in LINE_PREFIX.findall(text):
        markers = len(LIST_MARKER.findall(prefix)) + prefix.count(">")
        indent = LIST_MARKER.sub("", prefix).replace(">", "").expandtabs(TAB_LENGTH)
        deepest = max(deepest, markers + len(indent) // TAB_LENGTH)
    return deepest


def markdown_limits_error(text: str) -> ValidationError | None:
    """Why `text` is too costly to format (a coded ValidationError), or None when it is fine.

    Limits (settings): ``PRESSDESK_MARKDOWN_MAX_CHARS`` characters, ``PRESSDESK_MARKDOWN_MAX_DEPTH``
    levels of lists, quotes or brackets, and as many brackets left open. Runs in linear time.
    """
    limit = settings.PRESSDESK_MARKDOWN_MAX_CHARS
    if len(text) > limit:
        return ValidationError(
            _("The text is %(size)s characters long; the limit is %(limit)s.")
            % {"size": len(text), "limit": limit},
            code="markdown_too_long",
        )
    depth_limit = settings.PRESSDESK_MARKDOWN_MAX_DEPTH
    if _block_depth(text) > depth_limit:
        return ValidationError(
            _("Lists, quotes or indented blocks are nested more than %(limit)s levels deep.")
            % {"limit": depth_limit},
            code="markdown_too_deep",
        )
    deepest, left_open = _bracket_depths(text)
    if deepest > depth_limit or left_open > depth_limit:
        return ValidationError(
            _(
                "Too many brackets [ ] or ( ) are nested or left open (the limit is %(limit)s); "
                "close them, or write \\[ for a bracket that is only text."
            )
            % {"limit": depth_limit},
            code="markdown_brackets",
        )
    return None


def validate_markdown(text: str) -> None:
    """Form validator: refuse text that would be shown unformatted (see markdown_limits_error)."""
    if error := markdown_limits_error(text or ""):
        raise error


def render_plain_text(text: str) -> str:
    """The text as escaped paragraphs and line breaks: linear work whatever the input."""
    return sanitise_html(linebreaks(text, autoescape=True))


def _extension_configs(language: str) -> dict:
    """Smarty's "straight" double quotes become the marks of the text's language (« » in a
    Russian response, not “ ”); apostrophes and single quotes keep its defaults."""
    opening, closing = quotation_marks(language or "en")
    return {
        **MARKDOWN_EXTENSION_CONFIGS,
        "smarty": {"substitutions": {"left-double-quote": opening, "right-double-quote": closing}},
    }


logger = logging.getLogger(__name__)
# Renders run on threads of their own so a request can stop waiting for one. Python cannot stop a
# thread: a render past its budget finishes in the background, and the limits above bound how
# long that is. Two threads: a render queued behind two overrunning ones falls back as well.
_RENDER_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="markdown")


def render_markdown(text: str, language: str = "en") -> str:
    """Render editor Markdown (written in `language`) to sanitised HTML. Safe to mark as safe in
    templates.

    Text beyond the limits of ``markdown_limits_error``, or whose formatting takes longer than
    ``PRESSDESK_MARKDOWN_TIME_BUDGET`` seconds, comes out as plain paragraphs.
    """
    text = text or ""
    if markdown_limits_error(text):
        return render_plain_text(text)
    future = _RENDER_POOL.submit(_render_formatted, text, language)
    try:
        return future.result(timeout=settings.PRESSDESK_MARKDOWN_TIME_BUDGET)
    except FutureTimeout:
        logger.warning(
            "Markdown of %s characters took longer than %s s: shown as plain text",
            len(text),
            settings.PRESSDESK_MARKDOWN_TIME_BUDGET,
        )
        return render_plain_text(text)


def render_markdown_here(text: str, language: str = "en") -> str:
    """`render_markdown` in the calling thread, without the time budget: the same work, for code
    that measures it (tests count the lines it executes) or that runs outside any request."""
    text = text or ""
    if markdown_limits_error(text):
        return render_plain_text(text)
    return _render_formatted(text, language)


def _render_formatted(text: str, language: str) -> str:
    html = markdown_lib.markdown(
        text,
        extensions=[*MARKDOWN_EXTENSIONS, RawHtmlAsText()],
        extension_configs=_extension_configs(language),
        output_format="html",
    )
    return sanitise_html(html)
