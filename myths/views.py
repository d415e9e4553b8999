"""Public pages. Every view starts from Release.objects.published() (STYLE.md rule 3)."""

from django.http import Http404
from django.views.generic import DetailView, ListView

from .models import Claim, Release, Revision
from .revisions import revision_content


class PublishedReleaseMixin:
    def get_queryset(self):
        return Release.objects.published()


class HomeView(PublishedReleaseMixin, ListView):
    template_name = "myths/home.html"
    context_object_name = "releases"

    def get_queryset(self):
        return super().get_queryset().order_by("-public_date")[:10]


class ReleaseListView(HomeView):
    template_name = "myths/release_list.html"
    paginate_by = 20


class ReleaseDetailView(PublishedReleaseMixin, DetailView):
    template_name = "myths/release_detail.html"
    context_object_name = "release"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision = Revision.objects.get(pk=self.object.public_revision_id)
        context["content"] = revision_content(revision)
        return context


class ClaimListView(ListView):
    template_name = "myths/claim_list.html"
    context_object_name = "claims"

    def get_queryset(self):
        public = Release.objects.published().values("public_revision_id")
        return Claim.objects.filter(revision_answers__revision_id__in=public).distinct()


class ClaimDetailView(ClaimListView, DetailView):
    template_name = "myths/claim_detail.html"
    context_object_name = "claim"

    def get_object(self, queryset=None):
        try:
            return self.get_queryset().get(slug=self.kwargs["slug"])
        except Claim.DoesNotExist as exc:
            raise Http404 from exc


# --- PDF ----------------------------------------------------------------------------------------
# The public PDF of a published release and the staff PDF of any revision (myths/pdf.py renders).

from django.contrib.admin.views.decorators import staff_member_required  # noqa: E402
from django.contrib.auth.decorators import permission_required  # noqa: E402
from django.http import HttpResponse, HttpResponseNotModified  # noqa: E402
from django.shortcuts import get_object_or_404, render  # noqa: E402
from django.utils.cache import patch_cache_control  # noqa: E402
from django.views.decorators.http import require_safe  # noqa: E402

from .pdf import (  # noqa: E402
    PdfRenderError,
    revision_pdf_cached,
    revision_pdf_date,
    revision_pdf_mark,
)


def _pdf_response(request, *, revision, date, mark, filename: str, public: bool):
    try:
        pdf, etag = revision_pdf_cached(revision=revision, date=date, mark=mark)
    except PdfRenderError as exc:
        response = render(
            request,
            "myths/pdf/unavailable.html",
            {"message": " ".join(exc.messages), "title": revision.title},
            status=503,
        )
        response["Retry-After"] = "60"
        return response
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Content-Length"] = str(len(pdf))
    response["ETag"] = etag
    if public:
        patch_cache_control(response, public=True, max_age=300)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def release_pdf(request, slug):
    """The published revision of a published release, as PDF. Drafts are a 404 here."""
    release = get_object_or_404(Release.objects.published(), slug=slug)
    revision = get_object_or_404(Revision, pk=release.public_revision_id)
    return _pdf_response(
        request,
        revision=revision,
        date=release.public_date,
        mark=None,
        filename=f"{release.slug}.pdf",
        public=True,
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
