"""The structured data of a release page, parsed and checked against schema.org and Google's
fact-check guidance (required: claimReviewed, reviewRating, url, author; recommended:
itemReviewed with author and appearance, datePublished)."""

import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from myths.models import Response
from tests.factories import arrange_state, published_release

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    return data if isinstance(data, list) else [data]


@pytest.fixture
def page(client):
    release = published_release(responses=3, publish_at=timezone.now() - timedelta(days=1))
    for index, response in enumerate(release.responses.order_by("position")):
        claim = response.claim
        claim.claimant = "Channel Nine News"
        claim.first_appeared_on = date(2026, 1, 15)
        claim.first_appeared_in = "Evening bulletin"
        claim.first_appearance_url = f"https://example.net/video/{index}"
        claim.save()
    Response.objects.filter(pk=release.responses.order_by("position").last().pk).update(
        verdict=Response.Verdict.MISLEADING
    )
    arrange_state(release, release.Status.PUBLISHED)  # the edits, published
    return release, client.get(release.get_absolute_url()).content.decode()


def test_news_article_with_publisher_and_contact_point(page):
    release, html = page
    article = next(d for d in json_ld(html) if d["@type"] == "NewsArticle")
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == release.title
    assert article["url"].endswith(release.get_absolute_url())
    assert article["mainEntityOfPage"]["@id"] == article["url"]
    assert article["datePublished"].startswith(str(timezone.localdate() - timedelta(days=1))[:4])
    assert article["image"] and all(i.startswith("http") for i in article["image"])
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization"
    # The issuing office names the publisher (issue 13), never the contact's organisation.
    assert publisher["name"] == release.office.name
    point = publisher["contactPoint"]
    assert point["@type"] == "ContactPoint"
    assert point["contactType"] == "press"
    assert point["email"] == release.contact.email
    assert point["telephone"] == release.contact.phone


def test_one_claim_review_per_response(page):
    release, html = page
    reviews = [d for d in json_ld(html) if d["@type"] == "ClaimReview"]
    responses = list(release.responses.order_by("position"))
    assert len(reviews) == len(responses) == 3
    for number, (review, response) in enumerate(zip(reviews, responses, strict=True), 1):
        assert review["@context"] == "https://schema.org"
        assert review["url"].endswith(f"{release.get_absolute_url()}#myth-{number}")
        assert review["claimReviewed"] == response.claim.wording
        assert review["author"]["@type"] == "Organization" and review["author"]["name"]
        assert review["datePublished"]
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert rating["alternateName"] == Response.Verdict(response.verdict).label
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim"
        assert claim["author"] == {"@type": "Organization", "name": "Channel Nine News"}
        appearance = claim["firstAppearance"]
        assert appearance["@type"] == "CreativeWork"
        assert appearance["url"] == f"https://example.net/video/{number - 1}"
        assert appearance["datePublished"] == "2026-01-15"
        assert claim["appearance"] == [appearance]
    assert reviews[-1]["reviewRating"]["alternateName"] == "Misleading"
    assert reviews[0]["reviewRating"]["ratingValue"] < reviews[-1]["reviewRating"]["ratingValue"]


def test_script_cannot_be_closed_from_content(client):
    release = published_release(responses=1, title="Bad </script><script>alert(1)</script>")
    html = client.get(release.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)[0]["headline"].startswith("Bad </script>")


def test_open_graph_twitter_and_canonical(page):
    release, html = page
    canonical = f"http://127.0.0.1:8000{release.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert f'<meta property="og:title" content="{release.title}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:image" content="http://127.0.0.1:8000/media/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<link rel="alternate" hreflang="en" href="{canonical}">' in html


def test_rating_scale_is_coherent_and_each_verdict_has_its_own_step(client):
    """1 = false … 5 = true: every verdict inside the scale, in order, none claiming "true"."""
    from myths.public.structured_data import BEST_RATING, VERDICT_RATINGS, WORST_RATING

    order = [
        Response.Verdict.FALSE,
        Response.Verdict.MISLEADING,
        Response.Verdict.LACKS_CONTEXT,
        Response.Verdict.UNSUPPORTED,
    ]
    assert set(VERDICT_RATINGS) == set(Response.Verdict)
    values = [VERDICT_RATINGS[v] for v in order]
    assert values == sorted(set(values)), "one distinct, rising step per verdict"
    assert (WORST_RATING, BEST_RATING) == (1, 5)
    assert values[0] == WORST_RATING and values[-1] < BEST_RATING

    release = published_release(responses=4, publish_at=timezone.now() - timedelta(days=1))
    for response, verdict in zip(release.responses.order_by("position"), order, strict=True):
        Response.objects.filter(pk=response.pk).update(verdict=verdict)
    arrange_state(release, release.Status.PUBLISHED)  # the new verdicts, published
    html = client.get(release.get_absolute_url()).content.decode()
    reviews = [d for d in json_ld(html) if d["@type"] == "ClaimReview"]
    ratings = [r["reviewRating"] for r in reviews]
    assert [r["ratingValue"] for r in ratings] == [1, 2, 3, 4]
    assert [r["alternateName"] for r in ratings] == [str(v.label) for v in order]
    assert all((r["worstRating"], r["bestRating"]) == (1, 5) for r in ratings)
