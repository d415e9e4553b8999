"""The public PDF of a published release (a stored file) and the staff PDF of any revision.

Public PDFs are made by a background job (tasks.py) and revalidated by ETag on every request;
staff PDFs render on demand and are never stored. A revision whose PDF failed is answered 503 at
once for the public; staff requests try it again.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

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


def _stored_pdf_response(request, *, name: str, etag: str, filename: str):
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = FileResponse(
            default_storage.open(name), content_type="application/pdf", filename=filename
        )
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    # Like the pages: revalidate every time (a cheap 304 by ETag), so a withdrawn release's PDF
    # is not kept by browsers or proxies.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


@require_safe
def release_pdf(request, slug):
    """The published revision of a published release, as PDF, read from storage. Drafts are a
    404 here; a slug the release had before redirects to its current PDF.

    A PDF not made yet is queued (myths/pdf/tasks.py) and answered 503 with Retry-After: the
    request itself never renders. With the immediate task backend (tests) the job has run by the
    time the view looks again, so the file is served at once.
    """
    public_pdf = release_public_pdfs(slug).get(slug)
    if public_pdf is None:
        renamed = Release.objects.published().renamed_from(slug)
        if renamed is None:
            raise Http404(_("No published release has this address."))
        return HttpResponsePermanentRedirect(canonical_path("myths:release-pdf", renamed.slug))
    name, etag = public_pdf.name_and_etag()
    filename = f"{slug}.pdf"
    if default_storage.exists(name):
        return _stored_pdf_response(request, name=name, etag=etag, filename=filename)
    # Only staff may make the server lay out a document that failed before.
    retry = request.user.is_active and request.user.is_staff
    failure = None if retry else revision_pdf_failure(revision=public_pdf.revision)
    if failure is None:
        release_pdfs_enqueue(release_id=public_pdf.revision.release_id, name=name, retry=retry)
        failure = revision_pdf_failure(revision=public_pdf.revision)
        if failure is None and default_storage.exists(name):
            return _stored_pdf_response(request, name=name, etag=etag, filename=filename)
    title = public_pdf.revision.title
    if failure is not None:
        return _unavailable(request, title=title, message=failure)
    return _unavailable(
        request,
        title=title,
        message=gettext("The PDF is being prepared. Please try again in a minute."),
    )


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
