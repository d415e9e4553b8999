"""Importing through the admin's two steps, as an editor would: preview, then confirm."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

IMPORT_URL = "admin:myths_release_import"
TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')


def import_preview(client, *, data: bytes | str, name: str = "release.txt"):
    """Step 1: post a file (bytes) or pasted text (str); the response is the preview page."""
    if isinstance(data, str):
        return client.post(reverse(IMPORT_URL), {"text": data})
    upload = SimpleUploadedFile(name, data, content_type="text/plain")
    return client.post(reverse(IMPORT_URL), {"file": upload})


def import_confirm(client, preview, *, choice: str = "create", **extra):
    """Step 2: press a button of the preview page `preview` (its signed token)."""
    token = TOKEN_RE.search(preview.content.decode()).group(1)
    return client.post(reverse(IMPORT_URL), {"token": token, "choice": choice, **extra})


def import_through_preview(client, *, data: bytes | str, name: str = "release.txt", **options):
    """Both steps; returns the confirm response (a redirect to the draft when it worked)."""
    preview = import_preview(client, data=data, name=name)
    assert preview.status_code == 200, preview.status_code
    return import_confirm(client, preview, **options)
