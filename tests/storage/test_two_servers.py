"""Several app servers (issue 10, item 5): two gunicorn instances on 127.0.0.1 against one
PostgreSQL database and one S3 bucket (moto), with the task worker beside them. A publication
made by another process is served by both within a second, a file uploaded by another process is
served by both, and the public PDF is rendered once by the worker, not per server.
"""

import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django_tasks_db.models import DBTaskResult

from tests.factories import published_release, release_with_content
from tests.faults.servers import (
    ROOT,
    child_environment,
    committed_database_url,
    gunicorn,
    http_get,
    wait_until,
)

pytestmark = [pytest.mark.database("postgresql"), pytest.mark.django_db(transaction=True)]


def get_bytes(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("ETag", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), ""


def s3_environment(s3, settings) -> dict:
    return {
        "PRESSDESK_S3_BUCKET": s3.bucket,
        "PRESSDESK_S3_ENDPOINT_URL": settings.STORAGES["default"]["OPTIONS"]["endpoint_url"],
        "PRESSDESK_S3_REGION": "us-east-1",
        "PRESSDESK_S3_ACCESS_KEY_ID": "testing",
        "PRESSDESK_S3_SECRET_ACCESS_KEY": "testing",
    }


def assert_files_shared(s3, servers, release) -> None:
    """The figure stored with `release` lives in the bucket only; both serve the same bytes, and
    neither serves a draft's file."""
    name = release.responses.get().figures.get().image.name
    assert name in {item["Key"] for item in s3.list_objects_v2(Bucket=s3.bucket)["Contents"]}
    bodies = {get_bytes(f"{base}/media/{name}")[:2] for base in servers}
    assert len(bodies) == 1 and next(iter(bodies))[0] == 200
    draft = release_with_content(responses=1, figures=1)
    draft_name = draft.responses.get().figures.get().image.name
    assert all(http_get(f"{base}/media/{draft_name}")[0] == 404 for base in servers)


def run_task_worker(environment) -> None:
    """`manage.py db_worker --batch`: runs every queued job, then exits."""
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=child_environment(**environment),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr


def test_two_servers_share_publications_files_and_one_pdf(s3, settings):
    # Jobs go to the database queue, as in production, so the worker below is what renders.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    environment = {
        "DATABASE_URL": committed_database_url(),
        "PRESSDESK_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        **s3_environment(s3, settings),
    }
    with gunicorn(**environment) as first, gunicorn(**environment) as second:
        servers = (first, second)
        # A publication (by a third process, as an editor's server would) reaches both at once.
        release = published_release(responses=1, figures=1, title="Harbour myths, two servers")
        for base in servers:
            assert wait_until(
                lambda b=base: "Harbour myths, two servers" in http_get(b + "/")[1], seconds=1
            )
        assert_files_shared(s3, servers, release)
        # The publication queued one PDF job; no server renders: before the worker runs, both
        # answer 503 (the file is not made yet).
        pdf_path = f"/releases/{release.slug}/pdf/"
        assert all(get_bytes(base + pdf_path)[0] == 503 for base in servers)
        run_task_worker(environment)
        answers = [get_bytes(base + pdf_path) for base in servers]
        assert [status for status, _body, _etag in answers] == [200, 200]
        assert answers[0][1] == answers[1][1] and answers[0][1].startswith(b"%PDF")
        assert answers[0][2] == answers[1][2]
    pdfs = s3.list_objects_v2(Bucket=s3.bucket, Prefix="pdfs/")["Contents"]
    assert len(pdfs) == 1  # rendered once, whichever server was asked
    rendered = DBTaskResult.objects.filter(return_value=1)
    assert rendered.count() == 1  # one job rendered; the others found the file already there
