"""Revisions of a release: the typed snapshot (`content`), recording one (`store`), restoring one.

Every reader-facing output (public page, preview, feeds, PDF) renders a `ReleaseContent` built
from a revision's snapshot, so it shows exactly what was approved, whatever the working copy says.
"""

from .content import (
    SNAPSHOT_VERSION,
    ContactContent,
    FigureContent,
    OfficeContent,
    ReleaseContent,
    ResponseContent,
    SourceContent,
)
from .restore import release_rows_restore
from .store import (
    content_changed,
    content_media_names,
    content_search_text,
    release_snapshot,
    revision_content,
    revision_create,
)

__all__ = [
    "SNAPSHOT_VERSION",
    "ContactContent",
    "FigureContent",
    "OfficeContent",
    "ReleaseContent",
    "ResponseContent",
    "SourceContent",
    "content_changed",
    "content_media_names",
    "content_search_text",
    "release_rows_restore",
    "release_snapshot",
    "revision_content",
    "revision_create",
]
