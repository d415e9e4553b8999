"""The myth register, precomputed: RegisterEntry and RegisterSummary rows.

For each claim, its latest published answer (an original's before a translation's, then the
latest public date, then the latest revision) is worked out here once, when what is public
changes, rather than on every read. What is public also changes by itself (a scheduled revision
falls due, a release expires, with no cron job): so each row carries the time it is valid in,
[visible_from, visible_until), and a claim gets one row for each stretch of time between such
moments. Readers filter `visible_from <= now < visible_until` (RegisterEntryQuerySet.current).

Written only by myths/workflow.py (`register_refresh`, in the transaction of every change to what
is public, after the public generation bump, which serialises such transactions) and by
`manage.py refresh_public_register` and the data migration (`register_rebuild`). Every function
takes an `apps` registry so the data migration runs this same code on its historical models.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.apps import apps as global_apps
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import ALWAYS, NEVER, topic_slugs_text

WITHDRAWN = "withdrawn"  # Release.Status.WITHDRAWN, spelled out for the historical models
CHUNK = 1000


@dataclass(frozen=True)
class _Window:
    """A revision shown by a release from `start` until `end`."""

    release_id: int
    revision_id: int
    public_date: datetime | None
    start: datetime
    end: datetime


def _windows(release: dict, now: datetime) -> list[_Window]:
    """When each revision of `release` is public, as Release.objects.published() decides it:
    the scheduled revision from its publish time, the live one before that, neither from the
    expiry time on, nothing once withdrawn. Times already past are read as ALWAYS."""
    if release["status"] == WITHDRAWN:
        return []
    end = release["expire_at"] or NEVER
    public_date = release["first_published_at"] or release["publish_at"]
    shown = []
    due = release["publish_at"] if release["scheduled_revision_id"] else None
    if release["live_revision_id"]:
        shown.append((release["live_revision_id"], ALWAYS, min(due, end) if due else end))
    if due:
        shown.append((release["scheduled_revision_id"], due, end))
    windows = []
    for revision_id, start, stop in shown:
        start = ALWAYS if start <= now else start
        if stop > now and start < stop:
            windows.append(_Window(release["pk"], revision_id, public_date, start, stop))
    return windows


def _newest_key(answer: dict, window: _Window):
    """Sort key of the register's choice, largest first: an original before a translation,
    then the latest public date, then the latest revision."""
    date = window.public_date or ALWAYS
    return (not answer["translation_of"], date, answer["revision_id"])


def register_refresh(*, claim_ids, now: datetime | None = None, apps=global_apps) -> None:
    """Rewrite the register rows of `claim_ids` from what is public from `now` on, and the
    summary. Call it in the transaction of the change, after the public generation bump."""
    now = now or timezone.now()
    claim_ids = sorted(set(claim_ids))
    for start in range(0, len(claim_ids), CHUNK):
        _refresh_claims(claim_ids[start : start + CHUNK], now, apps)
    register_summary_refresh(now=now, apps=apps)


def register_refresh_release(*, release_id: int, now: datetime | None = None, apps=global_apps):
    """Rewrite the register rows of every claim any revision of the release ever answered (a
    superset of those whose row may change) and the summary."""
    RevisionAnswer = apps.get_model("myths", "RevisionAnswer")
    claim_ids = (
        RevisionAnswer.objects.filter(revision__release_id=release_id)
        .order_by()
        .values_list("claim_id", flat=True)
        .distinct()
    )
    register_refresh(claim_ids=list(claim_ids), now=now, apps=apps)


def register_rebuild(*, now: datetime | None = None, apps=global_apps) -> int:
    """Rebuild the whole register from the releases; returns the number of rows written."""
    RegisterEntry = apps.get_model("myths", "RegisterEntry")
    RevisionAnswer = apps.get_model("myths", "RevisionAnswer")
    RegisterEntry.objects.all().delete()
    claim_ids = RevisionAnswer.objects.order_by().values_list("claim_id", flat=True).distinct()
    register_refresh(claim_ids=list(claim_ids), now=now, apps=apps)
    return RegisterEntry.objects.count()


def _refresh_claims(claim_ids: list[int], now: datetime, apps) -> None:
    Release = apps.get_model("myths", "Release")
    Revision = apps.get_model("myths", "Revision")
    RevisionAnswer = apps.get_model("myths", "RevisionAnswer")
    RegisterEntry = apps.get_model("myths", "RegisterEntry")

    answers = list(
        RevisionAnswer.objects.filter(claim_id__in=claim_ids)
        .order_by()
        .values("pk", "claim_id", "revision_id", "revision__release_id")
    )
    releases = Release.objects.filter(pk__in={a["revision__release_id"] for a in answers}).values(
        "pk",
        "status",
        "live_revision_id",
        "scheduled_revision_id",
        "publish_at",
        "expire_at",
        "first_published_at",
    )
    windows = defaultdict(list)  # revision id → when it is public
    for release in releases:
        for window in _windows(release, now):
            windows[window.revision_id].append(window)
    shown = [a for a in answers if a["revision_id"] in windows]
    records = {
        row["pk"]: row
        for row in Revision.objects.filter(pk__in={a["revision_id"] for a in shown})
        .order_by()
        .values("pk", "content__language", "content__translation_of_id")
    }
    details = {
        row["pk"]: row
        for row in RevisionAnswer.objects.filter(pk__in=[a["pk"] for a in shown]).values(
            "pk", "verdict", "wording", "slug", "topics"
        )
    }
    by_claim = defaultdict(list)
    for answer in shown:
        record = records[answer["revision_id"]]
        answer["translation_of"] = record["content__translation_of_id"]
        answer["language"] = record["content__language"] or ""
        for window in windows[answer["revision_id"]]:
            by_claim[answer["claim_id"]].append((answer, window))

    rows = []
    for claim_id, candidates in by_claim.items():
        moments = sorted({w.start for _a, w in candidates} | {w.end for _a, w in candidates})
        for start, end in pairwise(moments):
            public = [(a, w) for a, w in candidates if w.start <= start and w.end >= end]
            if not public:
                continue
            answer, window = max(public, key=lambda pair: _newest_key(*pair))
            detail = details[answer["pk"]]
            dates = [w.public_date for _a, w in public if w.public_date]
            rows.append(
                RegisterEntry(
                    claim_id=claim_id,
                    answer_id=answer["pk"],
                    revision_id=answer["revision_id"],
                    verdict=detail["verdict"],
                    wording=detail["wording"],
                    slug=detail["slug"],
                    topics=detail["topics"] or [],
                    topic_slugs=topic_slugs_text(detail["topics"]),
                    language=answer["language"],
                    answered_on=window.public_date,
                    updated_on=max(dates) if dates else None,
                    release_count=len(public),
                    release_ids=sorted({w.release_id for _a, w in public}),
                    visible_from=start,
                    visible_until=end,
                )
            )
    RegisterEntry.objects.filter(claim_id__in=claim_ids).delete()
    RegisterEntry.objects.bulk_create(rows, batch_size=500)


def register_summary_refresh(*, now: datetime | None = None, apps=global_apps) -> None:
    """Rewrite the summaries: one for each stretch of time between the moments, from `now` on,
    where some register row starts or stops being valid."""
    RegisterEntry = apps.get_model("myths", "RegisterEntry")
    RegisterSummary = apps.get_model("myths", "RegisterSummary")
    now = now or timezone.now()
    entries = RegisterEntry.objects.all()
    later = set(entries.filter(visible_from__gt=now).values_list("visible_from", flat=True))
    later |= set(
        entries.filter(visible_until__gt=now, visible_until__lt=NEVER).values_list(
            "visible_until", flat=True
        )
    )
    moments = [ALWAYS, *sorted(later), NEVER]
    summaries = []
    for start, end in pairwise(moments):
        moment = max(start, now)
        valid = entries.filter(visible_from__lte=moment, visible_until__gt=moment)
        figures = valid.aggregate(
            claims=Count("pk"), last_claim=Max("claim_id"), updated=Max("updated_on")
        )
        summaries.append(
            RegisterSummary(
                visible_from=start,
                visible_until=end,
                claim_count=figures["claims"],
                topics=_topic_choices(valid),
                last_claim_id=figures["last_claim"] or 0,
                updated_on=figures["updated"],
            )
        )
    RegisterSummary.objects.all().delete()
    RegisterSummary.objects.bulk_create(summaries)


def _topic_choices(entries) -> list[list[str]]:
    """[slug, name] of the topics these rows recorded, by name; a slug recorded under several
    names takes the name of its latest revision."""
    names = {}
    recorded = (
        entries.filter(~Q(topic_slugs=""))
        .values("topics")
        .annotate(latest=Max("revision_id"))
        .order_by("latest")
    )
    for row in recorded:
        for slug, name in row["topics"] or []:
            names[slug] = name
    return sorted(([s, n] for s, n in names.items()), key=lambda t: (t[1].casefold(), t[0]))
