"""Template filters of the release editing screens: a figure's thumbnail URL, for the release form
and the compare view (made once and stored by myths/thumbnails.py)."""

from django import template

from myths.thumbnails import thumbnail_url

register = template.Library()


@register.filter
def figure_thumbnail_url(figure) -> str:
    """The thumbnail URL of a Figure (or anything with an `image` name, like FigureContent)."""
    image = getattr(figure, "image", "")
    return thumbnail_url(getattr(image, "name", image) or "")
