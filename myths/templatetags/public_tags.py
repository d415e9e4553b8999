"""Small helpers for the public templates."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import typography
from core.site import canonical_path, path_in_language
from myths.public import fragments

register = template.Library()


@register.filter
def long_date(value, language=""):
    """`value` (a date or datetime) in words, as the active language (or `language`) writes it."""
    return typography.long_date(value, language)


@register.filter
def quoted(value, language=""):
    """`value` between the quotation marks of `language` (default: the active language)."""
    opening, closing = typography.quotation_marks(language)
    return f"{opening}{value}{closing}"


@register.simple_tag(takes_context=True)
def nav_current(context, *url_names):
    """aria-current="page" for the nav link of the page being shown."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match and f"{match.namespace}:{match.url_name}" in url_names:
        return mark_safe('aria-current="page"')
    return ""


@register.filter
def verdict_label(value):
    """The words for a verdict code ("lacks_context" → "Lacks context")."""
    from myths.models import Response

    try:
        return Response.Verdict(value).label
    except ValueError:
        return ""


@register.simple_tag
def more_info_sentence(label, url, link_class=""):
    """The "for more information" sentence as the editor wrote it, with its address visible
    and linked: in place when the sentence holds it, else after it (issue 12: nothing
    rewritten, no address hidden behind words)."""
    attrs = format_html(' class="{}"', link_class) if link_class else ""
    link = format_html('<a href="{}"{}>{}</a>', url, attrs, url)
    if label and url in label:
        before, _sep, after = label.partition(url)
        return format_html("{}{}{}", before, link, after)
    if label:
        return format_html("{} {}", label, link)
    return link


@register.simple_tag
def canonical_url(viewname, *args, **kwargs):
    """The page's one address, without a language prefix (canonical links, PDF links)."""
    return canonical_path(viewname, *args, **kwargs)


@register.filter
def in_language(path, language):
    """A canonical path with the reader's language prefix, for links in the reader's chrome.

    Needed inside `{% language %}` blocks, where the active language is the content's own.
    """
    return path_in_language(path, language) if language else path


@register.simple_tag(takes_context=True)
def release_cards(context, releases, level=2, featured_first=False):
    """`{% release_cards releases level=3 as cards %}`: each release's card, as the include
    myths/includes/release_card.html renders it, kept per version (myths/public/fragments.py)."""
    return fragments.release_cards(
        releases, context["READER_LANGUAGE"], level=level, featured_first=featured_first
    )


@register.simple_tag(takes_context=True)
def register_rows(context, entries):
    """`{% register_rows claims as rows %}`: each register entry's row, kept per version."""
    return fragments.register_rows(entries, context["READER_LANGUAGE"])


@register.simple_tag(takes_context=True)
def filter_panel(context, filterset, panel_title, list_url):
    """`{% filter_panel filter panel_title list_url %}`: the include
    myths/includes/filter_panel.html with `filters_active`, kept per version when its only
    values are choices."""
    return fragments.filter_panel(
        filterset,
        context["READER_LANGUAGE"],
        panel_title=panel_title,
        list_url=list_url,
        filters_active=context.get("filters_active"),
    )
