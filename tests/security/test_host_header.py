"""Issue 9, item 11: absolute URLs come from PRESSDESK_SITE_URL, never from the Host header.

Public responses are cached for every visitor whatever the Host they came with, so a link built
from a forged Host would be served to everyone after it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import published_release

pytestmark = pytest.mark.django_db

FORGED_HOST = "127.0.0.1:6666"
SITE = "https://press.example"
# Everything that prints absolute addresses and is cached for everyone.
URLS = [
    "/sitemap.xml",
    "/sitemap-releases.xml",
    "/sitemap-myths.xml",
    "/feed/",
    "/feed/rss/",
    "/robots.txt",
    "/",
    "/releases/",
    "/myths/",
]


@pytest.fixture
def site(settings):
    # The forged host must pass ALLOWED_HOSTS, as it would behind a permissive front server.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, FORGED_HOST]
    settings.PRESSDESK_SITE_URL = SITE + "/"
    return published_release(title="Harbour release", publish_at=timezone.now() - timedelta(days=1))


@pytest.mark.parametrize("url", URLS)
def test_no_link_to_the_request_host_is_emitted_nor_cached(client, site, url):
    forged = client.get(url, HTTP_HOST=FORGED_HOST)
    assert forged.status_code == 200
    body = forged.content.decode()
    assert FORGED_HOST not in body
    # The cached copy a later, ordinary visitor gets carries no trace of the forged host either.
    later = client.get(url)
    assert later.status_code == 200
    assert FORGED_HOST not in later.content.decode()
    assert later.content == forged.content


@pytest.mark.parametrize("url", ["/sitemap-releases.xml", "/feed/", "/feed/rss/"])
def test_links_are_on_the_configured_site(client, site, url):
    body = client.get(url, HTTP_HOST=FORGED_HOST).content.decode()
    assert SITE + site.get_absolute_url() in body
    assert "testserver" not in body


def test_the_sitemap_index_names_its_pages_on_the_configured_site(client, site):
    body = client.get("/sitemap.xml", HTTP_HOST=FORGED_HOST).content.decode()
    assert f"<loc>{SITE}/sitemap-releases.xml</loc>" in body
    assert "testserver" not in body


def test_release_page_links_are_on_the_configured_site(client, site):
    body = client.get(site.get_absolute_url(), HTTP_HOST=FORGED_HOST).content.decode()
    assert FORGED_HOST not in body
    assert f'<link rel="canonical" href="{SITE}{site.get_absolute_url()}">' in body
