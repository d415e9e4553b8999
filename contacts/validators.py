"""Shapes of the contact details a press office publishes.

Each validator raises a coded ValidationError so forms and the importer show the same message.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# International or national numbers as offices print them: "+32 (0)2 707 9867", "020 7946 0000".
PHONE_RE = re.compile(r"^\+?[0-9()][0-9 ()./-]{5,28}[0-9]$")
# One handle per network shape: @name for most networks, @name@instance.tld for the fediverse.
HANDLE_RE = re.compile(r"^@[A-Za-z0-9_.]{1,30}$")
FEDIVERSE_HANDLE_RE = re.compile(r"^@[A-Za-z0-9_.]{1,30}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


def validate_phone(value: str) -> None:
    digits = re.sub(r"\D", "", value)
    if not PHONE_RE.match(value) or not 6 <= len(digits) <= 17:
        raise ValidationError(
            _("Enter a phone number such as +32 2 707 9867: digits, spaces, + ( ) . / - only."),
            code="invalid_phone",
        )


def validate_handle(value: str) -> None:
    if not (HANDLE_RE.match(value) or FEDIVERSE_HANDLE_RE.match(value)):
        raise ValidationError(
            _(
                "Enter a handle such as @PressOffice (letters, digits, _ and ., at most 30), "
                "or @name@instance.social for Mastodon."
            ),
            code="invalid_handle",
        )
