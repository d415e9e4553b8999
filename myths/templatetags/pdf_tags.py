"""Filters of the press-release PDF's template (templates/myths/pdf/)."""

from django import template
from django.utils.safestring import mark_safe

from myths.pdf.typesetting import breakable_address as _breakable_address

register = template.Library()


@register.filter
def breakable_address(address):
    """`address` marked up to break only after a / or a ., never at a hyphen (escaped)."""
    return mark_safe(_breakable_address(str(address or "")))  # noqa: S308 - escaped piece by piece
