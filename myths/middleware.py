"""Request hygiene before any view runs: a query string carrying a NUL character is a 400.

No text this site stores or searches can contain NUL, and PostgreSQL refuses one in a query
parameter with an error, so the admin's autocomplete (and any search) answered 500 to it.
"""

from django.core.exceptions import BadRequest


class RefuseNulInQueryMiddleware:
    """Answer 400 Bad Request when a GET parameter's name or value contains NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL character in the query string")
        return self.get_response(request)
