"""Full-text search over published revisions, in each release's own language.

On PostgreSQL: each revision stores its weighted vector (title A, lede B, body text C) in
`Revision.search_document`, computed by the database whenever the row is written with the
text-search configuration of the revision's language (`Revision.search_config`: russian, french,
…, simple for Ukrainian and any language PostgreSQL does not stem), under a GIN index (migration
0019_search_document_index). Matches are found through that index and ranked from the stored
vector, never by parsing a match's text again; only the page shown gets highlighted snippets.
At most MAX_RANKED matches are ranked, the newest ones, so a query matching most of a long
archive (a very common word) costs a bounded amount of work; the reader narrows it with more
words, a language or dates. The query is parsed in the configuration of the language asked for
(the list's language filter, else the reader's).
Elsewhere (SQLite in development): every word must appear in the text, lowered in Python
(core.text_case), since SQLite's own LIKE folds ASCII letters only.

A query is searched in one spelling (`search_spelling`: its words, lower-cased, one space
apart), so every spelling of it finds the same releases and the release list can keep one cached
page for all of them.
"""

from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.text_case import UnicodeLower, unicode_lower

from ..models import Revision, search_config

# Control characters mark the highlighted words, so the snippet can be HTML-escaped first and
# only our own <mark> tags are ever rendered as HTML.
MARK_START, MARK_STOP = "\x02", "\x03"
MAX_WORDS = 12
# How many matches are ranked at most (the newest): bounds the work of a very common word.
MAX_RANKED = 1000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def clean_terms(text: str) -> list[str]:
    """The words of a query, without characters that mean nothing to either backend."""
    words = [w.strip("\"'()[]{}<>!|&:*") for w in text.split()]
    return [w for w in words if w][:MAX_WORDS]


def search_spelling(text: str) -> str:
    """The one spelling of a query, as it is searched: its words (`clean_terms`), lower-cased as
    the search compares them (core.text_case), one space apart. Idempotent."""
    return " ".join(unicode_lower(term) for term in clean_terms(text))


def search_releases(queryset, text: str, *, language: str | None = None):
    """Narrow a Release.objects.published() queryset to `text`, ranked, with a `search_snippet`.

    `text` is read as words of `language` (default: the reader's language), so on PostgreSQL
    "выборах" finds a Russian release that says "Выборы". It is read in its `search_spelling`:
    case, spacing and the punctuation around words never matter, in any script.
    """
    text = search_spelling(text)
    by_reference = _reference_match(queryset, text)
    if by_reference is not None:
        return by_reference
    terms = text.split()
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
    matching = Revision.objects.filter(search_document=query)
    # Releases with a matching revision, by primary key (release_id is indexed, unlike the
    # public revision, which published() computes), then only those whose public revision it is.
    newest = (
        queryset.filter(pk__in=matching.values("release_id"))
        .filter(public_revision_id__in=matching.values("pk"))
        .order_by("-public_date", "-pk")
        .values("pk")[:MAX_RANKED]
    )
    # order_by(): see myths.models._public_revision.
    this_revision = Revision.objects.filter(pk=OuterRef("public_revision_id")).order_by()
    return (
        queryset.filter(pk__in=newest)
        .annotate(
            search_rank=Subquery(
                this_revision.annotate(rank=SearchRank(F("search_document"), query)).values("rank")[
                    :1
                ]
            ),
            search_snippet=Subquery(
                this_revision.annotate(
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
                ).values("snippet")[:1]
            ),
        )
        .order_by("-search_rank", "-public_date", "-pk")
    )


def render_snippet(snippet: str) -> str:
    """Escape a headline and turn our markers into <mark> elements."""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags are added
