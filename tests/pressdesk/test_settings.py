"""Production settings come from the environment, and `check --deploy` is clean with them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3J9v0sQ-production-like-secret-for-the-test-only-x8Rz2mWq7LpT",
    "DJANGO_ALLOWED_HOSTS": "press.example.org",
    "DJANGO_HTTPS": "1",
    "PRESSDESK_SITE_URL": "https://press.example.org",
    # An empty database: the deploy checks look in it for demo accounts (tests/security).
    "DATABASE_URL": "sqlite://:memory:",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("missing", "expected"),
    [("DJANGO_SECRET_KEY", "pressdesk.E001"), ("DJANGO_HTTPS", "security.W004")],
)
def test_check_deploy_reports_a_forgotten_setting(missing, expected):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr


def test_debug_is_off_by_default():
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = manage("shell", "-c", code, env={})
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_without_a_key_and_debug_off_the_key_is_not_the_published_one():
    code = (
        "from django.conf import settings; "
        "key = settings.SECRET_KEY; "
        "print(key != settings.DEVELOPMENT_SECRET_KEY and len(key) > 50)"
    )
    result = manage("shell", "-c", code, env={"DJANGO_DEBUG": "0"})
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr
