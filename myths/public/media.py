"""Media files in the default storage, served only when something public shows them (or to staff).

A figure or an uploaded image of a draft must not be reachable by guessing or sharing its URL.
A front server that serves /media/ itself bypasses this (README, Configuration).
"""

import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..models import RevisionMedia
from ..uploads import IMPORT_PREFIX

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
    if name is None or name.startswith(IMPORT_PREFIX):
        # A Word file waiting between an import's two steps is nobody's to download.
        raise Http404(_("No such file."))
    public_file = RevisionMedia.objects.public().filter(name=name).exists()
    if not public_file and not (
        request.user.is_staff and request.user.has_perm("myths.view_release")
    ):
        raise Http404(_("No such file."))
    # _media_name() let through no "..", no absolute path and no empty part. The file is read
    # through the storage, so local disk and object storage (private objects) are served alike.
    try:
        size = default_storage.size(name)
        modified = default_storage.get_modified_time(name)
    except (OSError, ValueError, NotImplementedError, SuspiciousFileOperation):
        raise Http404(_("No such file.")) from None
    except Exception:  # an object store answers a missing key with its own error
        if not default_storage.exists(name):
            raise Http404(_("No such file.")) from None
        raise
    mtime = modified.timestamp()
    etag = f'"{int(mtime * 1e9):x}-{size:x}"'
    response = get_conditional_response(request, etag=etag, last_modified=int(mtime))
    if response is None:
        filename = name.rsplit("/", 1)[-1]
        content_type, encoding = mimetypes.guess_type(filename)
        content_type = content_type or "application/octet-stream"
        response = FileResponse(
            default_storage.open(name, "rb"),
            content_type=content_type,
            as_attachment=content_type not in INLINE_MEDIA_TYPES,
            filename=filename,
        )
        response["Content-Length"] = str(size)
        if encoding:
            response.headers["Content-Encoding"] = encoding
    response["ETag"] = etag
    response["Last-Modified"] = http_date(mtime)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if an uploaded file were HTML or SVG with a script, opening it runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if public_file:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
