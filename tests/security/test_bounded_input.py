"""Input that cost too much: the work to render Markdown grows with the text, no faster.

The review sent 24 KB of "[" to the preview (30 s, worker killed), a 400-level nested list (a
500) and a NUL byte to the admin autocomplete (a 500). Work is measured by counting the Python
lines executed for an input of size n and of size 4n, never by the clock: linear work grows
about fourfold, quadratic work sixteenfold.
"""

import sys
import threading

import pytest
from django.urls import reverse

from myths import markdown as markdown_module
from myths.markdown import markdown_limits_error, render_markdown, render_markdown_here
from tests.factories import ResponseFactory, UserFactory


class WorkBudgetExceeded(BaseException):
    """Raised inside the measured code; a BaseException so that no `except Exception` eats it."""


def lines_executed(func, *args, budget: int) -> int:
    """How many Python lines `func(*args)` executes; stops it once past `budget`."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
            if count > budget:
                raise WorkBudgetExceeded(f"over {budget} lines")
        return trace

    sys.settrace(trace)
    try:
        func(*args)
    finally:
        sys.settrace(None)
    return count


# Each makes a text of about `n` units of the shape that was costly.
HOSTILE = {
    "open brackets": lambda n: "[" * n,
    "links without end": lambda n: "[a](" * n,
    "nested brackets": lambda n: "[" * n + "]" * n,
    "nested parentheses": lambda n: "[a](" + "(" * n + ")" * n,
    "open brackets in prose": lambda n: "Words [ and more words. " * n,
    "nested quotes": lambda n: "\n".join(">" * i + " quoted" for i in range(n // 8)),
    "nested list (tabs)": lambda n: "\n".join("\t" * i + "- item" for i in range(n // 8)),
    "nested list (one line)": lambda n: "- " * n + "item",
}
# Ordinary prose, the yardstick: what the renderer spends per character on honest text.
PROSE = (
    "The reservoir is **full** and the [report](https://example.org/report) says so.\n\n"
    "- one point\n- another point\n\n> A quotation, with *emphasis*.\n\n"
)
PER_CHARACTER_ALLOWANCE = 150  # lines per input character; honest prose needs about half


@pytest.mark.parametrize("shape", HOSTILE)
def test_rendering_work_grows_linearly(shape):
    make = HOSTILE[shape]
    small, large = make(1000), make(4000)
    budget = PER_CHARACTER_ALLOWANCE * len(large) + 50_000
    work_small = lines_executed(render_markdown_here, small, budget=budget)
    work_large = lines_executed(render_markdown_here, large, budget=budget)
    per_char_small, per_char_large = work_small / len(small), work_large / len(large)
    assert per_char_large <= 1.5 * per_char_small + 1, (shape, work_small, work_large)


def test_honest_prose_is_within_the_allowance_and_formatted():
    text = PROSE * 40
    work = lines_executed(render_markdown_here, text, budget=10**8)
    assert work < PER_CHARACTER_ALLOWANCE * len(text)
    html = render_markdown(text)
    assert "<strong>full</strong>" in html and "<blockquote>" in html and "<li>" in html


def test_formatting_past_its_time_budget_is_shown_as_plain_text(settings, monkeypatch):
    """A text within the limits whose formatting still overruns the budget: the caller stops
    waiting and shows it plain (the slow render is held on an event, not timed)."""
    settings.PRESSDESK_MARKDOWN_TIME_BUDGET = 0.05
    started, release = threading.Event(), threading.Event()

    def slow_render(text, language):
        started.set()
        release.wait(timeout=30)
        return "<p><strong>formatted</strong></p>"

    monkeypatch.setattr(markdown_module, "_render_formatted", slow_render)
    try:
        html = render_markdown("Some **bold** words.")
    finally:
        release.set()
    assert started.is_set()  # the formatted render did start: the budget, not a limit, stopped it
    assert html == "<p>Some **bold** words.</p>"


def test_formatting_within_its_budget_is_formatted(settings):
    settings.PRESSDESK_MARKDOWN_TIME_BUDGET = 30
    assert render_markdown("Some **bold** words.") == "<p>Some <strong>bold</strong> words.</p>"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 24_000, "markdown_brackets"),
        ("x" * 60_000, "markdown_too_long"),
        ("- " * 400 + "item", "markdown_too_deep"),
        ("> - " * 400 + "item", "markdown_too_deep"),
        ("\n".join("\t" * i + "- item" for i in range(300)), "markdown_too_deep"),
        ("\n".join(">" * i + " q" for i in range(200)), "markdown_too_deep"),
    ],
)
def test_costly_text_is_named_and_shown_as_plain_text(text, code):
    error = markdown_limits_error(text)
    assert error is not None and error.code == code
    html = render_markdown(text)
    assert "<li>" not in html and "<blockquote>" not in html
    assert html.startswith("<p>")


@pytest.mark.parametrize(
    "text",
    [
        "See [the report](https://example.org/a_(b)) (and [this](https://example.org)).",
        "Prices rose :( but less than feared. 1) first 2) second 3) third",
        "\n".join("    " * i + "- level" for i in range(8)),
        "> > > a quote in a quote in a quote",
        "Use \\[ for a literal bracket: \\[\\[\\[\\[\\[\\[\\[\\[\\[\\[\\[\\[\\[\\[\\[\\[\\[\\[\\[",
    ],
)
def test_ordinary_text_is_within_the_limits(text):
    assert markdown_limits_error(text) is None


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(role="writer"))
    client.raise_request_exception = False
    return client


PREVIEW = "/admin/markdownx/markdownify/"


def test_preview_of_24kb_of_brackets_says_why(staff_client):
    response = staff_client.post(PREVIEW, {"content": "[" * 24_000})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "brackets" in page
    assert 'data-code="markdown_brackets"' in page


DEEP_LIST = "\n".join("\t" * i + "- item" for i in range(300))  # RecursionError before


def test_preview_of_a_300_level_list_is_not_a_500(staff_client):
    deep = DEEP_LIST
    response = staff_client.post(PREVIEW, {"content": deep})
    assert response.status_code == 200
    assert 'data-code="markdown_too_deep"' in response.content.decode()


def test_preview_of_ordinary_text_has_no_alert(staff_client):
    response = staff_client.post(PREVIEW, {"content": PROSE})
    assert response.status_code == 200
    assert 'role="alert"' not in response.content.decode()


@pytest.mark.django_db
def test_saving_a_300_level_list_stores_plain_text():
    response = ResponseFactory(body=DEEP_LIST)
    assert "<li>" not in response.body_html and "item" in response.body_html


@pytest.mark.parametrize(
    ("model", "field"),
    [("release", "translation_of"), ("response", "claim"), ("response", "release")],
)
def test_nul_in_the_admin_autocomplete_is_a_400(staff_client, model, field):
    url = reverse("admin:autocomplete")
    query = {"term": "a\x00b", "app_label": "myths", "model_name": model, "field_name": field}
    assert staff_client.get(url, query).status_code == 400
    query["term"] = "ab"
    assert staff_client.get(url, query).status_code == 200


@pytest.mark.parametrize("url", ["/admin/myths/release/?q=%00", "/admin/myths/claim/?%00=1"])
def test_nul_elsewhere_in_an_admin_query_string_is_a_400(staff_client, url):
    assert staff_client.get(url).status_code == 400


def test_public_search_still_answers_nul_with_its_form_message(staff_client):
    assert staff_client.get("/releases/?q=a%00b").status_code == 200
