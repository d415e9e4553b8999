"""The myths app's routes: the public site (myths/public/), PDFs (myths/pdf/) and previews."""

from django.urls import path

from .pdf import views as pdf_views
from .public import feeds, previews, sitemaps, views

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
    path("sitemap.xml", sitemaps.sitemap_index_cached, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("preview/revisions/<int:pk>/", previews.revision_preview, name="revision-preview"),
    path("preview/<str:token>/", previews.share_preview, name="share-preview"),
]
