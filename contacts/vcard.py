"""A vCard 4.0 (RFC 6350) for a press contact, so journalists can save it in one click."""

from core.site import absolute_url


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
    name = contact.office_line or contact.section
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:org",
        f"FN:{escape_value(name)}",
        "ORG:" + ";".join(escape_value(p) for p in (contact.organisation, contact.division) if p),
        f"EMAIL;TYPE=work:{escape_value(contact.email)}",
    ]
    if contact.section:
        lines.append(f"TITLE:{escape_value(contact.section)}")
    if contact.phone:
        lines.append(f"TEL;TYPE=work,voice;VALUE=uri:tel:{contact.phone.replace(' ', '')}")
    if contact.website:
        lines.append(f"URL:{contact.website}")
    for handle in contact.social_handles.all():
        lines.append(f"X-SOCIALPROFILE;TYPE={handle.network}:{escape_value(handle.handle)}")
    source = absolute_url(f"/contacts/{contact.slug}.vcf")
    lines += [f"SOURCE:{source}", "END:VCARD"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
