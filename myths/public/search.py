"""Full-text search over published revisions, in each release's own language.

On PostgreSQL: a weighted tsvector (title A, lede B, body text C) built with the text-search
configuration of the revision's language (`Revision.search_config`: russian, french, …, simple for
Ukrainian and any language PostgreSQL does not stem), ranked, with highlighted snippets, served by
the GIN expression index of migration 0006_langs_slugs_search_translations. The vector below must
stay identical to that index's expression or PostgreSQL stops using the index. The query is parsed
in the configuration of the language asked for (the list's language filter, else the reader's).
Elsewhere (SQLite in development): every word must appear in the text, lowered in Python
(core.text_case), since SQLite's own LIKE folds ASCII letters only.
"""

from django.db import connection
from django.db.models import F, Func, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.text_case import UnicodeLower, unicode_lower

from ..models import Revision, search_config

# Control characters mark the highlighted words, so the snippet can be HTML-escaped first and
# only our own <mark> tags are ever rendered as HTML.
MARK_START, MARK_STOP = "\x02", "\x03"
MAX_WORDS = 12


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _weighted(column: str, weight: str) -> Func:
    """setweight(to_tsvector(search_config, coalesce(column, '')), weight)."""
    from django.contrib.postgres.search import SearchVectorField

    document = Func(
        F("search_config"),
        Coalesce(F(column), Value(""), output_field=TextField()),
        function="to_tsvector",
        output_field=SearchVectorField(),
    )
    return Func(document, Value(weight), function="setweight", output_field=SearchVectorField())


def search_vector() -> Func:
    """The weighted document vector in the revision's own configuration; the index of
    0006_langs_slugs_search_translations is built from it.

    Written out rather than with SearchVector(config=F(...)): SearchVector keeps its config
    outside its source expressions, so in a subquery the column keeps the outer table's name.
    """
    from django.contrib.postgres.search import SearchVectorField

    return Func(
        _weighted("title", "A"),
        _weighted("lede", "B"),
        _weighted("search_text", "C"),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=SearchVectorField(),
    )


def clean_terms(text: str) -> list[str]:
    """The words of a query, without characters that mean nothing to either backend."""
    words = [w.strip("\"'()[]{}<>!|&:*") for w in text.split()]
    return [w for w in words if w][:MAX_WORDS]


def search_releases(queryset, text: str, *, language: str | None = None):
    """Narrow a Release.objects.published() queryset to `text`, ranked, with a `search_snippet`.

    `text` is read as words of `language` (default: the reader's language), so on PostgreSQL
    "выборах" finds a Russian release that says "Выборы". Case never matters, in any script.
    """
    by_reference = _reference_match(queryset, text)
    if by_reference is not None:
        return by_reference
    terms = clean_terms(text)
    if not terms:
        return queryset.none()
    if is_postgresql():
        config = search_config(language or translation.get_language())
        return _postgres(queryset, " ".join(terms), config)
    # search_text holds the title and the lede too (revisions.content_search_text).
    condition = Q()
    for term in terms:
        condition &= Q(lowered_text__contains=unicode_lower(term))
    matching = (
        Revision.objects.annotate(lowered_text=UnicodeLower("search_text"))
        .filter(condition)
        .values("pk")
    )
    return queryset.filter(public_revision_id__in=matching)


def _reference_match(queryset, text: str):
    """The release whose reference number is `text` (PR/2017/014, any case), or None.

    Issue 13: a journalist quoting a reference finds its release. Looked up only for a single
    "word" with a digit, as a reference is; an exact match is the whole answer, else the words
    are searched as usual.
    """
    reference = text.strip()
    if not reference or len(reference.split()) != 1 or not any(c.isdigit() for c in reference):
        return None
    matching = queryset.filter(reference__iexact=reference)
    return matching if matching.exists() else None


def _postgres(queryset, text: str, config: str):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    query = SearchQuery(text, search_type="websearch", config=config)
    revisions = Revision.objects.annotate(document=search_vector())
    matching = revisions.filter(document=query).values("pk")
    # order_by(): see myths.models._public_revision.
    this_revision = revisions.filter(pk=OuterRef("public_revision_id")).order_by()
    return (
        queryset.filter(public_revision_id__in=matching)
        .annotate(
            search_rank=Subquery(
                this_revision.annotate(rank=SearchRank(F("document"), query)).values("rank")[:1]
            ),
            search_snippet=Subquery(
                Revision.objects.filter(pk=OuterRef("public_revision_id"))
                .order_by()
                .annotate(
                    snippet=SearchHeadline(
                        "search_text",
                        query,
                        config=F("search_config"),
                        start_sel=MARK_START,
                        stop_sel=MARK_STOP,
                        max_words=35,
                        min_words=15,
                        max_fragments=2,
                        fragment_delimiter=" … ",
                    )
                )
                .values("snippet")[:1]
            ),
        )
        .order_by("-search_rank", "-public_date", "-pk")
    )


def render_snippet(snippet: str) -> str:
    """Escape a headline and turn our markers into <mark> elements."""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags are added
