"""A vCard 4.0 (RFC 6350) for a press contact, so journalists can save it in one click."""

from core.site import absolute_url

from .links import handle_profile_url, phone_uri


def escape_value(value: str) -> str:
    """RFC 6350 §3.4: backslash, comma, semicolon and newlines are escaped in text values."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF and a space (RFC 6350 §3.2)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def contact_vcard(contact) -> str:
    """The card: ORG only with what the contact names (never a guess), TEL as E.164 `tel:`
    URIs (a number that cannot be read as international is left out), social handles as
    their profile addresses when the network is known."""
    name = contact.office_line or contact.organisation or contact.email
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:org", f"FN:{escape_value(name)}"]
    organisation = [p for p in (contact.organisation, contact.division) if p]
    if organisation:
        lines.append("ORG:" + ";".join(escape_value(p) for p in organisation))
    lines.append(f"EMAIL;TYPE=work:{escape_value(contact.email)}")
    if contact.section:
        lines.append(f"TITLE:{escape_value(contact.section)}")
    for phone in (contact.phone, contact.second_phone):
        if uri := phone_uri(phone):
            lines.append(f"TEL;TYPE=work,voice;VALUE=uri:{uri}")
    if contact.website:
        lines.append(f"URL:{contact.website}")
    lines.extend(_social_line(handle) for handle in contact.social_handles.all())
    source = absolute_url(f"/contacts/{contact.slug}.vcf")
    lines += [f"SOURCE:{source}", "END:VCARD"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def _social_line(handle) -> str:
    value = handle_profile_url(handle.network, handle.handle) or handle.handle
    network = f";TYPE={handle.network}" if handle.network else ""
    return f"X-SOCIALPROFILE{network}:{escape_value(value)}"
