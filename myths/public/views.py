"""Public pages. Every view reads through one of two doors (STYLE.md rules 3 and 8):
PublishedReleaseMixin (Release.objects.published()) or RegisterMixin (the myth register).

What a page shows comes from the published revision (myths.revisions.ReleaseContent, or the
public_* annotations of ReleaseQuerySet.with_public_text()), never the working copy. Each page runs
a fixed number of queries, whatever the number of releases, claims, figures or sources.
"""

import functools
from dataclasses import replace
from datetime import datetime

import django_filters
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from core import typography
from core.page_cache import (
    PAGE_TIMEOUT,
    PublicCacheMixin,
    cached_public_response,
    public_cache,
    skeleton_fill,
    skeleton_get,
    skeleton_put,
    store_allowed,
)
from core.prepared import PreparedQuery, prepared, run_among
from core.site import path_in_language, site_url

from ..context_processors import site
from ..models import (
    RegisterEntry,
    RegisterSummary,
    Release,
    ReleaseNotice,
    Revision,
    RevisionAnswer,
    page_pick,
)
from ..revisions import OfficeContent, ReleaseContent, revision_content
from .filters import MAX_QUERY_LENGTH, ClaimFilter, ReleaseFilter
from .fragments import REGISTER_ROW_FIELDS, RELEASE_CARD_FIELDS
from .pagination import BoundedPaginator
from .search import MAX_RANKED, search_spelling
from .structured_data import json_ld, release_graph

# A stored page of search results lives this long (and within its public generation): with the
# per-minute budget, this bounds how many the cache holds at once.
SEARCH_PAGE_TIMEOUT = 120
# Longer searches are answered, never stored.
SEARCH_STORED_CHARS = 64


def in_content_language(response, language: str | None):
    """Label the response with the language its content is written in (as `<html lang>` does).

    LocaleMiddleware only fills Content-Language when the view left it empty, with the reader's
    language; a release's words are in the release's, whatever the reader chose for the chrome.
    """
    response["Content-Language"] = language or settings.LANGUAGE_CODE
    return response


def slot_context(request, **parts) -> dict:
    """What the slots of a skeleton (core/page_cache.py) are filled with: `parts` and what every
    slot may print (the request, the reader's language, the site's address)."""
    return {
        "request": request,
        "READER_LANGUAGE": translation.get_language(),
        "SITE_URL": site_url(),
        "preview": None,
        **parts,
    }


def page_version(*parts) -> str:
    """A skeleton's key: `parts` (what the page shows, as the view knows it), the reader's
    language, and what the chrome around it shows (the site's name and address, the year)."""
    return repr(
        (
            *parts,
            translation.get_language(),
            settings.PRESSDESK_SITE_NAME,
            site_url(),
            timezone.localdate().year,
        )
    )


def page_from_skeleton(
    request, template_name: str, version: str, slots: dict, context, slot_versions=None
):
    """The page `version` names, filled from its skeleton; the skeleton is rendered first (with
    `context()`, which may cost queries the filled page does not) if no process or cache has it.
    `slot_versions`: what each slot shows, for those kept once rendered (skeleton_fill)."""
    skeleton = skeleton_get(version)
    if skeleton is None:
        skeleton = render_to_string(template_name, {**context(), "page_skeleton": True}, request)
        skeleton_put(version, skeleton)
    return HttpResponse(skeleton_fill(skeleton, slots, slot_versions))


def release_identity(release: Release, content: ReleaseContent) -> dict:
    """What the release page shows of who issued the release, where, when and under which number
    (issue 13): `office` (the letterhead and About text: the office the revision recorded, else,
    for a revision recorded before offices were, the release's office as it is, without a logo
    the revision does not show), `dateline` ("BRUSSELS, 12 March 2017", in the release's
    language and office's time zone), `issued_on`, `reference` and `valid_as_of`.

    `release` is read from the database (its office selected with it): the date of issue and the
    reference are publication facts the workflow gives, not content a revision records.
    """
    office = content.office
    if office is None and release.office is not None:
        office = replace(OfficeContent.from_office(release.office), logo="")
    issued_on = release.issued_date()
    place = content.place or (office.dateline_place.upper() if office else "")
    with translation.override(content.language or settings.LANGUAGE_CODE):
        dateline = typography.dateline(place, issued_on, content.language)
    return {
        "office": office,
        "dateline": dateline,
        "issued_on": issued_on,
        "reference": release.reference,
        "valid_as_of": content.valid_as_of,
    }


def public_releases(now: datetime | None = None):
    """The one door to releases for public views: only what published() returns (at `now`,
    default now), with what the published revisions say, newest first."""
    return Release.objects.published(now).with_public_text().newest_first()


class PublishedReleaseMixin:
    """The door (public_releases) for class-based views."""

    def get_queryset(self):
        return public_releases()


# The read of a cold release page, compiled once per process (core/prepared.py): built and
# compiled, it costs several times what PostgreSQL takes to answer it.


@prepared
def release_page_rows(slug: str, now: datetime):
    """The release at `slug`, its other language versions and its neighbours by public date
    (public_releases at `now`; ReleaseQuerySet.page_rows, page_pick tells them apart), each with
    its office (which decides how verdicts are presented, and dates the dateline) and the date of
    its latest public notice: a release never corrected (most of them) then needs no query for
    its notices."""
    return public_releases(now).page_rows(slug).with_public_notice(now).select_related("office")


def register_entries(now: datetime | None = None):
    """The one door to the myth register: each claim's latest published answer at `now` (default
    now), as precomputed by the workflow (RegisterEntry.objects.current(), see
    myths/register.py), with how each answer's office presents verdicts (no query per row)."""
    return RegisterEntry.objects.current(now).with_verdict_style()


class RegisterMixin:
    """The door (register_entries) for class-based views."""

    ordering = None

    def get_queryset(self):
        queryset = register_entries()
        return queryset.order_by(*self.ordering) if self.ordering else queryset


def releases_among(ids: list[int], now: datetime):
    """The public releases among `ids` at `now`, newest first (a claim page's list)."""
    return public_releases(now).filter(pk__in=ids)


@prepared
def register_entry_at(slug: str, now: datetime):
    """The register row at `slug` at `now` (the latest answered, should two claims share a
    slug), with its revision but not the revision's text, which only a skeleton's render
    reads. The claim page's first read, compiled once per process (core/prepared.py)."""
    return (
        register_entries(now)
        .filter(slug=slug)
        .select_related("revision")
        .defer("revision__content")
        .order_by("-answered_on", "claim_id")[:1]
    )


def release_cards(now: datetime | None = None):
    """Releases listed as cards (myths/public/fragments.py): the door's (public_releases), and
    of each release's own row only the columns a card shows; the rest is the published
    revision's (with_public_text)."""
    return public_releases(now).only(*RELEASE_CARD_FIELDS)


class ReleaseCardsMixin(PublishedReleaseMixin):
    """release_cards for class-based views."""

    def get_queryset(self):
        return release_cards()


class ListSkeletonMixin:
    """A list page filled from its skeleton (core/page_cache.py): the page's chrome (masthead,
    headings, footer) rendered once per version of what it shows, with `{% slot %}`s for what a
    query or a publication changes (the list, its count, filters and pages). The slots are
    filled with the view's context; their items come from myths/public/fragments.py.

    A skeleton is kept per template, reader's language, site context (name, address, sources
    promise), footer year and `skeleton_parts()`: whatever else of the context the chrome
    shows. `use_skeleton = False` renders the page in full (tests compare the two).
    """

    use_skeleton = True

    def skeleton_parts(self, context) -> tuple:
        return ()

    def render_to_response(self, context, **response_kwargs):
        if not self.use_skeleton:
            return super().render_to_response(context, **response_kwargs)
        request = self.request
        reader_language = translation.get_language()
        site_context = site(request)
        version = repr(
            (
                "list-page",
                self.template_name,
                reader_language,
                sorted(site_context.items()),
                timezone.localdate().year,
                *self.skeleton_parts(context),
            )
        )
        skeleton = skeleton_get(version)
        if skeleton is None:
            skeleton = render_to_string(
                self.template_name, {**context, "page_skeleton": True}, request
            )
            skeleton_put(version, skeleton)
        slots = {
            **context,
            **site_context,
            "request": request,
            "READER_LANGUAGE": reader_language,
        }
        return HttpResponse(skeleton_fill(skeleton, slots), **response_kwargs)


@functools.lru_cache(maxsize=2048)
def _canonical(view_class, query_string: str, encoding: str | None) -> tuple:
    """(the canonical query, read-only, and its text; or None, None) of a query string for a
    FilteredListMixin view: the same for every request that sends it, so a page served warm
    from the cache does not parse and spell its query again. Bounded: junk only evicts."""
    canonical = view_class.canonical_query(QueryDict(query_string, encoding=encoding))
    if canonical is None:
        return None, None
    canonical._mutable = False
    return canonical, canonical.urlencode()


class FilteredListMixin:
    """A django-filter FilterSet over the door's queryset, its state in the query string.

    The filters read the query in its one spelling (`canonical_query`), and the page shows it, so
    every spelling of a query renders the same page and is kept in the page cache under that one
    spelling (`cache_path`). Junk or out-of-range page numbers show the nearest real page
    (Paginator.get_page), never an error. Only canonical queries are stored
    (`query_is_canonical`).
    """

    filterset_class = None
    # The parameter holding a search, and the function giving its one spelling (None: the
    # search is read as typed, and never stored).
    search_param = "q"
    search_spelling = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.canonical, self.canonical_text = _canonical(
            type(self), request.META.get("QUERY_STRING", ""), request.encoding
        )
        self.query = request.GET if self.canonical is None else self.canonical

    @classmethod
    def canonical_query(cls, given: QueryDict) -> QueryDict | None:
        """The query `given` in its one spelling: empty values left out (a submitted form sends
        every field), the search in `search_spelling`, parameters sorted. None when a parameter
        is unknown or given twice, or the search is over-long: the query is then read as it came
        (an invalid form shows why) and never stored."""
        known = {*cls.filterset_class.base_filters, cls.page_kwarg}
        query = QueryDict(mutable=True)
        for key, values in sorted(given.lists()):
            if key not in known or len(values) != 1:
                return None
            value = values[0]
            if key == cls.search_param and cls.search_spelling is not None:
                if len(value) > MAX_QUERY_LENGTH:
                    return None
                value = cls.search_spelling(value)
            if value:
                query[key] = value
        return query

    def cache_path(self) -> str | None:
        """Where the page cache keeps this page: its path with the canonical query."""
        if self.canonical is None:
            return None
        query = self.canonical_text
        return f"{self.request.path}?{query}" if query else self.request.path

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.query or None, super().get_queryset(), **self.get_filterset_kwargs()
        )
        return self.filterset.qs

    def skeleton_parts(self, context) -> tuple:
        # The title and robots line say whether filters are active (ListSkeletonMixin).
        return (context["filters_active"],)

    def get_filterset_kwargs(self) -> dict:
        """More arguments for the FilterSet, e.g. choices the view read already."""
        return {}

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
            **self.get_paginator_kwargs(),
        )
        page = paginator.get_page(self.query.get(self.page_kwarg))
        self.page_number = page.number
        return paginator, page, page.object_list, page.has_other_pages()

    def get_paginator_kwargs(self) -> dict:
        return {}

    def query_is_canonical(self) -> bool:
        """Store only a finite set of queries, each under one spelling: choice filters with a
        valid value and a real page number other than 1 (`search_is_stored` may add a search).

        Dates (unbounded values), unknown or repeated parameters and searches by default are
        rendered fresh every time, so junk cannot fill the cache.
        """
        query = self.canonical
        if query is None or (query and not self.filterset.form.is_valid()):
            return False
        choices = {
            name
            for name, field in self.filterset.filters.items()
            if isinstance(field, django_filters.ChoiceFilter)
        }
        page = getattr(self, "page_number", None)
        for key, value in query.items():
            if key == self.page_kwarg:
                if page == 1 or value != str(page):
                    return False
            elif key not in choices and key != self.search_param:
                return False
        return self.search_param not in query or self.search_is_stored()

    def search_is_stored(self) -> bool:
        """Whether this page of search results may be stored: not by default."""
        return False

    def cache_timeout(self) -> int:
        return SEARCH_PAGE_TIMEOUT if self.search_param in self.query else PAGE_TIMEOUT

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["filters_active"] = any(
            value for key, value in self.query.items() if key != self.page_kwarg
        )
        query = self.query.copy()
        query.pop(self.page_kwarg, None)
        context["page_query"] = query.urlencode()
        # What the language switcher returns to: the page's own spelling, as every spelling of
        # the query shows one page.
        context["page_path"] = self.cache_path()
        return context


class HomeView(PublicCacheMixin, ListSkeletonMixin, ReleaseCardsMixin, ListView):
    template_name = "myths/home.html"
    context_object_name = "releases"

    def get_queryset(self):
        return home_cards(now=timezone.now())


@functools.cache
def end_cards(from_end: bool, limit: int) -> PreparedQuery:
    """The `limit` newest (or oldest) cards public at `now` (ReleaseListView.end_rows)."""
    return PreparedQuery(lambda now: _end(release_cards(now), from_end)[:limit], {"now": datetime})


@functools.cache
def end_cards_in(from_end: bool, limit: int) -> PreparedQuery:
    """The same in one language."""
    return PreparedQuery(
        lambda language, now: _end(release_cards(now).filter(public_language=language), from_end)[
            :limit
        ],
        {"language": str, "now": datetime},
    )


def _end(rows, from_end: bool):
    return rows.reverse() if from_end else rows


@prepared
def home_cards(now: datetime):
    """The seven latest releases public at `now`, as cards (ReleaseCardsMixin), compiled once
    per process (core/prepared.py)."""
    return release_cards(now)[:7]


class ReleaseListView(
    PublicCacheMixin, FilteredListMixin, ListSkeletonMixin, ReleaseCardsMixin, ListView
):
    """All published releases, newest first, filtered and paged.

    Unfiltered or filtered by topic and language, a page costs two queries whatever the size of
    the archive: the counts (PublicCounts, which also give the topic choices) and the page's rows,
    read from the date index from the nearer end (BoundedPaginator). A search adds two, whatever
    the number of matches: the ids and ranks of at most MAX_RANKED of them (the count), and the
    page's rows with their snippets (myths/public/search.py, SearchResults).
    """

    template_name = "myths/release_list.html"
    context_object_name = "releases"
    filterset_class = ReleaseFilter
    paginator_class = BoundedPaginator
    paginate_by = 12

    search_spelling = staticmethod(search_spelling)

    def get_paginator_kwargs(self) -> dict:
        return {
            "count": self.filterset.indexed_count(),
            "entries": self.filterset.indexed_entries,
            "end_rows": self.end_rows,
        }

    def end_rows(self, limit: int, *, from_end: bool) -> list | None:
        """The first `limit` cards of the list or of its reverse (the first or the last page)
        through a query compiled once per process, when the list is unfiltered or filtered by
        language alone (a topic is matched by a pattern, which a compiled query cannot take);
        None otherwise."""
        filters = self.filterset.indexed_filters()
        if filters is None or filters["topic"]:
            return None
        now = timezone.now()
        if filters["language"]:
            return end_cards_in(from_end, limit)(language=filters["language"], now=now)
        return end_cards(from_end, limit)(now=now)

    def search_is_stored(self) -> bool:
        """A search that found something, in at most SEARCH_STORED_CHARS, within the budget of
        searches stored per minute (settings.PRESSDESK_SEARCH_PAGES_PER_MINUTE): a burst of
        readers asking the same few words after a release is served from the cache, while
        different queries (typos, junk, a crawler) cannot fill it."""
        return (
            len(self.query[self.search_param]) <= SEARCH_STORED_CHARS
            and self.paginator_count > 0
            and store_allowed("search", settings.PRESSDESK_SEARCH_PAGES_PER_MINUTE)
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, *rest = super().paginate_queryset(queryset, page_size)
        self.paginator_count = paginator.count
        return paginator, *rest

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A search that reached the bound found at least that many: the reader is told that only
        # the newest are listed, rather than a count that looks exact.
        searched = self.query.get(self.search_param)
        context["search_limit"] = (
            MAX_RANKED if searched and self.paginator_count >= MAX_RANKED else None
        )
        return context


class ReleaseDetailView(PublishedReleaseMixin, DetailView):
    """One published release. A slug it had before (one its revisions recorded, e.g. changed
    before first publication) redirects (301) to the current one; any other slug is a 404.

    Served from the page cache when warm. Cold, it is filled from its skeleton (core/page_cache.py):
    the page rendered once per version of what it shows (`skeleton_version`), with slots for its
    language versions and its neighbours, which change with other releases' publications. So
    right after a publication, a release whose version did not change costs one query and no
    render: the release with its language versions and its neighbours by public date (the index
    walked from it both ways). Rendering a skeleton adds its revision's text and, for a release
    ever corrected, its notices: three queries at most, whatever the size of the archive.
    """

    template_name = "myths/release_detail.html"
    context_object_name = "release"

    def dispatch(self, request, *args, **kwargs):
        parent = super().dispatch
        return cached_public_response(request, lambda: parent(request, *args, **kwargs))

    def get_object(self, queryset=None):
        """The release at the slug, read with its other language versions and its neighbours in
        the same query (release_page_rows)."""
        self.now = timezone.now()
        rows = release_page_rows(slug=self.kwargs["slug"], now=self.now)
        release, versions, *self.neighbours = page_pick(self.kwargs["slug"], rows)
        if release is None:
            raise Http404
        self.translations = sorted(versions, key=lambda r: (r.public_language, r.pk))
        return release

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            renamed = Release.objects.published().renamed_from(self.kwargs["slug"])
            if renamed is None:
                raise
            # A renamed page's reader keeps the chrome language of the old address.
            return HttpResponsePermanentRedirect(
                path_in_language(renamed.get_absolute_url(), self.request.LANGUAGE_CODE)
            )
        release = self.object
        previous, following = self.neighbours
        slots = slot_context(
            request,
            translations=self.translations,
            previous_release=previous,
            next_release=following,
        )
        response = page_from_skeleton(
            request,
            self.template_name,
            skeleton_version(release),
            slots,
            lambda: self.get_context_data(object=release, **slots),
            slot_versions(self.translations, previous, following),
        )
        return in_content_language(response, release.public_language)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = self.object
        snapshot = Revision.objects.values_list("content", flat=True).get(
            pk=release.public_revision_id
        )
        content = ReleaseContent.from_snapshot(snapshot)
        # Corrections and clarifications published with this revision or before it, newest first.
        notices = []
        if release.public_modified:
            notices = list(
                ReleaseNotice.objects.shown_at(release.pk, release.public_revision_number)
            )
        identity = release_identity(release, content)
        context.update(
            content=content,
            **identity,
            public_date=release.public_date,
            notices=notices,
            json_ld=json_ld(
                release_graph(
                    content=content,
                    release=release,
                    public_date=release.public_date,
                    notices=notices,
                    dateline=identity["dateline"],
                )
            ),
        )
        return context


def slot_versions(translations, previous, following) -> dict:
    """What the release page's slots show (ReleaseDetailView), so that each is rendered once per
    version and then kept (skeleton_fill): the language versions' addresses, languages and
    titles, and the neighbours' addresses and titles."""
    shown = tuple((r.slug, r.public_language, r.public_title) for r in translations)
    neighbours = tuple(r and (r.slug, r.public_title) for r in (previous, following))
    return {
        "myths/includes/release_translations.html": shown,
        "myths/includes/release_alternates.html": shown,
        "myths/includes/release_prev_next.html": neighbours,
    }


def skeleton_version(release: Release) -> str:
    """What a release page shows apart from its slots, as a key (page_version): a new revision,
    notice, date of issue, reference or slug, or any change to the office's letterhead, About
    text, place, time zone or verdict style makes another skeleton (ReleaseDetailView).

    `release` comes from ReleaseDetailView.get_object (published, with its office and notice).
    """
    office = release.office
    office_part = (
        (
            office.pk,
            office.name,
            office.logo.name,
            office.about,
            office.dateline_place,
            office.time_zone,
            office.verdict_style,
        )
        if office
        else None
    )
    return page_version(
        "release",
        release.pk,
        release.public_revision_id,
        release.public_revision_number,
        release.public_modified,
        release.public_date,
        release.issued_date(),
        release.reference,
        release.slug,
        office_part,
    )


class ClaimListView(
    PublicCacheMixin, FilteredListMixin, ListSkeletonMixin, RegisterMixin, ListView
):
    """The myth register, filtered and paged.

    Unfiltered or filtered by topic, a page costs two queries whatever the size of the register:
    the summary (the count and the topics offered) and the page's rows, read from the order's
    covering index from the nearer end (BoundedPaginator), a deep page counting the rows it
    skips in that index alone.
    """

    template_name = "myths/claim_list.html"
    context_object_name = "claims"
    filterset_class = ClaimFilter
    paginator_class = BoundedPaginator
    paginate_by = 30
    ordering = ("wording", "claim_id")

    def get_queryset(self):
        summaries = register_summary_at(now=timezone.now())
        self.summary = summaries[0] if summaries else None
        # Of each row, only what its fragment shows (not, say, every answering release's id).
        return super().get_queryset().only(*REGISTER_ROW_FIELDS)

    def get_filterset_kwargs(self):
        return {"summary": self.summary}

    def get_paginator_kwargs(self) -> dict:
        return {
            "count": self.filterset.indexed_count(),
            "entries": self.filterset.indexed_entries,
            "end_rows": self.end_rows,
        }

    def end_rows(self, limit: int, *, from_end: bool) -> list | None:
        """The first or the last page of the unfiltered register through a query compiled once
        per process (BoundedPaginator); None when filtered."""
        if self.filterset.indexed_topic() != "":
            return None
        return register_end(from_end, limit)(now=timezone.now())


# The register page's reads, compiled once per process (core/prepared.py).


@prepared
def register_summary_at(now: datetime):
    """The register's summary valid at `now` (one row at most)."""
    return RegisterSummary.objects.valid_at(now)[:1]


@functools.cache
def register_end(from_end: bool, limit: int) -> PreparedQuery:
    """The first (or last) `limit` register rows at `now`, in the register's order."""

    def build(now):
        rows = register_entries(now).order_by(*ClaimListView.ordering)
        return _end(rows.only(*REGISTER_ROW_FIELDS), from_end)[:limit]

    return PreparedQuery(build, {"now": datetime})


class ClaimDetailView(PublicCacheMixin, RegisterMixin, DetailView):
    """One claim at the slug its latest published answer recorded.

    `claim` in the template is its RegisterEntry, not the Claim row. A slug the claim was
    published under before a rename redirects (301) to the current one; any other slug is a 404.

    Cold, the page is filled from its skeleton (page_from_skeleton), whose slot lists the
    releases answering the claim: two queries, whatever the archive (the entry, and the releases
    read by primary key). Rendering a skeleton adds the entry's revision text (the latest
    response is read from its snapshot).
    """

    template_name = "myths/claim_detail.html"
    context_object_name = "claim"

    def get_object(self, queryset=None):
        """The register row at the slug, or None (`get` then looks for a former slug)."""
        rows = register_entry_at(slug=self.kwargs["slug"], now=timezone.now())
        return rows[0] if rows else None

    def get(self, request, *args, **kwargs):
        self.object = claim = self.get_object()
        if claim is None:
            renamed = RevisionAnswer.objects.renamed_from(self.kwargs["slug"])
            if renamed is None:
                raise Http404(_("No published response answers this claim."))
            # A renamed page's reader keeps the chrome language of the old address.
            return HttpResponsePermanentRedirect(
                path_in_language(renamed.get_absolute_url(), self.request.LANGUAGE_CODE)
            )
        # published() still decides: a row cannot show a release that is no longer public.
        now = timezone.now()
        releases = run_among(releases_among, claim.release_ids, now=now)
        if releases is None:
            releases = list(releases_among(claim.release_ids, now))
        latest_release = next(
            (r for r in releases if r.public_revision_id == claim.revision_id),
            releases[0] if releases else None,
        )
        shown = None
        if latest_release:  # the response's "From <release>, <date>" line
            fields = ("pk", "slug", "public_title", "public_date")
            shown = [getattr(latest_release, field) for field in fields]
        version = page_version(
            "claim",
            claim.pk,
            claim.claim_id,
            claim.revision_id,
            claim.slug,
            claim.wording,
            claim.verdict,
            claim.verdict_style,
            claim.language,
            claim.topics,
            shown,
        )
        response = page_from_skeleton(
            request,
            self.template_name,
            version,
            slot_context(request, releases=releases),
            lambda: self.get_context_data(
                object=claim, releases=releases, latest_release=latest_release
            ),
            {"myths/includes/claim_releases.html": claim_slot_version(releases)},
        )
        return in_content_language(response, claim.language)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        latest_response = None
        if context["releases"]:
            content = revision_content(claim.revision)
            latest_response = next(
                (r for r in content.responses if r.claim_id == claim.claim_id), None
            )
        context.update(latest_response=latest_response)
        return context


def claim_slot_version(releases) -> tuple:
    """What the claim page's slot shows of the releases answering the claim (addresses,
    languages, titles and dates, the dates in the time zone they are written in), so that it is
    rendered once per version and then kept (skeleton_fill)."""
    shown = tuple((r.slug, r.public_language, r.public_title, r.public_date) for r in releases)
    return (timezone.get_current_timezone_name(), shown)


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"


robots_txt = public_cache(RobotsView.as_view())
