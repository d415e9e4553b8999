"""The benchmark's throwaway world: a database of its own, a Redis database it may flush, a media
folder, and the environment shared by this process and the gunicorn it starts.

DATABASE_URL names the server (default PostgreSQL on 127.0.0.1:5432); the benchmark creates a
database of its own on it and drops it at exit, so the database named in the URL is never written.
A sqlite:// URL gives a file in a temporary folder instead. REDIS_URL (default db 13 on
127.0.0.1:6379, a number the tests do not use) is flushed before and after.
"""

import atexit
import os
import secrets
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


@dataclass
class World:
    work: Path
    database_url: str
    redis_url: str
    vendor: str  # "postgresql" or "sqlite"

    def environment(self) -> dict[str, str]:
        """What this process and gunicorn both run with: production-like (DEBUG off)."""
        return {
            "DJANGO_SETTINGS_MODULE": "pressdesk.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": self.database_url,
            # Persistent connections, as a production deployment sets them (README, Configuration).
            "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
            "REDIS_URL": self.redis_url,
            "DJANGO_MEDIA_ROOT": str(self.work / "media"),
            "DJANGO_STATIC_ROOT": str(self.work / "static"),
            "PRESSDESK_BENCHMARK": "1",
            # Pages, not the web: no link checks. Public PDFs are rendered by the benchmark itself,
            # up front (a stored file is what a download serves); queued jobs are dropped.
            "PRESSDESK_LINKCHECK": "0",
            "PRESSDESK_TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "DJANGO_LOG_LEVEL": "ERROR",
        }

    secret_key: str = ""


def _postgres_admin(url: str):
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    return config, psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname=config["NAME"] or "postgres",
        autocommit=True,
        connect_timeout=5,
    )


def _postgres_database(url: str) -> str:
    """Create a database of our own on the server of `url`; drop it at exit. Returns its URL."""
    from urllib.parse import urlsplit, urlunsplit

    name = f"pressdesk_bench_{os.getpid()}_{secrets.token_hex(3)}"
    _config, admin = _postgres_admin(url)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        _config, admin = _postgres_admin(url)
        with admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    atexit.register(drop)
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _redis_flushed(url: str) -> str:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.flushdb()
    except redis.RedisError as error:
        sys.exit(f"The benchmark needs Redis at {url} (REDIS_URL): {error}")
    atexit.register(client.flushdb)
    return url


def world_prepare() -> World:
    """Create the throwaway database, flush Redis, set the environment and set Django up."""
    work = Path(tempfile.mkdtemp(prefix="pressdesk-bench-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if url.startswith("sqlite"):
        vendor, database_url = "sqlite", f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        vendor, database_url = "postgresql", _postgres_database(url)
    redis_url = _redis_flushed(os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL)
    world = World(work, database_url, redis_url, vendor, secret_key=secrets.token_urlsafe(50))
    os.environ.update(world.environment())
    sys.path.insert(0, str(ROOT))
    # WhiteNoise warns that collectstatic has not run; the benchmark serves no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    import logging

    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.test.utils import override_settings, setup_test_environment

    # The users the model releases need are throwaway: hashing their passwords the slow, safe
    # way would take most of a quick run.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()

    # The test client (query counts, the in-process section) needs it; nothing else changes.
    setup_test_environment()
    call_command("migrate", verbosity=0)
    return world
