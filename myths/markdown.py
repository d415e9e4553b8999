"""Markdown to safe HTML: the one place Markdown is rendered, for pages, previews and the PDF.

Editors write Markdown; raw HTML in it is escaped by nh3's allow-list, links may only use http(s),
mailto and tel (so no javascript: or data: URLs), and no event-handler attribute survives.
"""

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "figcaption", "figure", "h2", "h3", "h4",
    "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope"},
    "abbr": {"title"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]


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


def render_markdown(text: str) -> str:
    """Render editor Markdown to sanitised HTML. Safe to mark as safe in templates."""
    html = markdown_lib.markdown(text or "", extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return sanitise_html(html)
