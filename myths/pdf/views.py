"""The public PDF of a published release (a stored file) and the staff PDF of any revision.

Public PDFs are made by a background job (tasks.py) and revalidated by ETag on every request;
staff PDFs render on demand and are never stored. A revision whose PDF failed is answered 503 at
once for the public; staff requests try it again.

Which file a slug's public PDF is (its storage name, ETag and size) is kept in the cache under the
public generation and horizon, like a public page (core/page_cache.py): a download costs no query
once one worker has looked it up, and a withdrawal or a new publication makes the entry
unreachable at once. Each worker keeps the bytes of the PDFs it served lately in its own bounded
memory (`recent_pages`, at most a quarter of it each), so a hot PDF costs no round trip to the
cache or the storage. Stored files are named by what they print and never change, so bytes read
once stay right for as long as the name is the one the entry gives.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.cache import cache_get, cache_set
from core.page_cache import bare_url, public_key, public_timeout, recent_pages
from core.public_state import public_state
from core.site import canonical_path

from ..models import Release, Revision
from .render import (
    PdfRenderError,
    release_public_pdfs,
    revision_pdf_cached,
    revision_pdf_date,
    revision_pdf_failure,
    revision_pdf_mark,
)
from .tasks import release_pdfs_enqueue


def _staff_pdf_response(request, *, revision, date, mark, filename: str):
    try:
        pdf, etag = revision_pdf_cached(revision=revision, date=date, mark=mark, retry=True)
    except PdfRenderError as exc:
        return _unavailable(request, title=revision.title, message=" ".join(exc.messages))
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Content-Length"] = str(len(pdf))
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_store=True)
    return response


def _unavailable(request, *, title: str, message: str):
    response = render(
        request,
        "myths/pdf/unavailable.html",
        {"message": message, "title": title},
        status=503,
    )
    response["Retry-After"] = "60"
    return response


def _stored_pdf_response(request, *, stored: dict, filename: str, kept=None):
    """The stored file `stored` names ({"name", "etag", "size"}), or a 304 by its ETag.

    `kept(body)` is given the file's bytes when it is small enough for the worker's memory: the
    next request for it is then served from there.
    """
    etag = stored["etag"]
    response = get_conditional_response(request, etag=etag)
    if response is None:
        body = stored.get("body")
        if body is None and kept is not None and stored["size"] <= _memory_limit():
            with default_storage.open(stored["name"], "rb") as pdf:
                body = pdf.read()
            kept(body)
        if body is not None:
            response = HttpResponse(body, content_type="application/pdf")
            response["Content-Length"] = str(len(body))
        else:
            response = FileResponse(
                default_storage.open(stored["name"]),
                content_type="application/pdf",
                filename=filename,
            )
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    # Like the pages: revalidate every time (a cheap 304 by ETag), so a withdrawn release's PDF
    # is not kept by browsers or proxies.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def _memory_limit() -> int:
    """The largest PDF a worker keeps in its memory: a quarter of it, so that a few PDFs never
    push out all the pages."""
    return settings.PRESSDESK_PAGE_MEMORY_BYTES // 4


def _stored_pdf_found(request, slug: str) -> dict | HttpResponse:
    """The stored public PDF at `slug` ({"name", "etag", "size"}), or the response to give
    instead: a redirect from a former slug, or 503 while the PDF is being made (queued here).
    Raises Http404 when no published release has this slug."""
    public_pdf = release_public_pdfs(slug).get(slug)
    if public_pdf is None:
        renamed = Release.objects.published().renamed_from(slug)
        if renamed is None:
            raise Http404(_("No published release has this address."))
        return HttpResponsePermanentRedirect(canonical_path("myths:release-pdf", renamed.slug))
    name, etag = public_pdf.name_and_etag()
    if default_storage.exists(name):
        return {"name": name, "etag": etag, "size": default_storage.size(name)}
    # Only staff may make the server lay out a document that failed before.
    retry = request.user.is_active and request.user.is_staff
    failure = None if retry else revision_pdf_failure(revision=public_pdf.revision)
    if failure is None:
        release_pdfs_enqueue(release_id=public_pdf.revision.release_id, name=name, retry=retry)
        failure = revision_pdf_failure(revision=public_pdf.revision)
        if failure is None and default_storage.exists(name):
            return {"name": name, "etag": etag, "size": default_storage.size(name)}
    title = public_pdf.revision.title
    if failure is not None:
        return _unavailable(request, title=title, message=failure)
    return _unavailable(
        request,
        title=title,
        message=gettext("The PDF is being prepared. Please try again in a minute."),
    )


@require_safe
def release_pdf(request, slug):
    """The published revision of a published release, as PDF, read from storage. Drafts are a
    404 here; a slug the release had before redirects to its current PDF.

    A PDF not made yet is queued (myths/pdf/tasks.py) and answered 503 with Retry-After: the
    request itself never renders. With the immediate task backend (tests) the job has run by the
    time the view looks again, so the file is served at once.

    Warm, it costs no query: the stored file's name is kept under the public generation and
    horizon (the worker's memory, else one cache read), and only a stored file is kept, never a
    404, a redirect or a 503.
    """
    now = timezone.now()
    state = public_state(now)
    key = public_key("public-pdf", state, slug)
    version = (state.generation, state.horizon)
    # As for the pages, only the address without a query string is kept: any other is looked up
    # and answered every time.
    cacheable = bare_url(request)
    stored = (recent_pages.get(key, version) or cache_get(key)) if cacheable else None
    if stored is None:
        stored = _stored_pdf_found(request, slug)
        if isinstance(stored, HttpResponse):
            return stored
        if not cacheable:
            return _stored_pdf_response(request, stored=stored, filename=f"{slug}.pdf")
        cache_set(key, stored, public_timeout(state, now))

    def kept(body: bytes) -> None:
        recent_pages.put(key, version, {**stored, "body": body}, public_timeout(state, now))

    return _stored_pdf_response(request, stored=stored, filename=f"{slug}.pdf", kept=kept)


@require_safe
@staff_member_required
@permission_required("myths.view_release", raise_exception=True)
def revision_pdf(request, pk):
    """Any revision in any state, for staff, marked DRAFT or EMBARGOED unless it is what is live."""
    revision = get_object_or_404(Revision.objects.select_related("release"), pk=pk)
    return _staff_pdf_response(
        request,
        revision=revision,
        date=revision_pdf_date(revision=revision),
        mark=revision_pdf_mark(revision=revision),
        filename=f"{revision.release.slug}-r{revision.number}.pdf",
    )
