import re
from urllib.parse import urlsplit

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from myths import editor
from myths.public.media import media_file

urlpatterns = [
    # django-markdownx's own views are open to anyone; ours are staff-only (myths/editor.py).
    path("admin/markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("admin/markdownx/upload/", editor.upload, name="markdownx_upload"),
    path("admin/", admin.site.urls),
]
# The benchmark's trivial view (benchmarks/views.py), among the public routes so that it goes
# through the same middleware as a public page; routed only while the benchmark runs.
benchmark_routes = []
if settings.PRESSDESK_BENCHMARK:
    from benchmarks.views import baseline

    benchmark_routes.append(path("benchmark/baseline/", baseline, name="benchmark-baseline"))

# The public site speaks the language in its address: /releases/ is English chrome, /fr/releases/
# the same page with French chrome (the content keeps its own language). Today's unprefixed URLs
# stay as they were. Feeds, the sitemap and robots.txt get prefixed twins too, harmless: they have
# no chrome and link only to canonical, unprefixed addresses (core.site.canonical_path).
urlpatterns += i18n_patterns(
    *benchmark_routes,
    # The language switcher sits on cached public pages, which cannot carry a per-reader CSRF
    # token; the worst a forged request can do is change the reader's interface language.
    # It is prefixed like the page it is posted from (/ru/i18n/setlang/), so the page's address
    # in `next` resolves and set_language can translate it into the chosen language's address.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("contacts/", include("contacts.urls")),
    path("", include("myths.urls")),
    prefix_default_language=False,
)

# Media always go through Django, in development and production alike: a file is served only
# if something public shows it, or to staff (myths.public.media.media_file). A MEDIA_URL on another
# host (a CDN) is not ours to route.
if not urlsplit(settings.MEDIA_URL).netloc:
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            media_file,
            name="media",
        )
    )
