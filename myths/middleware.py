"""Request and response hygiene around admin views: NUL in a query string, the admin's CSP.

No text this site stores or searches can contain NUL, and PostgreSQL refuses one in a query
parameter with an error, so the admin's autocomplete answered 500 to it. (Public pages read
their query strings through forms, whose fields already refuse NUL with a message.)
"""

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.csp import get_nonce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.csp import CSP, build_policy


def admin_prefix() -> str:
    """The admin's address, reversed once per URLconf and script prefix (every request asks)."""
    return _admin_prefix(get_urlconf(), get_script_prefix())


@lru_cache(maxsize=16)
def _admin_prefix(urlconf: str | None, script_prefix: str) -> str:
    return reverse("admin:index", urlconf=urlconf)


class RefuseNulInAdminQueryMiddleware:
    """Answer 400 Bad Request when an admin GET parameter's name or value contains NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(admin_prefix()):
            for key, values in request.GET.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest("NUL character in the query string")
        return self.get_response(request)


class AdminContentSecurityPolicyMiddleware:
    """Give admin pages settings.PRESSDESK_ADMIN_CSP rather than SECURE_CSP.

    Sits just inside Django's ContentSecurityPolicyMiddleware, which leaves a policy header that
    is already set alone; the nonce is the request's own, so `{{ csp_nonce }}` works here too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(admin_prefix()) and CSP.HEADER_ENFORCE not in response:
            policy = build_policy(settings.PRESSDESK_ADMIN_CSP, get_nonce(request))
            response.headers[str(CSP.HEADER_ENFORCE)] = policy
        return response
