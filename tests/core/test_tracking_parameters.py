"""Tracking parameters of shared links (core.middleware.TrackingParametersMiddleware): dropped
before anything reads the query, so a release shared with `?fbclid=…` is served from the page
cache like its own address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.middleware import TrackingParametersMiddleware
from tests.factories import published_release

pytestmark = pytest.mark.django_db


def query_seen(query: str, method: str = "get") -> str:
    request = getattr(RequestFactory(), method)("/releases/", QUERY_STRING=query)
    seen = []
    TrackingParametersMiddleware(lambda r: seen.append(r.META["QUERY_STRING"]))(request)
    return seen[0]


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("fbclid=IwAR3x", ""),
        ("utm_source=newsletter&utm_medium=email&utm_campaign=march", ""),
        ("page=2&gclid=abc&q=harbour", "page=2&q=harbour"),
        ("UTM_Source=x&language=fr", "language=fr"),
        ("utm%5Fsource=x&topic=water", "topic=water"),  # an encoded name is the same name
        ("q=utm_source&fbclid", "q=utm_source"),  # a value is not a name; a bare name is dropped
        ("utmost=1&fbclidx=2&page=3", "utmost=1&fbclidx=2&page=3"),  # other names are kept
        ("", ""),
    ],
)
def test_only_tracking_parameters_are_dropped(query, kept):
    assert query_seen(query) == kept


def test_a_form_post_keeps_its_query():
    assert query_seen("utm_source=x", method="post") == "utm_source=x"


def test_a_shared_link_is_served_from_the_page_cache(client, django_assert_num_queries):
    release = published_release(title="Harbour facts")
    url = release.get_absolute_url()
    page = client.get(url)
    with django_assert_num_queries(0):
        shared = client.get(url, QUERY_STRING="fbclid=IwAR0abc&utm_source=facebook")
    assert shared.status_code == 200
    assert shared.content == page.content
    # A list keeps its own parameters and loses the tracking ones.
    listed = client.get(reverse("myths:release-list"), QUERY_STRING="q=harbour&utm_medium=social")
    assert b"Harbour facts" in listed.content
    assert b"utm_medium" not in listed.content
