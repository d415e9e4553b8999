"""Markdown to safe HTML: the one place Markdown is rendered, for pages, previews and the PDF.

Two layers. First, raw HTML typed into the Markdown is not interpreted at all: it is shown as
the text it is (an editor who pastes ``<iframe>`` sees it in the preview rather than having it
vanish silently). Second, whatever Markdown produced goes through nh3's allow-list: only the
tags and attributes below survive, links and images may only use http(s), mailto and tel or a
relative URL (so no javascript:, vbscript: or data: URLs, however they are cased or encoded),
and no event-handler or style attribute survives.
"""

import markdown as markdown_lib
import nh3
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


def _extension_configs(language: str) -> dict:
    """Smarty's "straight" double quotes become the marks of the text's language (« » in a
    Russian response, not “ ”); apostrophes and single quotes keep its defaults."""
    opening, closing = quotation_marks(language or "en")
    return {
        **MARKDOWN_EXTENSION_CONFIGS,
        "smarty": {"substitutions": {"left-double-quote": opening, "right-double-quote": closing}},
    }


def render_markdown(text: str, language: str = "en") -> str:
    """Render editor Markdown (written in `language`) to sanitised HTML. Safe to mark as safe in
    templates."""
    html = markdown_lib.markdown(
        text or "",
        extensions=[*MARKDOWN_EXTENSIONS, RawHtmlAsText()],
        extension_configs=_extension_configs(language),
        output_format="html",
    )
    return sanitise_html(html)
