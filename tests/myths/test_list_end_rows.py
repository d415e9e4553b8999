"""The first and the last page of the release list read through queries compiled once per process
(ReleaseListView.end_rows, BoundedPaginator): the same rows, in the same order, as the queryset
the filters build, unfiltered and in one language; a topic or a search goes the usual way."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from myths.public.views import ReleaseListView
from tests.factories import published_release

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def archive():
    """Fifteen releases in two languages, published a day apart, two of them at one moment."""
    start = timezone.now() - timedelta(days=30)
    for n in range(15):
        day = start + timedelta(days=min(n, 13))
        published_release(title=f"Release {n}", language="fr" if n % 3 else "en", publish_at=day)


def listed(query: dict) -> tuple[list, list]:
    """The pages' rows as the view reads them, and as the filters' queryset gives them."""
    request = RequestFactory().get("/releases/", query)
    view = ReleaseListView()
    view.setup(request)
    view.object_list = view.get_queryset()
    paginator = view.get_paginator(view.object_list, 4, **view.get_paginator_kwargs())
    expected = list(view.filterset.qs)
    return paginator, expected


@pytest.mark.parametrize("query", [{}, {"language": "fr"}, {"language": "en"}])
def test_the_first_and_last_pages_are_the_querysets(archive, query):
    paginator, expected = listed(query)
    assert paginator.end_rows(4, from_end=False) is not None  # the compiled path is taken
    pages = [list(paginator.page(n).object_list) for n in paginator.page_range]
    assert [r.pk for page in pages for r in page] == [r.pk for r in expected]
    assert [r.public_title for r in pages[0]] == [r.public_title for r in expected[:4]]


def test_a_search_or_a_topic_reads_the_queryset(archive):
    paginator, _expected = listed({"q": "release"})
    assert paginator.end_rows(4, from_end=False) is None


def test_the_registers_first_and_last_pages_are_the_querysets(archive):
    from myths.public.views import ClaimListView

    request = RequestFactory().get("/myths/")
    view = ClaimListView()
    view.setup(request)
    view.object_list = view.get_queryset()
    paginator = view.get_paginator(view.object_list, 4, **view.get_paginator_kwargs())
    expected = list(view.filterset.qs)
    assert len(expected) > 8
    assert paginator.end_rows(4, from_end=True) is not None  # the compiled path is taken
    pages = [list(paginator.page(n).object_list) for n in paginator.page_range]
    assert [r.pk for page in pages for r in page] == [r.pk for r in expected]
    last = expected[-len(pages[-1]) :]
    assert [r.wording for r in pages[-1]] == [r.wording for r in last]
