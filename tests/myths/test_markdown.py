"""Markdown rendering: normal Markdown renders, hostile Markdown and raw HTML come out inert."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from myths.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    render_markdown,
    sanitise_html,
)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def html_elements(html: str) -> list[tuple[str, dict]]:
    """Every element a browser would build from ``html``, with its (entity-decoded) attributes."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_inert(html: str) -> None:
    """Only allow-listed tags and attributes, no handler, no URL with a scheme outside the list."""
    for tag, attrs in html_elements(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name, html)
            if name in {"href", "src"}:
                # Browsers drop tabs and newlines inside URLs before reading the scheme.
                url = "".join(value.split()).lower()
                scheme = urlsplit(url).scheme
                assert not scheme or scheme in ALLOWED_URL_SCHEMES, (tag, value, html)


HOSTILE = {
    "script-block": "<script>alert(1)</script>",
    "script-inline": "Before <script>alert(1)</script> after",
    "script-case": "<ScRiPt>alert(1)</sCrIpT>",
    "javascript-link": "[click](javascript:alert(1))",
    "javascript-case": "[click](JaVaScRiPt:alert(1))",
    "javascript-entity": "[click](jav&#x61;script:alert(1))",
    "javascript-decimal-entity": "[click](&#106;avascript:alert(1))",
    "javascript-tab": "[click](java&#9;script:alert(1))",
    "javascript-newline": "[click](java&#10;script:alert(1))",
    "javascript-angle": "[click](<javascript:alert(1)>)",
    "javascript-autolink": "<javascript:alert(1)>",
    "javascript-reference": "[click][evil]\n\n[evil]: javascript:alert(1)",
    "javascript-reference-case": "[click][evil]\n\n[evil]: JAVASCRIPT:alert(1) 'title'",
    "vbscript-link": "[click](vbscript:msgbox(1))",
    "data-link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data-image": "![pic](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "javascript-image": "![pic](javascript:alert(1))",
    "image-attribute-breakout": '![pic](x" onerror="alert(1))',
    "raw-img-onerror": "<img src=x onerror=alert(1)>",
    "raw-link-javascript": "<a href='javascript:alert(1)'>click</a>",
    "raw-svg-onload": "<svg onload=alert(1)>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "style": "<style>body { display: none }</style>",
    "form": '<form action="https://evil.example/"><input name="password"></form>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "attr-list-handler": "*hello*{: onclick=alert(1) }",
    "attr-list-block": 'A paragraph\n{: onmouseover="alert(1)" style="color:red" }',
    "md-in-html": '<div markdown="1" onclick="alert(1)">**x**</div>',
    "comment": "<!-- <script>alert(1)</script> -->",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_renders_inert(text):
    html = render_markdown(text)

    assert_inert(html)
    lowered = html.lower()
    for dangerous in ("<script", "<iframe", "<style", "<form", "<svg", "<object", "<meta"):
        assert dangerous not in lowered


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click][evil]\n\n[evil]: javascript:alert(1)",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html,hi)",
    ],
)
def test_links_with_forbidden_schemes_keep_their_text_but_lose_the_url(text):
    [(tag, attrs)] = [
        element for element in html_elements(render_markdown(text)) if element[0] != "p"
    ]

    assert tag == "a"
    assert "href" not in attrs
    assert "click" in render_markdown(text)


def test_raw_html_is_shown_as_text_not_interpreted():
    html = render_markdown('Before <b onclick="x()">bold</b> and <script>alert(1)</script>')

    assert [tag for tag, _ in html_elements(html)] == ["p"]
    assert "&lt;b onclick=" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "html",
    [
        '<a href="java&#9;script:alert(1)">x</a>',
        '<a href="&#x6A;avascript:alert(1)">x</a>',
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.org/" onclick="alert(1)" style="color:red">x</a>',
        "<p><script>alert(1)</script><iframe src=https://e.example/></iframe></p>",
    ],
)
def test_sanitiser_alone_also_holds_against_raw_html(html):
    cleaned = sanitise_html(html)

    assert_inert(cleaned)
    assert "<script" not in cleaned and "<iframe" not in cleaned


def test_normal_markdown_still_renders():
    text = (
        "Some *emphasis*, **strong** and `code`.\n\n"
        'A [report](https://example.org/report?id=1&lang=en "The report"), '
        "a [mail](mailto:press@example.org), a [call](tel:+3225550100) and a "
        "[page](/releases/harbour/).\n\n"
        "- first\n- second\n\n"
        "1. one\n2. two\n\n"
        "> A quotation.\n\n"
        "![Inspectors on the quay](https://example.org/quay.jpg)\n"
        "![Older photo](http://example.org/old.png)\n\n"
        "| Year | Ships |\n|:-----|------:|\n| 2025 | 12 |\n\n"
        "## A heading\n\n"
        "Term\n: Its definition.\n\n"
        "Less: 2 < 3 & 4 > 1.\n"
    )

    html = render_markdown(text)

    assert_inert(html)
    assert "<em>emphasis</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<code>code</code>" in html
    elements = html_elements(html)
    links = {attrs.get("href") for tag, attrs in elements if tag == "a"}
    assert links == {
        "https://example.org/report?id=1&lang=en",
        "mailto:press@example.org",
        "tel:+3225550100",
        "/releases/harbour/",
    }
    assert all(
        attrs.get("rel") == "noopener noreferrer nofollow" for tag, attrs in elements if tag == "a"
    )
    images = {attrs["src"]: attrs["alt"] for tag, attrs in elements if tag == "img"}
    assert images == {
        "https://example.org/quay.jpg": "Inspectors on the quay",
        "http://example.org/old.png": "Older photo",
    }
    tags = [tag for tag, _ in elements]
    for tag in ("ul", "ol", "li", "blockquote", "table", "thead", "th", "td", "h2", "dl", "dt"):
        assert tag in tags, tag
    assert ("td", {"align": "right"}) in elements
    assert "2 &lt; 3 &amp; 4 &gt; 1" in html


def test_editor_uploads_render_as_images():
    html = render_markdown("![](/media/uploads/0123456789abcdef0123456789abcdef.png)")

    assert html_elements(html) == [
        ("p", {}),
        ("img", {"alt": "", "src": "/media/uploads/0123456789abcdef0123456789abcdef.png"}),
    ]


def test_empty_and_none_render_to_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
