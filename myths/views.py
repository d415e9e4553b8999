"""Public pages. Every view starts from Release.objects.published() (STYLE.md rules 3 and 8).

What a page shows comes from the published revision (myths.revisions.ReleaseContent, or the
public_* annotations of myths.public), never the working copy. Each page runs a fixed number of
queries, whatever the number of releases, claims, figures or sources.
"""

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from . import public
from .filters import ClaimFilter, ReleaseFilter
from .models import Release, Revision
from .pdf import (
    PdfRenderError,
    revision_pdf_cached,
    revision_pdf_date,
    revision_pdf_mark,
)
from .public_cache import PublicCacheMixin, public_cache
from .revisions import revision_content
from .sharing import share_link_resolve
from .structured_data import json_ld, release_graph

MAX_PAGE_NUMBER = 10_000


class PublishedReleaseMixin:
    """The one door to releases for public views: only what published() returns."""

    def get_queryset(self):
        return public.published_releases()


class SafePaginationMixin:
    """Out-of-range or junk page numbers show the nearest real page instead of an error."""

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        raw = self.request.GET.get("page", "1")
        # Not str.isdigit(): it accepts "²" and other digits int() refuses.
        number = raw if re.fullmatch(r"[0-9]{1,6}", raw) else "1"
        number = min(int(number), MAX_PAGE_NUMBER)
        page = paginator.get_page(number)
        return paginator, page, page.object_list, page.has_other_pages()


class HomeView(PublicCacheMixin, PublishedReleaseMixin, ListView):
    template_name = "myths/home.html"
    context_object_name = "releases"

    def get_queryset(self):
        return super().get_queryset().order_by("-public_date", "-pk")[:7]


class FilteredListMixin(SafePaginationMixin):
    """A django-filter FilterSet over `get_base_queryset()`, its state in the query string."""

    filterset_class = None

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET or None, self.get_base_queryset())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["filters_active"] = any(
            value for key, value in self.request.GET.items() if key != "page"
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context["page_query"] = query.urlencode()
        return context


class ReleaseListView(PublicCacheMixin, FilteredListMixin, PublishedReleaseMixin, ListView):
    template_name = "myths/release_list.html"
    context_object_name = "releases"
    filterset_class = ReleaseFilter
    paginate_by = 12

    def get_base_queryset(self):
        return PublishedReleaseMixin.get_queryset(self).order_by("-public_date", "-pk")


class ReleaseDetailView(PublicCacheMixin, PublishedReleaseMixin, DetailView):
    template_name = "myths/release_detail.html"
    context_object_name = "release"

    def get_queryset(self):
        return Release.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = self.object
        content = revision_content(Revision.objects.get(pk=release.public_revision_id))
        previous, following = public.neighbours(release)
        site_url = settings.PRESSDESK_SITE_URL.rstrip("/")
        context.update(
            content=content,
            public_date=release.public_date,
            preview=None,
            previous_release=previous,
            next_release=following,
            translations=public.translations(release),
            json_ld=json_ld(
                release_graph(
                    content=content,
                    release=release,
                    public_date=release.public_date,
                    site_url=site_url,
                )
            ),
        )
        return context


class ClaimListView(PublicCacheMixin, FilteredListMixin, ListView):
    """The myth register. Its rows are RevisionAnswers (see myths.public.public_claims)."""

    template_name = "myths/claim_list.html"
    context_object_name = "claims"
    filterset_class = ClaimFilter
    paginate_by = 30

    def get_base_queryset(self):
        return public.public_claims().order_by("wording", "claim_id")


class ClaimDetailView(PublicCacheMixin, DetailView):
    """One claim at the slug its latest published answer recorded.

    `claim` in the template is that RevisionAnswer, not the Claim row. A slug the claim was
    published under before a rename redirects (301) to the current one; any other slug is a 404.
    """

    template_name = "myths/claim_detail.html"
    context_object_name = "claim"

    def get(self, request, *args, **kwargs):
        slug = self.kwargs["slug"]
        self.object = public.public_claims().filter(slug=slug).first()
        if self.object is None:
            renamed = public.public_claim_former_slug(slug)
            if renamed is None:
                raise Http404(_("No published response answers this claim."))
            return HttpResponsePermanentRedirect(renamed.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        answering = public.public_answers().filter(claim_id=claim.claim_id).values("revision_id")
        releases = list(
            public.published_releases()
            .filter(public_revision_id__in=answering)
            .order_by("-public_date", "-pk")
        )
        latest_response = None
        if releases:
            content = revision_content(Revision.objects.get(pk=claim.revision_id))
            latest_response = next(
                (r for r in content.responses if r.claim_id == claim.claim_id), None
            )
            context["latest_release"] = next(
                (r for r in releases if r.public_revision_id == claim.revision_id), releases[0]
            )
        context.update(releases=releases, latest_response=latest_response)
        return context


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"


robots_txt = public_cache(RobotsView.as_view())


# --- PDF ----------------------------------------------------------------------------------------
# The public PDF of a published release and the staff PDF of any revision (myths/pdf.py renders).


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
        # Like the pages: revalidate every time (a cheap 304 by ETag), so a withdrawn release's
        # PDF is not kept by browsers or proxies.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
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


# --- Previews: never public, never indexed, never cached ------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What the public template needs to mark a page as a preview (banner, noindex)."""

    label: str
    revision: Revision
    shared: bool = False


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _render_revision(request, revision: Revision, label: str, *, shared: bool = False):
    return _private(
        render(
            request,
            "myths/release_detail.html",
            {
                "content": revision_content(revision),
                "release": revision.release,
                "public_date": None,
                "preview": Preview(label=label, revision=revision, shared=shared),
            },
        )
    )


@permission_required("myths.view_release", raise_exception=True)
def revision_preview(request, pk):
    """Staff preview of any revision, on the real public template, marked as a preview."""
    revision = get_object_or_404(Revision.objects.select_related("release"), pk=pk)
    label = _("Preview of revision %(number)s — %(status)s, not public") % {
        "number": revision.number,
        "status": revision.get_status_display().lower(),
    }
    return _render_revision(request, revision, label)


def share_preview(request, token):
    """The latest revision of the one release a share link names, for a reader without account.

    Invalid, expired or revoked links answer 404 or 410 with a short page; all answers are
    noindex and never cached.
    """
    try:
        link = share_link_resolve(token)
    except ValidationError as exc:
        status = 410 if exc.code in ("expired", "revoked") else 404
        return _private(
            render(request, "myths/share_link_closed.html", {"message": exc.message}, status=status)
        )
    revision = link.release.revisions.order_by("-number").first()
    if revision is None:
        return _private(
            render(
                request,
                "myths/share_link_closed.html",
                {"message": _("There is nothing to preview yet.")},
                status=404,
            )
        )
    label = _("Shared preview — draft, not public. This link expires on %(date)s.") % {
        "date": timezone.localtime(link.expires_at).strftime("%d %B %Y")
    }
    return _render_revision(request, revision, label, shared=True)


# --- Media: files under MEDIA_ROOT, only when something public shows them -------------------------
# A figure or an uploaded image of a draft must not be reachable by guessing or sharing its URL.
# A front server that serves /media/ itself bypasses this (README, Configuration).

# Types a browser shows inline; anything else is sent as a download.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"}


def _media_name(path: str) -> str | None:
    """`path` if it is a plain relative name inside MEDIA_ROOT, else None."""
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in path.split("/")):
        return None
    return path


@require_safe
def media_file(request, path):
    """A media file, for anyone if a public revision shows it, else for staff who may view
    releases (never cached); 404 otherwise, exactly as for a file that does not exist."""
    name = _media_name(path)
    if name is None:
        raise Http404(_("No such file."))
    public_file = public.media_is_public(name)
    if not public_file and not (
        request.user.is_staff and request.user.has_perm("myths.view_release")
    ):
        raise Http404(_("No such file."))
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, name))
        stat = full_path.stat()
    except (SuspiciousFileOperation, OSError, ValueError):
        raise Http404(_("No such file.")) from None
    if not full_path.is_file():
        raise Http404(_("No such file."))
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    response = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if response is None:
        content_type, encoding = mimetypes.guess_type(full_path.name)
        content_type = content_type or "application/octet-stream"
        response = FileResponse(
            full_path.open("rb"),
            content_type=content_type,
            as_attachment=content_type not in INLINE_MEDIA_TYPES,
            filename=full_path.name,
        )
        if encoding:
            response.headers["Content-Encoding"] = encoding
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if an uploaded file were HTML or SVG with a script, opening it runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if public_file:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
