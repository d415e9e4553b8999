"""The public list filters. Their state lives in the URL (GET), so every filtered view has a link.

Bad input never reaches the database: an unknown choice, a bad date or an over-long query makes
the form invalid, and an invalid form filters to nothing (see `qs`) while the page shows why.
"""

import copy
from datetime import datetime

import django_filters
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.prepared import prepared
from core.text_case import UnicodeLower, unicode_lower

from ..models import (
    PublicCounts,
    PublicRelease,
    PublicReleaseCount,
    RegisterEntry,
    Response,
    RevisionAnswer,
)
from .search import search_releases

MAX_QUERY_LENGTH = 200


@prepared
def public_count_rows(now: datetime):
    """The public counts at `now` (PublicReleaseCountQuerySet.snapshot_rows), compiled once per
    process (core/prepared.py): read on every cold list, filter and search page."""
    return PublicReleaseCount.objects.snapshot_rows(now)


def public_counts() -> PublicCounts:
    """How many releases the public sees now, by topic and language (one query)."""
    return PublicCounts(public_count_rows(now=timezone.now()))


def release_topic_choices():
    """Topics recorded by published revisions: a draft's new topic is not offered. Read from the
    public counts (one query); ReleaseFilter reads them once per request through `counts`."""
    return public_counts().topic_choices()


def topic_condition(slug: str) -> dict:
    """A lookup on RevisionAnswer.topic_slugs matching the topic `slug` exactly."""
    return {"topic_slugs__contains": f"|{slug}|"}


def only_indexed_filters(filterset) -> dict | None:
    """The FilterSet's cleaned values when every filter set is one of its INDEXED ones (what the
    precomputed counts can answer), else None; also None for an invalid form."""
    if filterset.is_bound and not filterset.form.is_valid():
        return None
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    if any(value for name, value in data.items() if name not in filterset.INDEXED):
        return None
    return data


class DateInput(forms.DateInput):
    input_type = "date"


class PublicFilterSet(django_filters.FilterSet):
    """An invalid form filters to nothing instead of silently ignoring the bad field.

    A list builds one for every request. django-filter would also make a form class for each,
    from new fields of each filter; ours is made once per FilterSet class (`get_form_class`),
    as the fields differ from one request to the next only in the choices `form_choices()`
    gives, which are set on each form's own fields (a form copies its class's fields).
    """

    def form_choices(self) -> dict:
        """The choices of this request's form, by field name (e.g. the topics published now)."""
        return {}

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            # From copies: the declared filters keep no field of their own.
            fields = {
                name: copy.deepcopy(declared).field for name, declared in cls.base_filters.items()
            }
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._form_class = form_class
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, choices in self.form_choices().items():
                form.fields[name].choices = choices
        return self._form

    @property
    def qs(self):
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs


class ReleaseFilter(PublicFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words or a phrase")}),
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"),
        choices=release_topic_choices,
        method="filter_topic",
        empty_label=_("All topics"),
    )
    verdict = django_filters.ChoiceFilter(
        label=_("Verdict"),
        choices=Response.Verdict.choices,
        method="filter_verdict",
        empty_label=_("Any verdict"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=settings.LANGUAGES,
        field_name="public_language",
        empty_label=_("Any language"),
    )
    date_from = django_filters.DateFilter(
        label=_("Published from"),
        field_name="public_date",
        lookup_expr="date__gte",
        widget=DateInput,
    )
    date_to = django_filters.DateFilter(
        label=_("Published until"),
        field_name="public_date",
        lookup_expr="date__lte",
        widget=DateInput,
    )

    class Meta:
        fields = []

    # The filters the public counts can answer for: with only these, the list is not counted.
    INDEXED = frozenset({"topic", "language"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.clean = self._clean_dates

    def form_choices(self) -> dict:
        # Offered and validated from one snapshot of the counts, read once per request (and only
        # when the topics are listed or checked).
        return {"topic": lambda: self.counts.topic_choices()}

    @cached_property
    def counts(self) -> PublicCounts:
        return public_counts()

    def indexed_filters(self) -> dict | None:
        """The topic and language filtered on, when those are the only (valid) filters."""
        data = only_indexed_filters(self)
        if data is None:
            return None
        return {"topic": data.get("topic") or "", "language": data.get("language") or ""}

    def indexed_count(self) -> int | None:
        """How many releases match, from the public counts, when only topic and language are
        filtered on; None when the list must be counted."""
        filters = self.indexed_filters()
        return None if filters is None else self.counts.count(**filters)

    def indexed_entries(self):
        """The visible entries of the public index that match, when only topic and language are
        filtered on (what deep pages walk to find where they start); None otherwise."""
        filters = self.indexed_filters()
        if filters is None:
            return None
        entries = PublicRelease.objects.visible()
        if filters["language"]:
            entries = entries.filter(language=filters["language"])
        if filters["topic"]:
            entries = entries.filter(topic_slugs__contains=f"|{filters['topic']}|")
        return entries

    def _clean_dates(self):
        data = self.form.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The start date is after the end date."), code="date_range"
            )
        return data

    def filter_queryset(self, queryset):
        """The releases every other filter keeps, then searched (`search_releases`): a QuerySet,
        or for a search its SearchResults. The search comes last so that it bounds and ranks
        what the other filters left: a language, a topic or dates narrow a common word's
        newest MAX_RANKED matches instead of being applied to them."""
        queryset = super().filter_queryset(queryset)
        text = self.form.cleaned_data.get("q") or ""
        if not text.strip():
            return queryset
        # The query is read in the language filtered on, if any (else the reader's language).
        language = self.form.cleaned_data.get("language") or None
        return search_releases(queryset, text, language=language)

    def filter_search(self, queryset, name, value):
        # Searched last, by filter_queryset.
        return queryset

    def filter_topic(self, queryset, name, value):
        # The topics the public index copied from the revision's answers.
        return queryset.filter(public_topics__contains=f"|{value}|")

    def filter_verdict(self, queryset, name, value):
        answers = RevisionAnswer.objects.filter(verdict=value).values("revision_id")
        return queryset.filter(public_revision_id__in=answers)


class ClaimFilter(PublicFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("A word from the myth")}),
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"),
        method="filter_topic",
        empty_label=_("All topics"),
    )
    verdict = django_filters.ChoiceFilter(
        label=_("Latest verdict"),
        choices=Response.Verdict.choices,
        field_name="verdict",
        empty_label=_("Any verdict"),
    )

    class Meta:
        fields = []

    # The filters the register's summary can count for: with only these, the list is not counted.
    INDEXED = frozenset({"topic"})

    def __init__(self, *args, summary=None, **kwargs):
        """`summary`: the register's precomputed summary valid now (RegisterSummary, None when
        nothing was ever published), so offering the topics and counting reads no row."""
        self.summary = summary
        super().__init__(*args, **kwargs)

    def form_choices(self) -> dict:
        return {"topic": self.summary.topic_choices if self.summary else []}

    def indexed_topic(self) -> str | None:
        """The topic filtered on ("" for none) when it is the only (valid) filter, else None."""
        data = only_indexed_filters(self)
        return None if data is None else data.get("topic") or ""

    def indexed_count(self) -> int | None:
        """How many claims match, from the summary, when only the topic is filtered on; None
        when the list must be counted."""
        topic = self.indexed_topic()
        if topic is None:
            return None
        if self.summary is None:
            return 0
        return self.summary.topic_count(topic) if topic else self.summary.claim_count

    def indexed_entries(self):
        """The current register rows that match, without annotations, when only the topic is
        filtered on (what deep pages walk to find where they start); None otherwise."""
        topic = self.indexed_topic()
        if topic is None:
            return None
        entries = RegisterEntry.objects.current()
        return entries.filter(**topic_condition(topic)) if topic else entries

    def filter_topic(self, queryset, name, value):
        return queryset.filter(**topic_condition(value))

    def filter_search(self, queryset, name, value):
        # icontains folds ASCII letters only on SQLite: lower both sides in any script.
        queryset = queryset.annotate(lowered_wording=UnicodeLower("wording"))
        for word in value.split()[:12]:
            queryset = queryset.filter(lowered_wording__contains=unicode_lower(word))
        return queryset
