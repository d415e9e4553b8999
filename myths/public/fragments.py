"""The items of the public lists, rendered once per version of what they show
(core.page_cache.fragments_render): release cards (home, the release list, its filters and
search results) and the register's rows.

A version names every value its template prints, so it cannot go stale: a new revision (title,
lede, myths answered), another slug, date or language, a register row's new verdict, count,
wording or topic names, another verdict style of the office, and the reader's language each make
another key. Which items a page lists, and in which order, is always the page's query: a withdrawn
release or claim is simply not asked for.
"""

from functools import lru_cache

from django.template.loader import get_template
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from core.page_cache import fragments_render

from .search import render_snippet

RELEASE_CARD = "myths/includes/release_card.html"
REGISTER_ROW = "myths/includes/register_row.html"
FILTER_PANEL = "myths/includes/filter_panel.html"
FILTER_FIELD = "myths/includes/filter_field.html"

# The columns of a listed row that its fragment prints (its address) or keys, besides the
# annotations the list reads them with: a list loads only these (and the primary key). A column
# printed but not loaded would cost a query per item (the lists' query counts are tested).
RELEASE_CARD_FIELDS = ("slug",)
REGISTER_ROW_FIELDS = (
    "claim_id",
    "language",
    "slug",
    "wording",
    "verdict",
    "answered_on",
    "release_count",
    "topics",
)


@lru_cache(maxsize=1)
def snippet_mark() -> str:
    """What a kept card holds in place of its search snippet: a marker no content can forge
    (derived from SECRET_KEY), replaced by the query's snippet when the card is shown."""
    token = salted_hmac("myths.public.fragments.snippet", "snippet", algorithm="sha256")
    return f"pressdesk-snippet-{token.hexdigest()[:16]}"


def release_cards(
    releases, reader_language: str, *, level: int = 2, featured_first: bool = False
) -> list[str]:
    """Each release's card (RELEASE_CARD), the first one `featured` if asked. A card with a
    search snippet (which depends on the query) is kept with a marker in the snippet's place
    (`snippet_mark`), the same for every query, and shown with its own snippet.

    `releases` come from ReleaseQuerySet.with_public_text(), with RELEASE_CARD_FIELDS at least.
    """
    template = get_template(RELEASE_CARD)
    releases = list(releases)
    featured = {releases[0].pk} if featured_first and releases else set()

    def version(release):
        return (
            "release-card",
            release.pk,
            release.public_revision_id,
            release.slug,
            release.public_language,
            release.public_date,
            release.public_title,
            release.public_lede,
            release.myth_count,
            release.pk in featured,
            level,
            bool(getattr(release, "search_snippet", None)),
            reader_language,
        )

    def render(release):
        return template.render(
            {
                "release": release,
                "snippet": snippet_mark() if getattr(release, "search_snippet", None) else "",
                "featured": release.pk in featured,
                "level": level,
                "READER_LANGUAGE": reader_language,
            }
        )

    cards = fragments_render(releases, version, render)
    for number, release in enumerate(releases):
        if snippet := getattr(release, "search_snippet", None):
            cards[number] = cards[number].replace(snippet_mark(), render_snippet(snippet))
    return [mark_safe(card) for card in cards]  # noqa: S308 - rendered by the template


def register_rows(entries, reader_language: str) -> list[str]:
    """Each register entry's row (REGISTER_ROW). `entries` come from
    RegisterEntryQuerySet.with_verdict_style(), with REGISTER_ROW_FIELDS at least."""
    template = get_template(REGISTER_ROW)

    def version(entry):
        return (
            "register-row",
            entry.pk,
            entry.claim_id,
            entry.language,
            entry.slug,
            entry.wording,
            entry.verdict,
            entry.verdict_style,
            entry.answered_on,
            entry.release_count,
            entry.topic_list,
            reader_language,
        )

    def render(entry):
        return template.render({"claim": entry, "READER_LANGUAGE": reader_language})

    return [mark_safe(row) for row in fragments_render(list(entries), version, render)]  # noqa: S308 - rendered by the template


def _field_state(field) -> tuple | None:
    """A form field's name, value and choices (code, label), as a version names them; None when
    it holds typed input (a search, a date), which is never kept."""
    value = field.value()
    choices = getattr(field.field, "choices", None)
    if choices is None and value not in (None, ""):
        return None
    listed = () if choices is None else choices  # a lazy iterator: no truth test
    return (field.name, value, tuple((str(code), str(label)) for code, label in listed))


def filter_panel(filterset, reader_language: str, *, panel_title, list_url, filters_active):
    """A list's filter form (FILTER_PANEL), kept per version when its only values are choices
    (a topic, a language, a verdict): each field's value and choices are in the key (topics come
    and go with publications). A form with a search, a date or an error is rendered every time,
    so unbounded input is never kept; its fields are then kept one by one (`filter_fields`).
    """
    form = filterset.form
    template = get_template(FILTER_PANEL)

    def version(form):
        fields = [_field_state(field) for field in form]
        if None in fields or (form.is_bound and form.errors):
            return None
        return (
            "filter-panel",
            str(panel_title),
            list_url,
            filters_active,
            tuple(fields),
            reader_language,
        )

    def render(form):
        context = {
            "fields": filter_fields(form, reader_language),
            "panel_title": panel_title,
            "list_url": list_url,
            "filters_active": filters_active,
        }
        return template.render(context)

    (panel,) = fragments_render([form], version, render)
    return mark_safe(panel)  # noqa: S308 - rendered by the template


def filter_fields(form, reader_language: str) -> list[str]:
    """Each field of a filter form (FILTER_FIELD: its label, errors and widget), kept per version
    as the panel is, field by field: in a form with a search, the topic, language and verdict
    menus are kept while the search box is rendered every time. A field holding typed input or
    an error is never kept. The form's class is in the key (each list's form has its own labels,
    choices and placeholders)."""
    template = get_template(FILTER_FIELD)
    form_class = f"{type(form).__module__}.{type(form).__qualname__}"

    def version(field):
        state = _field_state(field)
        if state is None or field.errors:
            return None
        return (
            "filter-field",
            form_class,
            field.html_name,
            field.auto_id,
            str(field.label),
            state,
            reader_language,
        )

    def render(field):
        return template.render({"field": field})

    return [mark_safe(html) for html in fragments_render(list(form), version, render)]  # noqa: S308 - rendered by the template
