"""Presentation per office (issue 13, item 6): a graded verdict or a "Myth" / "Fact" pairing with
no rating, on the release page, in the register and on claim pages, as the release's office
chose; the ClaimReview structured data is the same either way."""

import json
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from contacts.models import PressOffice
from myths.models import Release, Response
from tests.factories import published_release

pytestmark = pytest.mark.django_db
Style = PressOffice.VerdictStyle


@pytest.fixture
def graded():
    return PressOffice.objects.create(name="Fact-check desk", verdict_style=Style.GRADED)


@pytest.fixture
def institutional():
    return PressOffice.objects.create(name="Ministry press office", verdict_style=Style.MYTH_FACT)


def release_of(office):
    release = published_release(responses=1)
    Release.objects.filter(pk=release.pk).update(office=office)
    return release


def claim_reviews(html):
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return [item for item in json.loads(data) if item["@type"] == "ClaimReview"]


def test_graded_office_shows_the_verdict_and_no_fact_label(client, graded):
    html = client.get(release_of(graded).get_absolute_url()).content.decode()
    assert (
        '<span class="verdict-key">Verdict:</span> <span class="verdict-value">False</span>' in html
    )
    assert "fact-label" not in html


def test_myth_fact_office_pairs_myth_and_fact_without_a_rating(client, institutional):
    html = client.get(release_of(institutional).get_absolute_url()).content.decode()
    assert '<h3 class="fact-label">Fact</h3>' in html
    assert "Verdict:" not in html and 'class="verdict ' not in html
    assert "Myth 1" in html


@pytest.mark.parametrize("style", Style.values)
def test_claim_review_is_emitted_in_both_styles(client, style):
    office = PressOffice.objects.create(name=f"Office {style}", verdict_style=style)
    html = client.get(release_of(office).get_absolute_url()).content.decode()
    (review,) = claim_reviews(html)
    assert review["reviewRating"]["ratingValue"] == 1
    assert review["reviewRating"]["alternateName"] == "False"


def test_register_and_claim_pages_follow_the_office_of_each_release(
    client, graded, institutional, django_assert_max_num_queries
):
    checked = release_of(graded).responses.get().claim
    paired = release_of(institutional).responses.get().claim
    html = client.get(reverse("myths:claim-list")).content.decode()
    items = {
        wording: block
        for block in html.split('<li class="register-item"')[1:]
        for wording in (checked.wording, paired.wording)
        if wording in block
    }
    assert "Verdict:" in items[checked.wording]
    assert "Verdict:" not in items[paired.wording] and "fact-label" not in items[paired.wording]

    graded_page = client.get(checked.get_absolute_url()).content.decode()
    assert "Verdict:</span>" in graded_page and "fact-label" not in graded_page
    paired_page = client.get(paired.get_absolute_url()).content.decode()
    assert '<h3 class="fact-label">Fact</h3>' in paired_page and "Verdict:" not in paired_page


def test_register_query_count_does_not_grow_with_offices(client, graded, institutional):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    release_of(graded)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("myths:claim-list"))
    for office in (graded, institutional, graded):
        release_of(office)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("myths:claim-list"))
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("style", "expected", "absent"),
    [
        ("graded", "Verdict:", "Fact"),
        ("myth_fact", '<p class="fact-label">Fact</p>', "Verdict:"),
        ("", '<p class="fact-label">Fact</p>', "Verdict:"),  # no office: the model's default
    ],
)
def test_the_tag_the_pdf_reuses(style, expected, absent):
    html = Template("{% load verdicts %}{% verdict code style %}").render(
        Context({"code": Response.Verdict.MISLEADING, "style": style})
    )
    assert expected in html and absent not in html


def test_the_tag_in_a_list_shows_nothing_for_myth_fact():
    template = Template("{% load verdicts %}{% verdict code style summary=True %}")
    render = lambda style: template.render(Context({"code": "false", "style": style}))  # noqa: E731
    assert render("myth_fact").strip() == ""
    assert "Verdict:" in render("graded")
