"""Public PDFs off the request path (issue 10, item 3): the workflow queues them after a
publication commits, the job stores them, a request only reads a stored file (a missing one is a
503 with Retry-After that queues the job once), and the renderer child is reused between renders.
"""

import os
import time
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.tasks import default_task_backend
from django.urls import reverse

from myths.models import Release
from myths.pdf import render as pdf_module
from myths.pdf import worker
from myths.pdf.render import release_public_pdfs
from myths.pdf.tasks import release_pdfs_render
from myths.pdf.worker import PdfWorkerError, Renderer, run_isolated
from myths.translations import release_translate
from tests.factories import UserFactory, arrange_state, release_with_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    with mock.patch.object(
        pdf_module, "release_pdf_render", wraps=pdf_module.release_pdf_render
    ) as spy:
        yield spy


@pytest.fixture
def queued(settings):
    """Jobs are kept, not run: what a request does while the worker has not got to them yet."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend.results
    default_task_backend.clear()


def stored_name(release) -> str:
    return release_public_pdfs(release.slug)[release.slug].name_and_etag()[0]


def pdf_url(release) -> str:
    return reverse("myths:release-pdf", kwargs={"slug": release.slug})


def test_a_missing_pdf_is_a_503_that_queues_one_job_and_renders_nothing(client, queued, renders):
    release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
    answers = [client.get(pdf_url(release)) for _ in range(3)]
    assert [a.status_code for a in answers] == [503, 503, 503]
    assert all(a["Retry-After"] == "60" for a in answers)
    assert b"being prepared" in answers[0].content
    # A burst of readers queues the job once, and no request laid the document out.
    assert [r.task for r in queued] == [release_pdfs_render]
    assert queued[0].kwargs == {"release_id": release.pk, "retry": False}
    assert renders.call_count == 0
    assert not default_storage.exists(stored_name(release))


def test_the_job_stores_the_pdf_and_requests_serve_it_without_rendering(client, queued, renders):
    release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
    assert release_pdfs_render.call(release_id=release.pk) == 1
    assert renders.call_count == 1
    name = stored_name(release)
    assert name.startswith(f"pdfs/{release.live_revision_id}-") and name.endswith(".pdf")
    assert default_storage.exists(name)
    for _ in range(2):
        response = client.get(pdf_url(release))
        assert response.status_code == 200
        assert response.getvalue().startswith(b"%PDF")
    assert renders.call_count == 1
    assert queued == []
    # Running the job again finds the file and lays nothing out.
    assert release_pdfs_render.call(release_id=release.pk) == 0
    assert renders.call_count == 1


def test_publication_queues_the_job_after_commit(
    client, renders, django_capture_on_commit_callbacks
):
    release = release_with_content()
    with django_capture_on_commit_callbacks(execute=True):
        arrange_state(release, Release.Status.PUBLISHED)
    release.refresh_from_db()
    assert default_storage.exists(stored_name(release))
    assert renders.call_count == 1
    assert client.get(pdf_url(release)).status_code == 200
    assert renders.call_count == 1


def test_nothing_is_queued_before_the_transaction_commits(queued):
    arrange_state(release_with_content(), Release.Status.PUBLISHED)
    assert queued == []  # the test's transaction never commits


def test_a_published_translation_renders_the_original_again(
    renders, django_capture_on_commit_callbacks
):
    original = arrange_state(release_with_content(), Release.Status.PUBLISHED)
    release_pdfs_render.call(release_id=original.pk)
    before = stored_name(original)
    translation = release_translate(
        release=original, language="ru", actor=UserFactory(role="writer")
    )
    with django_capture_on_commit_callbacks(execute=True):
        arrange_state(translation, Release.Status.PUBLISHED)
    after = stored_name(original)
    assert after != before  # it now links to the Russian version: another fingerprint
    assert default_storage.exists(after) and default_storage.exists(stored_name(translation))
    assert renders.call_count == 3


# --- The renderer process ---------------------------------------------------------------------


def test_the_renderer_child_is_reused_between_renders():
    first = run_isolated(os.getpid, timeout=30)
    assert first != os.getpid()
    assert run_isolated(os.getpid, timeout=30) == first


def test_a_renderer_that_overran_is_replaced():
    before = run_isolated(os.getpid, timeout=30)
    with pytest.raises(PdfWorkerError, match="was stopped"):
        run_isolated(time.sleep, 30, timeout=0.5)
    assert run_isolated(os.getpid, timeout=30) != before


def test_a_renderer_that_died_is_replaced():
    before = run_isolated(os.getpid, timeout=30)
    with pytest.raises(PdfWorkerError, match="ended unexpectedly"):
        run_isolated(os._exit, 3, timeout=30)
    assert run_isolated(os.getpid, timeout=30) != before


def test_the_renderer_is_replaced_after_its_number_of_jobs():
    renderer = Renderer(max_jobs=2)
    try:
        pids = [renderer.run(os.getpid, (), {}, timeout=30) for _ in range(3)]
    finally:
        renderer.stop()
    assert pids[0] == pids[1] != pids[2]


def test_the_renderer_keeps_the_memory_limit():
    import resource

    soft, _hard = run_isolated(resource.getrlimit, resource.RLIMIT_AS, timeout=30)
    assert soft <= worker.MEMORY_LIMIT_BYTES
