"""The myths app's routes: the public site (myths/public/), PDFs (myths/pdf/) and previews."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from core.page_cache import public_cache

from .pdf import views as pdf_views
from .public import feeds, previews, views
from .public.sitemaps import SITEMAPS

app_name = "myths"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("releases/<slug:slug>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("releases/<slug:slug>/pdf/", pdf_views.release_pdf, name="release-pdf"),
    path("staff/revisions/<int:pk>/pdf/", pdf_views.revision_pdf, name="revision-pdf"),
    path("myths/", views.ClaimListView.as_view(), name="claim-list"),
    path("myths/<slug:slug>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("feed/", feeds.atom_feed, name="feed-atom"),
    path("feed/rss/", feeds.rss_feed, name="feed-rss"),
    path(
        "sitemap.xml",
        public_cache(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("preview/revisions/<int:pk>/", previews.revision_preview, name="revision-preview"),
    path("preview/<str:token>/", previews.share_preview, name="share-preview"),
]
