"""Template filters for contact details: `tel:` URIs in E.164 and social profile addresses."""

from django import template

from contacts.links import handle_profile_url, phone_uri

register = template.Library()


@register.filter
def tel_uri(phone: str) -> str:
    """`{{ contact.phone|tel_uri }}`: "tel:+3227079867", or "" (then print no link)."""
    return phone_uri(phone or "")


@register.filter
def profile_url(handle: str, network: str) -> str:
    """`{{ handle|profile_url:network }}`: the profile address, or "" (then print no link)."""
    return handle_profile_url(network or "", handle or "")
