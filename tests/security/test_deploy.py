"""The documented production set-up starts, and `check --deploy` refuses a development one.

Production needs `redis` (REDIS_URL) and `gunicorn` declared; the deploy checks fail on a
loopback PRESSDESK_SITE_URL, on demo accounts that still take the published password and on
the demo's content; the README's production environment passes `--fail-level WARNING`.
"""

import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import checks
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from packaging.requirements import Requirement

from myths.checks import is_loopback_url, redis_client_is_installed, site_url_is_public
from myths.models import Claim, Release
from tests.factories import published_release
from tests.fixtures import TEST_REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
# The README's "A production environment is at least" block, with example values.
DOCUMENTED_PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3J9v0sQ-production-like-secret-for-the-test-only-x8Rz2mWq7LpT",
    "DJANGO_ALLOWED_HOSTS": "press.example.org",
    "DJANGO_HTTPS": "1",
    "PRESSDESK_SITE_URL": "https://press.example.org",
    "REDIS_URL": TEST_REDIS_URL,
    "DJANGO_EMAIL_HOST": "smtp.example.org",
}


def deploy_check_ids(*only) -> set[str]:
    """The ids the deploy checks report; `only` names check functions of myths.checks to run."""
    if only:
        return {m.id for check in only for m in check(None)}
    return {m.id for m in checks.run_checks(include_deployment_checks=True)}


def declared_dependencies() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(line) for line in project["dependencies"]]
    return {r.name.lower(): r for r in requirements}


@pytest.mark.parametrize("name", ["redis", "gunicorn"])
def test_production_packages_are_declared_with_a_floor(name):
    requirement = declared_dependencies().get(name)
    assert requirement is not None, f"{name} is not in pyproject.toml's dependencies"
    assert any(spec.operator == ">=" for spec in requirement.specifier)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.1.2.3/",
        "https://localhost",
        "https://LOCALHOST./",
        "http://press.localhost:8000",
        "http://[::1]:8000",
        "http://0.0.0.0",
        "/relative",
        "",
    ],
)
def test_loopback_site_url_fails_the_deploy_check(settings, url):
    settings.PRESSDESK_SITE_URL = url
    assert is_loopback_url(url)
    assert "pressdesk.E002" in deploy_check_ids(site_url_is_public)


@pytest.mark.parametrize("url", ["https://press.example.org", "https://203.0.113.7/"])
def test_public_site_url_passes(settings, url):
    settings.PRESSDESK_SITE_URL = url
    assert "pressdesk.E002" not in deploy_check_ids(site_url_is_public)


def test_redis_url_without_the_client_library_fails(settings, monkeypatch):
    import importlib.util

    settings.REDIS_URL = TEST_REDIS_URL
    assert "pressdesk.E003" not in deploy_check_ids(redis_client_is_installed)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "redis" else real_find_spec(name, *a),
    )
    assert "pressdesk.E003" in deploy_check_ids(redis_client_is_installed)


@pytest.mark.django_db
def test_demo_accounts_and_content_fail_the_deploy_check(settings):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password

    assert not {"pressdesk.E004", "pressdesk.E005"} & deploy_check_ids()
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    assert {"pressdesk.E004", "pressdesk.E005"} <= deploy_check_ids()

    for user in get_user_model().objects.all():
        user.set_password("a-new-password-the-office-chose")
        user.save()
    ids = deploy_check_ids()
    assert "pressdesk.E004" not in ids
    assert "pressdesk.E005" in ids  # new passwords do not make the invented releases real
    # The check only reads: it never re-hashes a password.
    assert all(
        not check_password("pressdesk-demo", u.password) for u in get_user_model().objects.all()
    )

    # Revisions protect releases from deletion: rewriting the invented text clears the check.
    for model, field in [(Release, "title"), (Claim, "wording")]:
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(**{field: f"The office's own text {pk}"})
    assert not {"pressdesk.E004", "pressdesk.E005"} & deploy_check_ids()


def manage(*args, env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PRESSDESK_", "DATABASE_", "REDIS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def migrated_database_url() -> str:
    """A URL for the migrated, empty test database this session made."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db["HOST"] or "127.0.0.1"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db
def test_documented_production_environment_is_clean():
    env = {**DOCUMENTED_PRODUCTION, "DATABASE_URL": migrated_database_url()}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_documented_production_environment_with_the_default_site_url_fails():
    env = {**DOCUMENTED_PRODUCTION, "DATABASE_URL": migrated_database_url()}
    del env["PRESSDESK_SITE_URL"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "pressdesk.E002" in result.stdout + result.stderr


@pytest.fixture
def redis_cache(settings):
    """The page cache on the real Redis (db 9 unless PRESSDESK_TEST_REDIS_URL says otherwise)."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(
            f"No Redis answers at {TEST_REDIS_URL}: start one or set PRESSDESK_TEST_REDIS_URL."
        )
    settings.REDIS_URL = TEST_REDIS_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
        }
    }
    client.flushdb()
    yield client
    client.flushdb()


@pytest.mark.django_db
def test_public_pages_answer_with_redis_as_the_cache(client, redis_cache):
    release = published_release(title="Cached in Redis")
    assert django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    for url in [
        reverse("myths:home"),
        reverse("myths:release-list"),
        reverse("myths:release-detail", kwargs={"slug": release.slug}),
    ]:
        first, second = client.get(url), client.get(url)
        assert (first.status_code, second.status_code) == (200, 200), url
        assert b"Cached in Redis" in second.content
    assert redis_cache.dbsize() > 0  # the pages really went through Redis
