"""Importing a release written as text: decode the bytes, parse them, write a draft release.

Owns the keyword patterns (as data), the parser, the contact block's line readers and the
service `release_import`; press contacts are matched and created by `contacts.services`.
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
