from django.urls import path

from . import views

app_name = "myths"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("releases/<slug:slug>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("myths/", views.ClaimListView.as_view(), name="claim-list"),
    path("myths/<slug:slug>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("preview/revisions/<int:pk>/", views.revision_preview, name="revision-preview"),
    path("preview/<str:token>/", views.share_preview, name="share-preview"),
]
