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
