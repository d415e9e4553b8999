"""Full-text search over published revisions.

On PostgreSQL: a weighted tsvector (title A, lede B, body text C), ranked, with highlighted
snippets, served by the GIN expression index of migration 0003_public_search. The vector below
must stay identical to that index's expression or PostgreSQL stops using the index.
Elsewhere (SQLite in development): every word must appear in the title, lede or text.
"""

from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..models import Revision

SEARCH_CONFIG = "english"
# Control characters mark the highlighted words, so the snippet can be HTML-escaped first and
# only our own <mark> tags are ever rendered as HTML.
MARK_START, MARK_STOP = "\x02", "\x03"
MAX_WORDS = 12


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_vector():
    """The weighted document vector; the index in 0003_public_search is built from it."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("lede", weight="B", config=SEARCH_CONFIG)
        + SearchVector("search_text", weight="C", config=SEARCH_CONFIG)
    )


def clean_terms(text: str) -> list[str]:
    """The words of a query, without characters that mean nothing to either backend."""
    words = [w.strip("\"'()[]{}<>!|&:*") for w in text.split()]
    return [w for w in words if w][:MAX_WORDS]


def search_releases(queryset, text: str):
    """Narrow a Release.objects.published() queryset to `text`, ranked, with a `search_snippet`."""
    terms = clean_terms(text)
    if not terms:
        return queryset.none()
    if is_postgresql():
        return _postgres(queryset, " ".join(terms))
    condition = Q()
    for term in terms:
        condition &= (
            Q(title__icontains=term) | Q(lede__icontains=term) | Q(search_text__icontains=term)
        )
    matching = Revision.objects.filter(condition).values("pk")
    return queryset.filter(public_revision_id__in=matching)


def _postgres(queryset, text: str):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
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
                        config=SEARCH_CONFIG,
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
