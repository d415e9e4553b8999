"""The items of the public lists, rendered once per version of what they show
(core.page_cache.fragments_render): release cards (home, the release list, its filters and
search results) and the register's rows.

A version names every value its template prints, so it cannot go stale: a new revision (title,
lede, myths answered), another slug, date or language, a register row's new verdict, count,
wording or topic names, another verdict style of the office, and the reader's language each make
another key. Which items a page lists, and in which order, is always the page's query: a withdrawn
release or claim is simply not asked for.
"""

from django.template.loader import get_template
from django.utils.safestring import mark_safe

from core.page_cache import fragments_render

RELEASE_CARD = "myths/includes/release_card.html"
REGISTER_ROW = "myths/includes/register_row.html"
FILTER_PANEL = "myths/includes/filter_panel.html"

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


def release_cards(
    releases, reader_language: str, *, level: int = 2, featured_first: bool = False
) -> list[str]:
    """Each release's card (RELEASE_CARD), the first one `featured` if asked. A card with a
    search snippet (which depends on the query) is rendered every time, never kept.

    `releases` come from ReleaseQuerySet.with_public_text(), with RELEASE_CARD_FIELDS at least.
    """
    template = get_template(RELEASE_CARD)
    releases = list(releases)
    featured = {releases[0].pk} if featured_first and releases else set()

    def version(release):
        if getattr(release, "search_snippet", None):
            return None
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
            reader_language,
        )

    def render(release):
        return template.render(
            {
                "release": release,
                "featured": release.pk in featured,
                "level": level,
                "READER_LANGUAGE": reader_language,
            }
        )

    return [mark_safe(card) for card in fragments_render(releases, version, render)]  # noqa: S308 - rendered by the template


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


def filter_panel(filterset, reader_language: str, *, panel_title, list_url, filters_active):
    """A list's filter form (FILTER_PANEL), kept per version when its only values are choices
    (a topic, a language, a verdict): each field's value and choices are in the key (topics come
    and go with publications). A form with a search, a date or an error is rendered every time,
    so unbounded input is never kept.
    """
    form = filterset.form
    template = get_template(FILTER_PANEL)
    context = {
        "filter": filterset,
        "panel_title": panel_title,
        "list_url": list_url,
        "filters_active": filters_active,
    }

    def version(form):
        fields = []
        for field in form:
            value = field.value()
            choices = getattr(field.field, "choices", None)
            if choices is None and value not in (None, ""):
                return None
            listed = () if choices is None else choices  # a lazy iterator: no truth test
            labels = tuple((str(code), str(label)) for code, label in listed)
            fields.append((field.name, value, labels))
        if form.is_bound and form.errors:
            return None
        return (
            "filter-panel",
            str(panel_title),
            list_url,
            filters_active,
            tuple(fields),
            reader_language,
        )

    (panel,) = fragments_render([form], version, lambda _form: template.render(context))
    return mark_safe(panel)  # noqa: S308 - rendered by the template
