"""Security headers on every kind of response: public pages, the admin, media files and PDFs.

Content-Security-Policy comes from Django's own middleware: strict on public pages (scripts
and styles only from this site or with the request's nonce, which appears in the header once a
template uses `{{ csp_nonce }}`), the same script rule in the admin with inline styles allowed.
HSTS preloading is off unless DJANGO_HSTS_PRELOAD asks for it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from myths.models import Figure
from tests.factories import UserFactory, published_release

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_common_headers(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    script = policy["script-src"]
    assert script[0] == "'self'"
    assert all(value == "'self'" or value.startswith("'nonce-") for value in script), script
    return policy


@pytest.fixture
def release():
    return published_release(responses=1, figures=1, title="Headers everywhere")


def test_public_pages_have_the_strict_policy(client, release):
    for url in [
        reverse("myths:home"),
        reverse("myths:release-list"),
        reverse("myths:release-detail", kwargs={"slug": release.slug}),
        reverse("myths:feed-atom"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = assert_common_headers(response)
        assert policy["default-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy["style-src"], url
        assert response.headers["X-Frame-Options"] == "DENY"


def test_media_and_pdf_responses_carry_the_headers(client, release):
    figure = Figure.objects.get(response__release=release)
    media = client.get(figure.image.url)
    assert media.status_code == 200
    assert media.headers["X-Content-Type-Options"] == "nosniff"
    # The media view sets its own, stricter policy, which the middleware leaves alone.
    assert directives(media) == {"default-src": ["'none'"], "sandbox": []}
    pdf = client.get(reverse("myths:release-pdf", kwargs={"slug": release.slug}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert_common_headers(pdf)


def test_admin_pages_allow_inline_styles_but_not_inline_scripts(client, release):
    client.force_login(UserFactory(is_superuser=True, username="chief"))
    revision = release.revisions.first()
    for url in [
        reverse("admin:index"),
        reverse("admin:myths_release_change", args=[release.pk]),
        reverse("admin:myths_response_add"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = assert_common_headers(response)
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert response.headers["X-Frame-Options"] == "DENY"
    pdf = client.get(reverse("myths:revision-pdf", args=[revision.pk]))
    assert pdf.status_code == 200
    assert_common_headers(pdf)


def test_the_login_page_has_the_admin_policy(client):
    response = client.get(reverse("admin:login"))
    assert "'unsafe-inline'" in directives(response)["style-src"]


def test_hsts_over_https_without_preload_by_default(client, settings, release):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("myths:home"), secure=True)
    hsts = response.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "preload" not in hsts


def setting_under(env: dict, name: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PRESSDESK_"))}
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def test_hsts_preload_is_opt_in():
    assert setting_under({"DJANGO_HTTPS": "1"}, "SECURE_HSTS_PRELOAD") == "False"
    opted_in = {"DJANGO_HTTPS": "1", "DJANGO_HSTS_PRELOAD": "1"}
    assert setting_under(opted_in, "SECURE_HSTS_PRELOAD") == "True"
