"""Full-text search over published revisions, in each release's own language.

On PostgreSQL: each revision stores its weighted vector (title A, lede B, body text C) in
`Revision.search_document`, computed by the database whenever the row is written with the
text-search configuration of the revision's language (`Revision.search_config`: russian, french,
…, simple for Ukrainian and any language PostgreSQL does not stem), under a GIN index (migration
0019_search_document_index), and kept in the revision's row rather than in TOAST (migration
0024_search_document_inline). Matches are found and ranked from the stored vector, never by
parsing a match's text again; only the page shown gets highlighted snippets (ts_headline, which
parses each of their texts: for a common word, close to half of its time in PostgreSQL).
At most MAX_RANKED matches are ranked, the newest ones, so a query matching most of a long
archive (a very common word) costs a bounded amount of work; the reader narrows it with more
words, a language, a topic or dates, which apply before the bound (ReleaseFilter.filter_queryset).
The query is parsed in the configuration of the language asked for (the list's language filter,
else the reader's).
Elsewhere (SQLite in development): every word must appear in the text, lowered in Python
(core.text_case), since SQLite's own LIKE folds ASCII letters only; matches come newest first.

What a search finds is read in two queries (SearchResults): the ids and ranks of the matches,
then the rows of the page shown. PostgreSQL picks how to find the matches from what it knows of
each word: a rare word through the GIN index, a common one by walking the public index's date
index from the newest entry and stopping at the MAX_RANKED-th match, so neither grows with the
archive (tests/myths/test_search_plans.py).

A query is searched in one spelling (`search_spelling`: its words, lower-cased, one space
apart), so every spelling of it finds the same releases and the release list can keep one cached
page for all of them.
"""

from collections.abc import Iterator

from django.db import connection
from django.db.models import F, FloatField, Q, Value
from django.db.models.sql.constants import MULTI
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.text_case import UnicodeLower, unicode_lower

from ..models import Revision, search_config

# Control characters mark the highlighted words, so the snippet can be HTML-escaped first and
# only our own <mark> tags are ever rendered as HTML.
MARK_START, MARK_STOP = "\x02", "\x03"
MAX_WORDS = 12
# How many matches are found and ranked at most (the newest): bounds the work of a common word,
# and the count the list shows.
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


class SearchResults:
    """The releases a search found, in their order, read as Django's Paginator reads a list.

    `searches` are tried in turn, the first to find anything giving the answer: pairs of a hits
    query (a values_list of "pk" and "search_rank", newest first, at most MAX_RANKED) and the
    annotations its rows show (the snippet). The hits are read once, in full: they give the
    count (`count()`) and the order, by rank, then newest first (the query's own order breaks
    ties). A slice reads only its own rows, by primary key, from `queryset` (so published() still
    decides): a page costs one more query, whatever the number of matches. Each row gets its
    `search_rank` (None where nothing is ranked).
    """

    def __init__(self, queryset, searches=()):
        self.queryset = queryset
        self.searches = list(searches)

    @cached_property
    def _answer(self) -> tuple[list, dict]:
        """The hits of the first search that finds anything, ordered, and its annotations."""
        for hits, annotations in self.searches:
            found = _hit_rows(hits)
            if found:
                # Stable: equal ranks (or none, on SQLite) keep the query's order, newest first.
                return sorted(found, key=lambda hit: -(hit[1] or 0)), annotations
        return [], {}

    @property
    def hits(self) -> list[tuple[int, float | None]]:
        """(pk, rank) of each match, in the order shown: by rank, then newest first."""
        return self._answer[0]

    def count(self) -> int:
        return len(self.hits)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.rows(self.hits[index])
        return self.rows([self.hits[index]])[0]

    def __iter__(self) -> Iterator:
        return iter(self.rows(self.hits))

    def rows(self, hits) -> list:
        """The releases of `hits`, in their order, each with its `search_rank`. One query."""
        if not hits:
            return []
        annotations = self._answer[1]
        found = self.queryset.filter(pk__in=[pk for pk, _rank in hits]).annotate(**annotations)
        by_pk = {release.pk: release for release in found.order_by()}
        rows = []
        for pk, rank in hits:
            release = by_pk.get(pk)
            if release is not None:  # no longer public since the hits were read
                release.search_rank = rank
                rows.append(release)
        return rows


def _hit_rows(hits) -> list[tuple]:
    """The (pk, rank) rows of a hits query as the cursor returns them: neither column needs a
    converter, and up to MAX_RANKED rows through Django's iteration cost about as much Python
    again as fetching them."""
    compiler = hits.query.get_compiler(using=hits.db)
    return [row for rows in compiler.execute_sql(MULTI) for row in rows]


def search_releases(queryset, text: str, *, language: str | None = None) -> SearchResults:
    """The releases of a Release.objects.published() queryset that match `text`, ranked, each
    with a `search_snippet` on PostgreSQL: at most MAX_RANKED, the newest matches
    (SearchResults, which a Paginator pages in two queries).

    `text` is read as words of `language` (default: the reader's language), so on PostgreSQL
    "выборах" finds a Russian release that says "Выборы". It is read in its `search_spelling`:
    case, spacing and the punctuation around words never matter, in any script. A reference
    number (PR/2017/014) finds its release alone (`_reference_hits`).
    """
    text = search_spelling(text)
    terms = text.split()
    if not terms:
        return SearchResults(queryset)
    newest = queryset.order_by("-public_date", "-pk")
    reference = _reference_hits(newest, text)
    searches = [] if reference is None else [(reference, {})]
    if is_postgresql():
        searches.append(_postgres(newest, " ".join(terms), language))
    else:
        searches.append((_fallback(newest, terms), {}))
    return SearchResults(queryset, searches)


def _unranked(queryset):
    """(pk, None) of each row: hits of a search that does not rank."""
    return queryset.annotate(search_rank=Value(None, output_field=FloatField())).values_list(
        "pk", "search_rank"
    )


def _reference_hits(newest, text: str):
    """The hits of the release whose reference number is `text` (PR/2017/014, any case), or
    None when `text` cannot be a reference.

    Issue 13: a journalist quoting a reference finds its release. Looked up only for a single
    "word" with a digit, as a reference is; an exact match is the whole answer, else the words
    are searched as usual.
    """
    reference = text.strip()
    if len(reference.split()) != 1 or not any(c.isdigit() for c in reference):
        return None
    return _unranked(newest.filter(reference__iexact=reference))


def _fallback(newest, terms: list[str]):
    # search_text holds the title and the lede too (revisions.content_search_text).
    condition = Q()
    for term in terms:
        condition &= Q(lowered_text__contains=unicode_lower(term))
    matching = (
        Revision.objects.annotate(lowered_text=UnicodeLower("search_text"))
        .filter(condition)
        .values("pk")
    )
    return _unranked(newest.filter(public_revision_id__in=matching))[:MAX_RANKED]


def _postgres(newest, text: str, language: str | None):
    """(hits, annotations) of the words `text` on PostgreSQL."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    config = search_config(language or translation.get_language())
    query = SearchQuery(text, search_type="websearch", config=config)
    # The public revision, through the join published() filtered on (F() reuses it): its
    # stored vector is matched and ranked as the entry is read, so a walk of the date index
    # checks each entry's revision once, and the GIN index can lead for a rare word.
    revision = "public_entries__revision__"
    hits = (
        newest.annotate(search_match=F(f"{revision}search_document"))
        .filter(search_match=query)
        .annotate(search_rank=SearchRank(F("search_match"), query))
        .values_list("pk", "search_rank")[:MAX_RANKED]
    )
    snippet = SearchHeadline(
        F(f"{revision}search_text"),
        query,
        config=F(f"{revision}search_config"),
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    return hits, {"search_snippet": snippet}


def render_snippet(snippet: str) -> str:
    """Escape a headline and turn our markers into <mark> elements."""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags are added
