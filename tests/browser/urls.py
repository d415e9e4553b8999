"""The site's URLs plus uploaded media, so figures show up in browser tests (DEBUG is off)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from pressdesk.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
