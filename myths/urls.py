from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, views
from .public_cache import public_cache
from .sitemaps import SITEMAPS

app_name = "myths"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("releases/<slug:slug>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("releases/<slug:slug>/pdf/", views.release_pdf, name="release-pdf"),
    path("staff/revisions/<int:pk>/pdf/", views.revision_pdf, name="revision-pdf"),
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
    path("preview/revisions/<int:pk>/", views.revision_preview, name="revision-preview"),
    path("preview/<str:token>/", views.share_preview, name="share-preview"),
]
