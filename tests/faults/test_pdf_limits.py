"""Issue 9, item 9: a PDF too large is refused before layout, a failed render is remembered per
revision (the public gets a 503 at once, staff may retry), and the render's time limit stays below
the worker's. Renders are counted by spying on the child-process runner, never timed."""

import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from myths.checks import pdf_timeout_below_worker_timeout
from myths.models import PdfRenderFailure, Release
from myths.pdf import render as pdf_module
from myths.pdf.render import release_pdf_estimated_pages
from myths.pdf.worker import PdfWorkerError
from myths.revisions import revision_content
from tests.factories import arrange_state, release_with_content

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LONG_PARAGRAPH = "The canal carries water, boats and a great deal of misunderstanding. " * 12


@pytest.fixture
def renders():
    """Every layout WeasyPrint would do goes through run_isolated: count the calls."""
    with mock.patch.object(pdf_module, "run_isolated", wraps=pdf_module.run_isolated) as spy:
        yield spy


def long_release(paragraphs: int = 40):
    release = release_with_content(responses=3, figures=0)
    for response in release.responses.all():
        response.body = "\n\n".join([LONG_PARAGRAPH] * paragraphs)
        response.save()
    return arrange_state(release, Release.Status.PUBLISHED)


def pdf_url(release):
    return reverse("myths:release-pdf", kwargs={"slug": release.slug})


def test_a_document_estimated_over_the_limit_is_refused_without_layout(client, renders):
    release = long_release()
    estimate = release_pdf_estimated_pages(revision_content(release.live_revision))
    with override_settings(PRESSDESK_PDF_MAX_PAGES=estimate - 1):
        response = client.get(pdf_url(release))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert f"about {estimate} pages, more than the limit of {estimate - 1}" in (
        response.content.decode()
    )
    assert renders.call_count == 0


def test_the_estimate_stays_below_the_real_length(renders, settings):
    """The estimate refuses only what layout would refuse too: it never exceeds the real count."""
    release = long_release(paragraphs=25)
    content = revision_content(release.live_revision)
    estimate = release_pdf_estimated_pages(content)
    assert estimate > 5  # long enough for the comparison to mean something
    settings.PRESSDESK_PDF_MAX_PAGES = estimate - 1
    with pytest.raises(pdf_module.PdfRenderError) as refused:
        pdf_module.release_pdf_render(content=content)
    assert refused.value.code == "pdf_too_large"
    assert renders.call_count == 0
    # At the estimate itself the document is laid out, and layout finds more pages than that.
    settings.PRESSDESK_PDF_MAX_PAGES = estimate
    with pytest.raises(pdf_module.PdfRenderError) as laid_out:
        pdf_module.release_pdf_render(content=content)
    assert renders.call_count == 1
    assert "pages, more than the limit" in " ".join(laid_out.value.messages)


def test_a_failed_render_is_remembered_across_requests_and_cache_loss(client):
    release = long_release(paragraphs=2)
    failure = PdfWorkerError("The document has 314 pages, more than the limit of 200.")
    with mock.patch.object(pdf_module, "run_isolated", side_effect=failure) as renders:
        answers = [client.get(pdf_url(release)) for _ in range(3)]
        assert [a.status_code for a in answers] == [503, 503, 503]
        assert all(b"314 pages" in a.content for a in answers)
        assert renders.call_count == 1
        cache.clear()  # a Redis restart or flush: the database still knows
        again = client.get(pdf_url(release))
        assert again.status_code == 503 and b"314 pages" in again.content
        assert renders.call_count == 1
    assert PdfRenderFailure.objects.filter(revision=release.live_revision).count() == 1


def test_staff_retry_renders_again_and_a_success_clears_the_failure(client, login, renders):
    release = long_release(paragraphs=2)
    with mock.patch.object(pdf_module, "run_isolated", side_effect=PdfWorkerError("Crashed.")):
        assert client.get(pdf_url(release)).status_code == 503
    assert PdfRenderFailure.objects.exists()
    login(client, "writer")
    staff = client.get(pdf_url(release))
    assert staff.status_code == 200 and staff["Content-Type"] == "application/pdf"
    assert renders.call_count == 1
    assert not PdfRenderFailure.objects.exists()
    client.logout()
    assert client.get(pdf_url(release)).status_code == 200  # from the cache now
    assert renders.call_count == 1


def test_a_raised_limit_retries_a_remembered_failure(client, renders):
    release = long_release(paragraphs=2)
    with override_settings(PRESSDESK_PDF_MAX_PAGES=0):
        assert client.get(pdf_url(release)).status_code == 503
        assert client.get(pdf_url(release)).status_code == 503
    assert PdfRenderFailure.objects.count() == 1
    assert client.get(pdf_url(release)).status_code == 200
    assert renders.call_count == 1


def test_the_render_timeout_defaults_below_the_worker_timeout(settings):
    assert settings.PRESSDESK_PDF_TIMEOUT == 20
    assert settings.GUNICORN_TIMEOUT == 30
    assert pdf_timeout_below_worker_timeout(None) == []


@pytest.mark.parametrize("pdf_timeout", [30, 60])
def test_a_render_timeout_not_below_the_worker_timeout_is_an_error(settings, pdf_timeout):
    settings.PRESSDESK_PDF_TIMEOUT, settings.GUNICORN_TIMEOUT = pdf_timeout, 30
    [error] = pdf_timeout_below_worker_timeout(None)
    assert error.id == "pressdesk.E090"
    assert error.is_serious()


def test_gunicorn_reads_its_timeout_from_the_environment(monkeypatch):
    config = ROOT / "gunicorn.conf.py"
    monkeypatch.delenv("GUNICORN_TIMEOUT", raising=False)
    assert runpy.run_path(str(config))["timeout"] == 30
    monkeypatch.setenv("GUNICORN_TIMEOUT", "45")
    loaded = runpy.run_path(str(config))
    assert loaded["timeout"] == 45
    assert loaded["wsgi_app"] == "pressdesk.wsgi:application"
