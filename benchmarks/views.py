"""The trivial view every figure of the benchmark is a ratio to.

It answers a few bytes without touching the database or the cache, through the project's whole
middleware stack (routed like a public page, so the reader's-language middleware runs as well):
the ceiling of what a page can cost on this machine. Routed only when PRESSDESK_BENCHMARK is on.
"""

from django.http import HttpResponse


def baseline(request):
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")
