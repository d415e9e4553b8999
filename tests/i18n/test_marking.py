"""Every visible word of a template is marked for translation.

The templates are read as text: what lies in a translate tag, a blocktranslate or a comment block
is taken out, every other tag and variable becomes a placeholder, and the rest is parsed as HTML.
Any word left in its text, or in an attribute a reader meets (title, alt, aria-label, placeholder,
a meta description), was not marked.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# robots.txt speaks to crawlers; release.css carries its two words in translate tags, in CSS;
# refit.css (spacing for a second PDF layout) has none.
NOT_FOR_READERS = {"robots.txt", "myths/pdf/release.css", "myths/pdf/refit.css"}
VISIBLE_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "label"}
DESCRIPTIVE_META = {"description", "og:title", "og:description", "twitter:title"}

MARKED_BLOCK = re.compile(r"{%-?\s*(blocktranslate|blocktrans|comment)\b.*?{%\s*end\1\s*%}", re.S)
# The admin's body classes are CSS class names, written outside any tag by a child template.
CLASS_BLOCK = re.compile(r"{%\s*block bodyclass\s*%}.*?{%\s*endblock\s*%}", re.S)
TEMPLATE_SYNTAX = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style"}:
            self._hidden += 1
        for name in VISIBLE_ATTRIBUTES & attrs.keys():
            self.texts.append(attrs[name] or "")
        if tag == "meta" and DESCRIPTIVE_META & {attrs.get("name"), attrs.get("property")}:
            self.texts.append(attrs.get("content") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.texts.append(data)


def unmarked_words(source: str) -> list[str]:
    """The words of `source` that a reader would see untranslated."""
    source = CLASS_BLOCK.sub("", MARKED_BLOCK.sub("0", source))
    # A digit keeps a tag a tag (<h{{ level }}> becomes <h0>) and is no word.
    source = TEMPLATE_SYNTAX.sub("0", source)
    parser = VisibleText()
    parser.feed(source)
    parser.close()
    return [" ".join(words) for text in parser.texts if (words := WORD.findall(text))]


def template_names() -> list[str]:
    names = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt", ".css"}
    )
    return [name for name in names if name not in NOT_FOR_READERS]


def test_the_templates_are_found():
    names = template_names()
    for expected in (
        "base.html",
        "myths/release_detail.html",
        "myths/pdf/release.html",
        "myths/email/author_body.txt",
        "admin/myths/workflow_dashboard.html",
    ):
        assert expected in names


@pytest.mark.parametrize("name", template_names())
def test_every_visible_word_is_marked(name):
    assert unmarked_words((TEMPLATES / name).read_text()) == []


class TestTheCheckItself:
    def test_it_finds_a_bare_word(self):
        assert unmarked_words("<p>{% translate 'Home' %} Releases</p>") == ["Releases"]

    def test_it_finds_a_bare_attribute(self):
        assert unmarked_words('<nav aria-label="Breadcrumb"></nav>') == ["Breadcrumb"]
        assert unmarked_words('<meta name="description" content="Our press room">') == [
            "Our press room"
        ]

    def test_it_lets_marked_text_variables_and_punctuation_pass(self):
        source = (
            "{% load i18n %}<p>{% blocktranslate count n=x %}{{ n }} myth{% plural %}"
            "{{ n }} myths{% endblocktranslate %} · {{ title }} — © {% now 'Y' %}</p>"
            '<a title="{% translate "Home" %}" href="{% url "x" %}">{{ name }}</a>'
            "{% comment %}Not for readers.{% endcomment %}<style>.a { b: c }</style>"
        )
        assert unmarked_words(source) == []
