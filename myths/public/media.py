"""Media files under MEDIA_ROOT, served only when something public shows them (or to staff).

A figure or an uploaded image of a draft must not be reachable by guessing or sharing its URL.
A front server that serves /media/ itself bypasses this (README, Configuration).
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..models import RevisionMedia

# Types a browser shows inline; anything else is sent as a download.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"}


def _media_name(path: str) -> str | None:
    """`path` if it is a plain relative name inside MEDIA_ROOT, else None."""
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in path.split("/")):
        return None
    return path


@require_safe
def media_file(request, path):
    """A media file, for anyone if a public revision shows it, else for staff who may view
    releases (never cached); 404 otherwise, exactly as for a file that does not exist."""
    name = _media_name(path)
    if name is None:
        raise Http404(_("No such file."))
    public_file = RevisionMedia.objects.public().filter(name=name).exists()
    if not public_file and not (
        request.user.is_staff and request.user.has_perm("myths.view_release")
    ):
        raise Http404(_("No such file."))
    # _media_name() let through no "..", no absolute path and no empty part, so the joined path
    # stays inside MEDIA_ROOT.
    full_path = Path(settings.MEDIA_ROOT) / name
    try:
        stat = full_path.stat()
    except (OSError, ValueError):
        raise Http404(_("No such file.")) from None
    if not full_path.is_file():
        raise Http404(_("No such file."))
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    response = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if response is None:
        content_type, encoding = mimetypes.guess_type(full_path.name)
        content_type = content_type or "application/octet-stream"
        response = FileResponse(
            full_path.open("rb"),
            content_type=content_type,
            as_attachment=content_type not in INLINE_MEDIA_TYPES,
            filename=full_path.name,
        )
        if encoding:
            response.headers["Content-Encoding"] = encoding
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if an uploaded file were HTML or SVG with a script, opening it runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if public_file:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
