"""The background job that makes public PDFs (Django's tasks framework) and its enqueuing.

The workflow enqueues it after a publication commits; the public PDF view enqueues it, at most
once per file and limits, for a file that is missing. The job renders; nothing else does.
"""

import logging

from django.core.cache import cache
from django.tasks import task

from ..models import Release
from .render import PdfRenderError, failure_fingerprint, public_pdf_stored, release_public_pdfs

logger = logging.getLogger(__name__)

# How long a queued job is trusted to be on its way before a request may queue it again.
QUEUED_SECONDS = 120


@task()
def release_pdfs_render(*, release_id: int, retry: bool = False) -> int:
    """Make the public PDF of the release and of its other published languages, if missing.

    Every language is rendered because each prints links to the others: a publication or a
    withdrawal in the group changes all of them. A failed render is remembered (PdfRenderFailure)
    and the others still go ahead. Returns how many it rendered: 0 when every file was there
    already (another job made them).
    """
    slug = Release.objects.filter(pk=release_id).values_list("slug", flat=True).first()
    if slug is None:
        return 0
    rendered = 0
    for public_pdf in release_public_pdfs(slug).values():
        try:
            rendered += public_pdf_stored(public_pdf=public_pdf, retry=retry)
        except PdfRenderError as error:
            logger.warning("PDF of %s not made: %s", public_pdf.slug, " ".join(error.messages))
    return rendered


def release_pdfs_enqueue(*, release_id: int, name: str = "", retry: bool = False) -> None:
    """Queue release_pdfs_render, once per missing file `name` while a job is on its way.

    Readers arriving in a burst for a PDF not made yet must not queue one job each. The marker
    lives in the cache (shared by every app server); if the cache is down, the job is queued.
    """
    if name:
        marker = f"pressdesk:pdf-queued:{name}:{failure_fingerprint()}:{int(retry)}"
        try:
            if not cache.add(marker, 1, QUEUED_SECONDS):
                return
        except Exception:
            logger.warning("PDF queue marker unavailable; queueing anyway", exc_info=True)
    release_pdfs_render.enqueue(release_id=release_id, retry=retry)
