"""Importing a release written as text: decoding the bytes, the keyword patterns as data, the
parser, the contact block's line readers, and `release_import`, the service that writes the draft.
"""

from .decode import MAX_IMPORT_BYTES, check_filename, decode_release_bytes
from .parse import parse_release
from .service import ImportResult, release_import

__all__ = [
    "MAX_IMPORT_BYTES",
    "ImportResult",
    "check_filename",
    "decode_release_bytes",
    "parse_release",
    "release_import",
]
