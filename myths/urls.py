from django.urls import path

from . import views

app_name = "myths"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("releases/<slug:slug>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("releases/<slug:slug>/pdf/", views.release_pdf, name="release-pdf"),
    path("staff/revisions/<int:pk>/pdf/", views.revision_pdf, name="revision-pdf"),
    path("myths/", views.ClaimListView.as_view(), name="claim-list"),
    path("myths/<slug:slug>/", views.ClaimDetailView.as_view(), name="claim-detail"),
]
