"""Issue 9, item 10: junk query strings are answered but never stored in the page cache.

Only canonical queries are stored: the list views' choice filters with valid values and a real
page number, each once, under their sorted spelling (and a search that finds something, within a
budget: tests/myths/test_search_cache.py). Everything else (unknown parameters, searches that
find nothing, dates, repeats, out-of-range pages, queries on pages that take none) is rendered
fresh.
"""

import pytest

from core import page_cache
from tests.factories import published_release
from tests.faults.servers import redis_server

pytestmark = pytest.mark.django_db

JUNK = [
    "/releases/?zzz{i}=1",
    "/releases/?q=junk{i}",
    "/releases/?page={i}",  # one page only: each is clamped to page 1
    "/releases/?topic=no-such-topic-{i}",
    "/releases/?verdict=false&source={i}",
    "/releases/?verdict=false&verdict=false&n={i}",
    "/releases/?date_from={year}-01-01",
    "/releases/?language=en&verdict=false&x{i}=",
    "/releases/?verdict=false&language=en&{i}",  # unsorted, and a bare key
    "/releases/?verdict=nonsense{i}",
    "/myths/?verdict=false&page={i}",
    "/myths/?q=harbour{i}",
    "/?campaign={i}",
    "/{{slug}}?v={i}",
    "/feed/?{i}",
    "/feed/rss/?x={i}",
    "/sitemap.xml?p={i}",
    "/contacts/?c={i}",
    "/robots.txt?{i}",
    "/myths/?topic=%00{i}",
]


def junk_urls(release, count=200):
    urls = []
    for i in range(count):
        template = JUNK[i % len(JUNK)].replace("{{slug}}", release.get_absolute_url()[1:])
        urls.append(template.format(i=i, year=1800 + i))
    return urls


@pytest.fixture
def release():
    return published_release(title="Harbour facts")


@pytest.fixture
def stored(monkeypatch):
    """The keys the page cache stores, whatever the backend."""
    keys = []
    original = page_cache.cache_set

    def spy(key, value, timeout):
        keys.append(key)
        original(key, value, timeout)

    monkeypatch.setattr(page_cache, "cache_set", spy)
    return keys


def pages(stored: list[str]) -> list[str]:
    """The stored keys that are pages (skeletons are kept per version of what a page shows,
    which no query string changes: tests/myths/test_release_skeleton.py)."""
    return [key for key in stored if ":skeleton:" not in key]


def test_200_junk_query_strings_store_nothing(client, release, stored):
    urls = junk_urls(release, 400)
    assert len(set(urls)) == 400
    for url in urls[:200]:
        assert client.get(url).status_code in (200, 404), url  # answered, never an error
    assert pages(stored) == []
    # Skeletons, a few, for the pages' versions: 200 other junk strings add none.
    skeletons = len(stored)
    for url in urls[200:]:
        assert client.get(url).status_code in (200, 404), url
    assert len(stored) == skeletons
    # The canonical spelling of a filter is stored, once; so is a bare page.
    client.get("/releases/?language=en&verdict=false")
    client.get("/releases/?language=en&verdict=false")
    client.get(release.get_absolute_url())
    assert len(pages(stored)) == 2


def test_tracking_parameters_store_only_the_page_they_were_added_to(client, release, stored):
    """A shared link's utm_* or fbclid is dropped (core.middleware): 200 clicks, each with its
    own value, store the page itself once, never a page per click."""
    slug = release.get_absolute_url()
    for i in range(200):
        client.get(f"{slug}?fbclid=IwAR{i}&utm_source=share")
        client.get(f"/?utm_campaign=march{i}")
    assert len(pages(stored)) == 2


def test_200_junk_query_strings_add_no_redis_key(client, settings, release, tmp_path):
    with redis_server(tmp_path) as redis:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis.url,
            }
        }
        client.get("/")
        urls = junk_urls(release, 400)
        for url in urls[:200]:
            assert client.get(url).status_code in (200, 404), url  # answered, never an error
        # The first junk requests may store skeletons and fragments of the pages' versions;
        # 200 other junk strings add no key at all.
        before = redis.client().dbsize()
        for url in urls[200:]:
            assert client.get(url).status_code in (200, 404), url
        assert redis.client().dbsize() == before
        client.get("/myths/?verdict=false")
        assert redis.client().dbsize() > before  # a canonical filter is a page, stored


def test_a_valid_page_number_is_canonical_page_one_is_not(client, stored):
    for number in range(13):
        published_release(title=f"Release {number}")
    assert client.get("/releases/?page=2").status_code == 200
    assert client.get("/releases/?page=1").status_code == 200  # the same as /releases/
    assert client.get("/releases/?page=02").status_code == 200
    assert client.get("/releases/?page=3").status_code == 200  # clamped to 2
    assert len(pages(stored)) == 1
