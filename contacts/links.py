"""Where a contact detail leads: a phone number's `tel:` URI in E.164 (parsed with the
`phonenumbers` library) and a social handle's profile address on its network.
"""

from __future__ import annotations

import itertools
import re

import phonenumbers

# Network → profile address for a handle without its leading "@". Mastodon is built from the
# handle's own instance (see `handle_profile_url`); a network not listed gets no link.
PROFILE_URLS = {
    "x": "https://x.com/{name}",
    "telegram": "https://t.me/{name}",
    "bluesky": "https://bsky.app/profile/{name}",
    "facebook": "https://www.facebook.com/{name}",
    "instagram": "https://www.instagram.com/{name}",
    "youtube": "https://www.youtube.com/@{name}",
}


def phone_e164(phone: str) -> str:
    """The number in E.164 ("+3227079867" for "+32(0)2 707 9867"), or "" when it cannot be read
    as an international number. The trunk prefix "(0)" is dropped by the library's own rules."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_uri(phone: str) -> str:
    """`tel:` + E.164, or "" when the number cannot be dialled from abroad as written."""
    e164 = phone_e164(phone)
    return f"tel:{e164}" if e164 else ""


def handle_profile_url(network: str, handle: str) -> str:
    """The profile address of `handle` on `network`, or "" when the network is unknown or has
    no address scheme here. A Mastodon "@user@host" is "https://host/@user"."""
    name = handle.lstrip("@")
    if network == "mastodon":
        user, _sep, host = name.partition("@")
        return f"https://{host}/@{user}" if host else ""
    pattern = PROFILE_URLS.get(network)
    return pattern.format(name=name) if pattern else ""


# Where an address may wrap, as style guides break them: after "@" and "//", before a dot, a
# slash, a hyphen and the other punctuation of a URL, so a line never ends inside a word and no
# break looks like a hyphenated word. Nothing else in an address is a place to wrap.
_BREAK_AFTER = re.compile(r"(?<=.@)|(?<=//)")  # not after a handle's leading "@"
_BREAK_BEFORE = re.compile(r"(?<=[^/:])(?=[./\-?#&=_~])")


def address_segments(address: str) -> list[str]:
    """`address` (an e-mail address or URL) cut where a line may wrap: joined, they give it back.

    "press.office@example.org" → ["press", ".office@", "example", ".org"]."""
    cuts = sorted(
        {m.start() for m in _BREAK_AFTER.finditer(address)}
        | {m.start() for m in _BREAK_BEFORE.finditer(address)} - {0, len(address)}
    )
    bounds = [0, *cuts, len(address)]
    return [address[a:b] for a, b in itertools.pairwise(bounds) if a < b]
