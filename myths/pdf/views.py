"""The public PDF of a published release and the staff PDF of any revision (render.py makes them).

Public PDFs are revalidated by ETag on every request; staff PDFs are never stored. A revision
whose PDF failed is answered 503 at once for the public; staff requests try it again.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.site import absolute_url

from ..models import Release, Revision
from .render import (
    PdfRenderError,
    PdfTranslation,
    revision_pdf_cached,
    revision_pdf_date,
    revision_pdf_mark,
)


def _pdf_response(request, *, revision, date, mark, filename: str, public: bool, translations=()):
    # Only staff may make the server lay out a document that failed before.
    retry = request.user.is_active and request.user.is_staff
    try:
        pdf, etag = revision_pdf_cached(
            revision=revision, date=date, mark=mark, translations=translations, retry=retry
        )
    except PdfRenderError as exc:
        response = render(
            request,
            "myths/pdf/unavailable.html",
            {"message": " ".join(exc.messages), "title": revision.title},
            status=503,
        )
        response["Retry-After"] = "60"
        return response
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Content-Length"] = str(len(pdf))
    response["ETag"] = etag
    if public:
        # Like the pages: revalidate every time (a cheap 304 by ETag), so a withdrawn release's
        # PDF is not kept by browsers or proxies.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def release_pdf(request, slug):
    """The published revision of a published release, as PDF. Drafts are a 404 here; a slug the
    release had before redirects to its current PDF."""
    # The release and its other published languages in one query: the PDF links to them.
    versions = list(Release.objects.published().with_public_text().language_versions(slug))
    release = next((version for version in versions if version.slug == slug), None)
    if release is None:
        renamed = Release.objects.published().renamed_from(slug)
        if renamed is None:
            raise Http404(_("No published release has this address."))
        return HttpResponsePermanentRedirect(reverse("myths:release-pdf", args=[renamed.slug]))
    revision = get_object_or_404(Revision, pk=release.public_revision_id)
    others = sorted(
        (version for version in versions if version is not release),
        key=lambda version: (version.public_language or "", version.pk),
    )
    return _pdf_response(
        request,
        revision=revision,
        date=release.public_date,
        mark=None,
        filename=f"{release.slug}.pdf",
        public=True,
        translations=tuple(
            PdfTranslation(
                language=other.public_language,
                title=other.public_title,
                url=absolute_url(other.get_absolute_url()),
            )
            for other in others
        ),
    )


@require_safe
@staff_member_required
@permission_required("myths.view_release", raise_exception=True)
def revision_pdf(request, pk):
    """Any revision in any state, for staff, marked DRAFT or EMBARGOED unless it is what is live."""
    revision = get_object_or_404(Revision.objects.select_related("release"), pk=pk)
    return _pdf_response(
        request,
        revision=revision,
        date=revision_pdf_date(revision=revision),
        mark=revision_pdf_mark(revision=revision),
        filename=f"{revision.release.slug}-r{revision.number}.pdf",
        public=False,
    )
