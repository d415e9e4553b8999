"""The public site's chrome follows the language in the address (issue 11, build item 1).

/releases/ is English chrome for everyone; /ru/releases/ the same page with Russian chrome; the
content keeps its own language, and every page keeps one canonical, unprefixed address.
"""

import re

import pytest
from django.utils import translation

from myths.models import Release
from tests.factories import arrange_state
from tests.factories.content import release_with_content
from tests.factories.states import published_release

pytestmark = pytest.mark.django_db


def in_russian(text: str) -> str:
    with translation.override("ru"):
        russian = translation.gettext(text)
    assert russian != text  # the catalogue has it, so the tests below can tell the two apart
    return russian


@pytest.fixture
def release():
    return published_release()


def test_a_prefixed_list_has_russian_chrome(client, release):
    response = client.get("/ru/releases/")
    html = response.text
    assert response.status_code == 200 and response["Content-Language"] == "ru"
    assert '<html lang="ru">' in html
    assert '<header class="masthead" lang="ru">' in html
    assert '<footer class="site-footer" lang="ru">' in html
    assert f'<a href="/ru/releases/" aria-current="page">{in_russian("Releases")}</a>' in html
    assert f'href="/ru{release.get_absolute_url()}"' in html  # the card keeps the reader's prefix


def test_an_unprefixed_page_is_english_whatever_the_browser_or_cookie_says(client):
    client.cookies["django_language"] = "ru"
    html = client.get("/releases/", HTTP_ACCEPT_LANGUAGE="ru").text
    assert '<html lang="en">' in html and '<header class="masthead" lang="en">' in html
    assert ">Releases</a>" in html and in_russian("Releases") not in html


def test_public_pages_vary_on_their_address_alone(client, release):
    for url in ("/", "/releases/", "/ru/releases/", f"/fr{release.get_absolute_url()}"):
        vary = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").get("Vary", "")
        assert "Accept-Language" not in vary and "Cookie" not in vary, url


@pytest.mark.parametrize(
    ("posted_from", "language", "lands_on"),
    [
        ("/releases/", "ru", "/ru/releases/"),
        ("/ru/releases/", "fr", "/fr/releases/"),
        ("/ru/releases/", "en", "/releases/"),
        ("/de/myths/?topic=water", "es", "/es/myths/?topic=water"),
        ("/uk/", "en", "/"),
    ],
)
def test_the_switcher_lands_on_the_same_page_in_the_chosen_language(
    client, posted_from, language, lands_on
):
    html = client.get(posted_from).text
    form = re.search(r'<form class="language-switcher" action="([^"]+)"', html)
    next_field = re.search(r'<input name="next" type="hidden" value="([^"]+)"', html)
    assert next_field.group(1).replace("&amp;", "&") == posted_from
    response = client.post(form.group(1), {"language": language, "next": posted_from})
    assert response.status_code == 302 and response["Location"] == lands_on


def test_an_english_release_under_ru_keeps_english_content_and_russian_chrome(client, release):
    html = client.get(f"/ru{release.get_absolute_url()}").text
    assert '<html lang="en">' in html  # the page's language is the release's
    assert '<article class="release" aria-labelledby="release-title" lang="en">' in html
    assert '<header class="masthead" lang="ru">' in html
    assert in_russian("Myth register") in html and "Download PDF" in html
    claim_links = re.findall(r'href="(/[^"]*myths/[^"]+/)"', html)
    assert claim_links and all(link.startswith("/ru/myths/") for link in claim_links)


def test_canonical_addresses_carry_no_prefix(client, release, settings):
    site = settings.PRESSDESK_SITE_URL.rstrip("/")
    detail = client.get(f"/ru{release.get_absolute_url()}").text
    canonical = f"{site}{release.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in detail
    assert f'<meta property="og:url" content="{canonical}">' in detail
    assert f'href="/releases/{release.slug}/pdf/"' in detail
    for url, path in (
        ("/fr/", "/"),
        ("/fr/releases/", "/releases/"),
        ("/fr/myths/", "/myths/"),
        ("/fr/contacts/", "/contacts/"),
    ):
        assert f'<link rel="canonical" href="{site}{path}">' in client.get(url).text, url


def test_sitemap_and_feed_list_unprefixed_addresses_under_any_prefix(client, release, settings):
    site = settings.PRESSDESK_SITE_URL.rstrip("/")
    assert f"{site}/sitemap-releases.xml" in client.get("/fr/sitemap.xml").text
    for url in ("/fr/sitemap-releases.xml", "/fr/feed/", "/ru/feed/rss/"):
        body = client.get(url).text
        assert f"{site}{release.get_absolute_url()}" in body, url
        assert f"{site}/fr/" not in body and f"{site}/ru/" not in body, url


def test_get_absolute_url_is_canonical_in_any_active_language(release):
    with translation.override("ru"):
        assert release.get_absolute_url() == f"/releases/{release.slug}/"


def test_the_admin_has_no_prefixed_twin(client):
    assert client.get("/fr/admin/").status_code == 404


@pytest.mark.postgres  # the old slug is read out of the revision's JSON
def test_a_renamed_release_redirects_within_the_readers_language(client):
    release = release_with_content(title="Мифы о воде", language="ru")
    arrange_state(release, Release.Status.DRAFT)  # revision 1 records "mify-o-vode"
    Release.objects.filter(pk=release.pk).update(slug="voda-mify")
    release.refresh_from_db()
    arrange_state(release, Release.Status.PUBLISHED)
    page = client.get("/de/releases/mify-o-vode/")
    assert page.status_code == 301 and page["Location"] == "/de/releases/voda-mify/"
    pdf = client.get("/de/releases/mify-o-vode/pdf/")
    assert pdf.status_code == 301 and pdf["Location"] == "/releases/voda-mify/pdf/"
