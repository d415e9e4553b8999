"""core.site: absolute addresses come from PRESSDESK_SITE_URL alone."""

import pytest

from core.site import absolute_url, site_domain, site_scheme, site_url


@pytest.fixture(autouse=True)
def configured(settings):
    settings.PRESSDESK_SITE_URL = "https://press.example/"


def test_a_path_goes_on_the_configured_site():
    assert site_url() == "https://press.example"
    assert absolute_url("/releases/harbour/") == "https://press.example/releases/harbour/"


def test_an_absolute_address_is_left_alone():
    assert absolute_url("https://cdn.example/a.jpg") == "https://cdn.example/a.jpg"
    assert absolute_url("//cdn.example/a.jpg") == "https://cdn.example/a.jpg"


def test_scheme_and_domain_for_the_sitemap(settings):
    settings.PRESSDESK_SITE_URL = "http://127.0.0.1:8000/press/"
    assert (site_scheme(), site_domain()) == ("http", "127.0.0.1:8000/press")
