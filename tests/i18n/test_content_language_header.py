"""Content-Language names the language a page's content is written in.

A release, its claim pages and its previews are in the release's language (like `<html lang>`);
pages that are all chrome (lists, home) are in the reader's.
"""

import pytest
from django.urls import reverse

from myths.models import RegisterEntry
from tests.i18n.releases import russian_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian():
    return russian_release()


def test_a_release_page_says_the_releases_language_to_any_reader(client, russian):
    for reader in ("en", "fr", "ru"):
        response = client.get(russian.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=reader)
        assert response.status_code == 200
        assert response["Content-Language"] == "ru", reader
        assert '<html lang="ru">' in response.text


def test_a_cached_release_page_keeps_the_releases_language(client, russian, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    first = client.get(russian.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    again = client.get(russian.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    assert first["ETag"] == again["ETag"]  # the second answer came from the cache
    assert again["Content-Language"] == "ru"


def test_pages_of_chrome_keep_the_readers_language(client, russian):
    # The reader's language is the one in the address (issue 11).
    for url in ("/fr/", "/fr" + reverse("myths:release-list")):
        response = client.get(url)
        assert response["Content-Language"] == "fr", url


@pytest.mark.postgres  # the register is filled from the language in the revision's JSON
def test_a_claim_page_says_the_claims_language(client, russian):
    claim = RegisterEntry.objects.current().get(revision__release=russian, answer__position=1)
    response = client.get(claim.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"


def test_a_preview_says_the_releases_language(client, login, russian):
    login(client, "writer")
    url = reverse("myths:revision-preview", args=[russian.live_revision_id])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
