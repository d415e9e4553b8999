from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from myths import editor

urlpatterns = [
    # django-markdownx's own views are open to anyone; ours are staff-only (myths/editor.py).
    path("admin/markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("admin/markdownx/upload/", editor.upload, name="markdownx_upload"),
    path("admin/", admin.site.urls),
    path("contacts/", include("contacts.urls")),
    path("", include("myths.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
