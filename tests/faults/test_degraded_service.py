"""Issue 9, item 2: cache or database trouble degrades, never 500s.

A cache that is down is skipped (pages, feeds, PDFs are rendered without it); a database that
refuses, hangs or is missing makes each request fail fast with a 503 and Retry-After, within
the connect and statement timeouts the settings set.
"""

import pytest
from django.db import connection

from tests.factories import published_release

from .servers import (
    committed_database_url,
    free_port,
    python_in_new_process,
    request_in_new_process,
    silent_server,
)


@pytest.mark.django_db
def test_public_pages_answer_200_while_redis_is_down(client, settings):
    release = published_release(title="Harbour facts without a cache")
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    urls = [
        "/",
        "/releases/",
        "/releases/?verdict=false",
        release.get_absolute_url(),
        "/myths/",
        "/feed/",
        "/feed/rss/",
        "/sitemap.xml",
        "/robots.txt",
        "/contacts/",
        release.get_absolute_url() + "pdf/",
    ]
    for url in urls:
        for _ in range(2):  # a miss that cannot store, then a miss that cannot read
            response = client.get(url)
            assert response.status_code == 200, url
    assert b"Harbour facts without a cache" in client.get("/").content


@pytest.mark.django_db
def test_a_hung_redis_costs_its_socket_timeout_not_an_error():
    with silent_server() as port:  # accepts, never answers: only the timeouts end the wait
        result = request_in_new_process(
            "/", DATABASE_URL=committed_database_url(), REDIS_URL=f"redis://127.0.0.1:{port}/0"
        )
    assert result["status"] == 200, result["body"][:2000]
    assert result["caches"]["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def assert_unavailable(result):
    assert result["status"] == 503, result["body"][:2000]
    assert int(result["retry_after"]) > 0
    assert "Traceback" not in result["body"]
    assert "briefly unavailable" in result["body"]


def test_postgresql_refusing_connections_answers_503():
    result = request_in_new_process(
        "/", DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/pressdesk"
    )
    assert_unavailable(result)


def test_hung_postgresql_answers_503_within_the_connect_timeout():
    with silent_server() as port:
        result = request_in_new_process(
            "/releases/",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/pressdesk",
            DATABASE_CONNECT_TIMEOUT=2,
        )
    assert_unavailable(result)
    # Bounded by the connect timeout the settings pass to libpq, not by gunicorn's kill.
    assert result["options"]["connect_timeout"] == 2


def test_missing_sqlite_database_answers_503(tmp_path):
    result = request_in_new_process(
        "/", DATABASE_URL=f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"
    )
    assert_unavailable(result)


def test_timeouts_come_from_the_environment_with_safe_defaults(tmp_path):
    url = f"postgres://postgres@127.0.0.1:{free_port()}/pressdesk"
    defaults = request_in_new_process("/", DATABASE_URL=url)["options"]
    assert defaults["connect_timeout"] == 2
    assert defaults["options"] == "-c statement_timeout=10000"  # below gunicorn's 30 s
    chosen = request_in_new_process(
        "/", DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT=5, DATABASE_STATEMENT_TIMEOUT_MS=2500
    )["options"]
    assert chosen["connect_timeout"] == 5
    assert chosen["options"] == "-c statement_timeout=2500"
    sqlite = request_in_new_process(
        "/",
        DATABASE_URL=f"sqlite:///{tmp_path / 'none' / 'db.sqlite3'}",
        DATABASE_STATEMENT_TIMEOUT_MS=2500,
    )["options"]
    assert sqlite["timeout"] == 2.5


SLEEP_SCRIPT = """
import django
django.setup()
from django.db import OperationalError, connection
try:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(20)")
    print("finished")
except OperationalError as error:
    print("cancelled:", error)
"""


@pytest.mark.postgres
@pytest.mark.database("postgresql")
@pytest.mark.django_db
def test_postgresql_cancels_a_statement_past_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10s"  # the default reaches the server
    output = python_in_new_process(
        SLEEP_SCRIPT, DATABASE_URL=committed_database_url(), DATABASE_STATEMENT_TIMEOUT_MS=300
    )
    assert output.startswith("cancelled:")
    assert "statement timeout" in output


def test_a_statement_cancelled_in_a_request_answers_503(rf):
    from django.db import OperationalError
    from django.http import HttpResponse

    from core.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    error = OperationalError("canceling statement due to statement timeout")
    response = middleware.process_exception(rf.get("/releases/"), error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert middleware.process_exception(rf.get("/"), ValueError("other")) is None
