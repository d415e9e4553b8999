"""Template filters for contact details: `tel:` URIs in E.164, social profile addresses, and
addresses that wrap only where a line may end."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from contacts.links import address_segments, handle_profile_url, phone_uri

register = template.Library()


@register.filter
def tel_uri(phone: str) -> str:
    """`{{ contact.phone|tel_uri }}`: "tel:+3227079867", or "" (then print no link)."""
    return phone_uri(phone or "")


@register.filter
def profile_url(handle: str, network: str) -> str:
    """`{{ handle|profile_url:network }}`: the profile address, or "" (then print no link)."""
    return handle_profile_url(network or "", handle or "")


@register.filter
def unbroken(address: str) -> str:
    """`{{ contact.email|unbroken }}`: the address as HTML that wraps only at the places
    `address_segments` allows (a <wbr> between segments, each segment kept whole), never inside
    a word, whatever the width. Use it for the text of a link, never for its href."""
    segments = address_segments(address or "")
    if not segments:
        return ""
    return format_html_join(
        mark_safe("<wbr>"),
        '<span class="nobr">{}</span>',
        ((segment,) for segment in segments),
    )
