"""A database outage answers 503 with Retry-After, never a 500 with a traceback.

Down, hung (bounded by the connect and statement timeouts in settings) or refusing connections:
the request fails fast and the client is told when to come back.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Turns OperationalError/InterfaceError from a view (or its template) into a 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        # Rendered without the request: context processors might need the database.
        body = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
