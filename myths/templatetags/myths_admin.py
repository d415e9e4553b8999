"""Template filters of the release editing screens: a figure's thumbnail URL, for the release form
and the compare view (made once and stored by myths/thumbnails.py), and a response's comments."""

from django import template

from myths.thumbnails import thumbnail_url

register = template.Library()


@register.filter
def figure_thumbnail_url(figure) -> str:
    """The thumbnail URL of a Figure (or anything with an `image` name, like FigureContent)."""
    image = getattr(figure, "image", "")
    return thumbnail_url(getattr(image, "name", image) or "")


@register.filter
def comments_of(comment_by_response, response):
    """The comments shown beside `response` in its inline block (admin/comments.py builds the
    mapping once per page), or None for a response not yet saved."""
    if not comment_by_response or response is None:
        return None
    return comment_by_response.get(response.pk)
