"""`{% slot "template.html" %}`: a part of a page that a skeleton leaves open (core.page_cache)."""

from django import template

from core.page_cache import skeleton_mark

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, template_name):
    """Include `template_name` here, with the page's context; in a skeleton render (the context
    has `page_skeleton`), leave its marker instead, for `skeleton_fill` to render per request."""
    if context.get("page_skeleton"):
        return skeleton_mark(template_name)
    included = context.template.engine.get_template(template_name)
    with context.push():
        return included.render(context)
