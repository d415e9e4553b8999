"""myths.revisions.wording: what a silent typography fix may change (no word) and what it may not.

The comparer decides what reaches readers without a notice, so it is tested hard: punctuation,
spaces, quote, apostrophe and dash styles, soft hyphens and Unicode composition are typography;
any word, number, sign, currency, case or accent changed is not, in Latin and Cyrillic scripts.
"""

import dataclasses

import pytest
from django.utils import translation

from myths.revisions import ContactContent, FigureContent, ReleaseContent, SourceContent
from myths.revisions.content import ResponseContent
from myths.revisions.wording import content_words, text_words, wording_changes

# --- Words of a text ------------------------------------------------------------------------------

TYPOGRAPHY_ONLY = [
    # straight and curly quotes, per-language quotation marks
    ('He said "no".', "He said “no”."),
    ("He said “no”.", "He said «\u00a0no\u00a0»."),
    ("Он сказал «нет».", "Он сказал „нет“."),
    # apostrophes: straight, curly, the modifier letter Ukrainian uses
    ("don't", "don’t"),
    ("м'ясо, об'єкт", "мʼясо, обʼєкт"),
    ("l'OTAN", "l’OTAN"),
    # dashes and hyphens
    ("2017 - 2018", "2017–2018"),
    ("facts -- not rumours", "facts — not rumours"),
    ("Euro-Atlantic", "Euro‑Atlantic"),  # non-breaking hyphen
    ("well-known", "well known"),
    # spaces: double, no-break, narrow no-break, line breaks
    ("10 km  away", "10\u00a0km away"),
    ("20 %", "20\u202f%"),
    ("20 %", "20%"),
    ("line one\nline two", "line one line two"),
    # punctuation added, removed or changed
    ("Wait, what", "Wait… what?"),
    ("Yes.No", "Yes. No"),
    ("(see below)", "[see below]"),
    ("Note: done", "Note — done"),
    # invisible characters
    ("exam\u00adple", "example"),
    ("zero\u200bwidth", "zerowidth"),
    ("\ufeffBOM", "BOM"),
    # the same letter composed or decomposed
    ("e\u0301te\u0301", "été"),
    ("Ёлка", "Е\u0308лка"),
    # the sign of a number in another glyph
    ("-5 °C", "−5 °C"),
    ("–3", "−3"),
    # Markdown emphasis and list markers
    ("*very* important", "**very** important"),
    ("- first\n- second", "* first\n* second"),
]


@pytest.mark.parametrize(("before", "after"), TYPOGRAPHY_ONLY)
def test_typography_changes_no_words(before, after):
    assert text_words(before) == text_words(after)


WORDS_CHANGED = [
    # a word added, removed, replaced, misspelt or fixed
    ("The port is open", "The port is not open"),
    ("The port is not open", "The port is open"),
    ("The port is open", "The harbour is open"),
    ("recieve", "receive"),
    ("don't", "dont"),
    # case is part of a word
    ("the US army", "the us army"),
    ("nato", "NATO"),
    # accents are letters
    ("ou", "où"),
    ("resume", "résumé"),
    ("Munchen", "München"),
    # Cyrillic: a letter, ё, a stress mark, a word
    ("Порт открыт", "Порт закрыт"),
    ("еще", "ещё"),
    ("замок", "за\u0301мок"),
    ("Міф спростовано", "Міф підтверджено"),
    ("об'єкт", "обєкт"),
    # a Latin letter swapped for its Cyrillic look-alike
    ("Pоrt", "Port"),
    # numbers: digits, decimal and thousands separators, signs
    ("2017", "2018"),
    ("3,5 million", "3.5 million"),
    ("1,000", "1.000"),
    ("1,000", "1 000"),
    ("-5 °C", "5 °C"),
    ("5", "+5"),
    ("12 March", "13 March"),
    # meaningful symbols
    ("10 %", "10 ‰"),
    ("€5", "$5"),
    ("20 °C", "20 C"),
    ("x < 5", "x > 5"),
    # words joined or split
    ("a lot", "alot"),
    ("e-mail", "email"),
    # order is meaning
    ("Moscow blames Kyiv", "Kyiv blames Moscow"),
]


@pytest.mark.parametrize(("before", "after"), WORDS_CHANGED)
def test_a_changed_word_is_seen(before, after):
    assert text_words(before) != text_words(after)


def test_words_of_a_mixed_text():
    text = "«Это — неправда», — заявил NATO 3 апреля 2017 г.: потери −1,5 % (≈ €2 млн)."
    assert text_words(text) == [
        "Это",
        "неправда",
        "заявил",
        "NATO",
        "3",
        "апреля",
        "2017",
        "г",
        "потери",
        "-1,5",
        "%",
        "≈",
        "€",
        "2",
        "млн",
    ]


def test_a_sign_starts_a_number_only_after_a_space():
    assert text_words("5-7") == ["5", "7"]
    assert text_words("F-16") == ["F", "16"]
    assert text_words("from -7") == ["from", "-7"]


def test_an_empty_text_has_no_words():
    assert text_words("") == []
    assert text_words(" — … «» ") == []


# --- Words of a release ---------------------------------------------------------------------------


def content(**changes) -> ReleaseContent:
    """A whole release as a revision records it, with every kind of public text field set."""
    response = ResponseContent(
        number=1,
        claim_id=7,
        claim_slug="the-port-was-closed",
        claim_wording="The port was closed",
        claimant="A channel",
        first_appeared_on=None,
        first_appeared_in="A video",
        first_appearance_url="https://example.org/video",
        topics=[("harbour", "Harbour")],
        verdict="false",
        body="The port **stayed open** all year.",
        body_html="<p>The port <strong>stayed open</strong> all year.</p>",
        figures=[
            FigureContent(
                image="figures/port.jpg",
                caption="Ships in the port",
                credit="Press office",
                alt_text="Two ships at the quay",
                width=800,
                height=600,
            )
        ],
        sources=[SourceContent(url="https://example.org/log", title="Port log", publisher="Port")],
    )
    base = ReleaseContent(
        release_id=1,
        title="Five myths about the port",
        slug="five-myths-about-the-port",
        lede="Rumours persist. Here are the facts.",
        language="en",
        more_info_url="https://example.org/more",
        more_info_label="Read more on our site",
        contact=ContactContent(
            organisation="Ministry",
            division="Press",
            section="Desk",
            phone="+32 2 555 0100",
            email="press@example.org",
            website="https://example.org",
            social=[("x", "X", "@press")],
        ),
        responses=[response],
    )
    return dataclasses.replace(base, **changes)


def with_response(base: ReleaseContent, **changes) -> ReleaseContent:
    return dataclasses.replace(base, responses=[dataclasses.replace(base.responses[0], **changes)])


def with_figure(base: ReleaseContent, **changes) -> ReleaseContent:
    figure = dataclasses.replace(base.responses[0].figures[0], **changes)
    return with_response(base, figures=[figure])


def test_every_public_field_is_compared_and_bookkeeping_is_not():
    paths = set(content_words(content()))
    for path in [
        ("title",),
        ("lede",),
        ("more_info_url",),
        ("more_info_label",),
        ("contact", "organisation"),
        ("contact", "phone"),
        ("contact", "social", 0, 2),
        ("responses", 0, "claim_wording"),
        ("responses", 0, "claimant"),
        ("responses", 0, "verdict"),
        ("responses", 0, "body"),
        ("responses", 0, "topics", 0, 1),
        ("responses", 0, "figures", 0, "caption"),
        ("responses", 0, "figures", 0, "alt_text"),
        ("responses", 0, "figures", 0, "credit"),
        ("responses", 0, "figures", 0, "image"),
        ("responses", 0, "sources", 0, "title"),
        ("responses", 0, "sources", 0, "url"),
    ]:
        assert path in paths, path
    for path in [
        ("release_id",),
        ("slug",),
        ("responses", 0, "claim_id"),
        ("responses", 0, "body_html"),
        ("responses", 0, "number"),
        ("responses", 0, "figures", 0, "width"),
    ]:
        assert path not in paths, path


def test_typography_throughout_a_release_changes_no_words():
    old = content()
    new = with_figure(
        content(
            title="Five myths about the port",
            lede="Rumours persist — Here are the facts…",
            more_info_label="Read more on our site.",
        ),
        caption="Ships in the port.",
        alt_text="Two ships at the quay.",
    )
    new = dataclasses.replace(
        new,
        responses=[
            dataclasses.replace(
                new.responses[0],
                body="The port *stayed open* all year!",
                body_html="<p>whatever the renderer made</p>",
            )
        ],
    )
    assert wording_changes(old, new) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda c: dataclasses.replace(c, title="Six myths about the port"),
        lambda c: dataclasses.replace(c, lede="Rumours persist. Here are the real facts."),
        lambda c: with_response(c, claim_wording="The port was shut"),
        lambda c: with_response(c, body="The port stayed open most of the year."),
        lambda c: with_response(c, verdict="misleading"),
        lambda c: with_figure(c, caption="Ships in the harbour"),
        lambda c: with_figure(c, alt_text="Three ships at the quay"),
        lambda c: with_figure(c, credit="Reuters"),
        lambda c: with_figure(c, image="figures/other.jpg"),
        lambda c: with_response(
            c,
            sources=[
                SourceContent(url="https://example.org/log2", title="Port log", publisher="Port")
            ],
        ),
        lambda c: dataclasses.replace(
            c, contact=dataclasses.replace(c.contact, phone="+32 2 555 0199")
        ),
        lambda c: dataclasses.replace(c, responses=[]),
        lambda c: dataclasses.replace(c, responses=c.responses * 2),
    ],
    ids=[
        "title",
        "lede",
        "claim",
        "answer",
        "verdict",
        "caption",
        "alt-text",
        "credit",
        "image",
        "source-address",
        "contact-phone",
        "myth-removed",
        "myth-added",
    ],
)
def test_a_changed_word_anywhere_is_found(change):
    assert wording_changes(content(), change(content())) != []


def test_a_change_says_where_and_which_words():
    old = content()
    new = with_response(
        dataclasses.replace(old, title="Six myths about the port"),
        body="The port **stayed closed** all year.",
    )
    changes = wording_changes(old, new)
    assert [str(change) for change in changes] == [
        "title: “Five” → “Six”",
        "Myth 1: “open” → “closed”",
    ]


def test_the_refusal_names_places_in_the_users_language():
    old = content()
    new = dataclasses.replace(old, title="Five myths about the harbour")
    with translation.override("fr"):
        assert (
            str(wording_changes(old, new)[0])
            == "titre\u00a0: «\u00a0port\u00a0» → «\u00a0harbour\u00a0»"
        )


def test_words_only_added_or_only_removed():
    old = content(lede="Here are the facts.")
    new = content(lede="Here are the facts, checked.")
    (change,) = wording_changes(old, new)
    assert (change.removed, change.added) == ((), ("checked",))
    assert str(change) == "lede: — → “checked”"


def test_nearby_changes_are_told_as_one():
    old = content(title="Three myths about the harbour dredging")
    new = content(title="Three myths about dredging the harbour")
    assert [str(change) for change in wording_changes(old, new)] == [
        "title: “the harbour dredging” → “dredging the harbour”"
    ]


def test_distant_changes_are_told_apart():
    old = content(lede="One two three four five six seven eight nine ten.")
    new = content(lede="One 2 three four five six seven eight nine 10.")
    assert [(c.removed, c.added) for c in wording_changes(old, new)] == [
        (("two",), ("2",)),
        (("ten",), ("10",)),
    ]
