"""The myth register, precomputed: RegisterEntry and RegisterSummary rows.

For each claim, its latest published answer (an original's before a translation's, then the
latest public date, then the latest revision) is worked out here once, when what is public
changes, rather than on every read. What is public also changes by itself (a scheduled revision
falls due, a release expires, with no cron job): so each row carries the time it is valid in,
[visible_from, visible_until), and a claim gets one row for each stretch of time between such
moments. Readers filter `visible_from <= now < visible_until` (RegisterEntryQuerySet.current).
The summaries (RegisterSummary) are updated from the rows a change writes and deletes, so a
publication costs the same whatever the size of the register (`_summaries_update`).

Written only by myths/workflow.py (`register_refresh`, in the transaction of every change to what
is public, after the public generation bump, which serialises such transactions) and by
`manage.py refresh_public_register` and the data migration (`register_rebuild`). Every function
takes an `apps` registry so the data migration runs this same code on its historical models.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from django.apps import apps as global_apps
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
    change = _Change()
    for start in range(0, len(claim_ids), CHUNK):
        _refresh_claims(claim_ids[start : start + CHUNK], now, apps, change)
    _summaries_update(change, now, apps)


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
    """Rebuild the whole register and its summaries from the releases; returns the number of
    rows written."""
    RegisterEntry = apps.get_model("myths", "RegisterEntry")
    RevisionAnswer = apps.get_model("myths", "RevisionAnswer")
    RegisterEntry.objects.all().delete()
    apps.get_model("myths", "RegisterSummary").objects.all().delete()
    claim_ids = RevisionAnswer.objects.order_by().values_list("claim_id", flat=True).distinct()
    register_refresh(claim_ids=list(claim_ids), now=now, apps=apps)
    return RegisterEntry.objects.count()


def _refresh_claims(claim_ids: list[int], now: datetime, apps, change: _Change) -> None:
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
    replaced = RegisterEntry.objects.filter(claim_id__in=claim_ids)
    for row in replaced.values_list("visible_from", "visible_until", "topics", "revision_id"):
        change.count(*row, sign=-1)
    for row in rows:
        change.count(row.visible_from, row.visible_until, row.topics, row.revision_id, sign=1)
    replaced.delete()
    RegisterEntry.objects.bulk_create(rows, batch_size=500)


@dataclass
class _Change:
    """What a refresh did to the register, reduced to what the summaries hold. Rows are counted
    by the time they are valid in, [from, until), in all and under each topic (+1 written, -1
    deleted); for the names, the latest revision each topic was written under and the (topic,
    revision) pairs deleted, whose name may have gone with them."""

    claims: Counter = field(default_factory=Counter)  # (from, until) → rows
    topics: Counter = field(default_factory=Counter)  # (from, until, slug) → rows
    named: dict = field(default_factory=dict)  # (from, until, slug) → (revision id, name)
    unnamed: set = field(default_factory=set)  # (from, until, slug, revision id)

    def count(self, visible_from, visible_until, topics, revision_id, *, sign: int) -> None:
        self.claims[visible_from, visible_until] += sign
        for slug, name in topics or []:
            key = (visible_from, visible_until, slug)
            self.topics[key] += sign
            if sign > 0:
                self.named[key] = max(self.named.get(key, (0, "")), (revision_id, name))
            else:
                self.unnamed.add((*key, revision_id))

    def moments(self) -> set[datetime]:
        return {moment for span in self.claims for moment in span}


def _summaries_update(change: _Change, now: datetime, apps) -> None:
    """Rewrite the summaries, one for each stretch of time between the moments, from `now` on,
    where some register row starts or stops being valid, from the summaries before and `change`,
    called once the rows are written.

    Counts are the summary's before plus the rows written minus those deleted, valid at the
    stretch; the highest claim id and the latest change are the first valid row of an index
    walked backwards; a topic's name is read again only when the row that gave it went. A
    publication thus reads the rows of the claims it changed, never the whole register."""
    RegisterEntry = apps.get_model("myths", "RegisterEntry")
    RegisterSummary = apps.get_model("myths", "RegisterSummary")
    before = list(RegisterSummary.objects.filter(visible_until__gt=now).order_by("visible_from"))
    later = {m for s in before for m in (s.visible_from, s.visible_until)} | change.moments()
    moments = [ALWAYS, *sorted(m for m in later if now < m < NEVER), NEVER]
    summaries = []
    for start, end in pairwise(moments):
        moment = max(start, now)
        base = next((s for s in before if s.visible_from <= moment < s.visible_until), None)
        valid = RegisterEntry.objects.filter(visible_from__lte=moment, visible_until__gt=moment)
        claims = sum(n for (a, b), n in change.claims.items() if a <= moment < b)
        updated = valid.filter(updated_on__isnull=False).order_by("-updated_on")
        summary = RegisterSummary(
            visible_from=start,
            visible_until=end,
            claim_count=(base.claim_count if base else 0) + claims,
            topics=_topics_after(base.topics if base else [], change, moment, valid),
            last_claim_id=valid.order_by("-claim_id").values_list("claim_id", flat=True).first()
            or 0,
            updated_on=updated.values_list("updated_on", flat=True).first(),
        )
        if summaries and _figures(summaries[-1]) == _figures(summary):
            summaries[-1].visible_until = end  # a moment no row starts or stops at any more
        else:
            summaries.append(summary)
    RegisterSummary.objects.all().delete()
    RegisterSummary.objects.bulk_create(summaries)


def _figures(summary) -> tuple:
    return (summary.claim_count, summary.topics, summary.last_claim_id, summary.updated_on)


def _topics_after(topics: list, change: _Change, moment: datetime, valid) -> list[list]:
    """[slug, name, claims, revision id] of the topics valid rows have at `moment`, by name,
    from the summary's `topics` before and `change`. A slug recorded under several names takes
    the name of its latest revision."""
    known = {slug: [name, claims, revision] for slug, name, claims, revision in topics}
    for (start, end, slug), rows in change.topics.items():
        if start <= moment < end:
            known.setdefault(slug, ["", 0, 0])[1] += rows
    gone = {(slug, rev) for start, end, slug, rev in change.unnamed if start <= moment < end}
    for slug, topic in known.items():
        written = max(
            (named for (a, b, s), named in change.named.items() if s == slug and a <= moment < b),
            default=None,
        )
        if written and written[0] >= topic[2]:
            topic[2], topic[0] = written
        elif (slug, topic[2]) in gone and topic[1] > 0:
            # The latest row under this topic went: the name is that of the latest left.
            row = (
                valid.filter(topic_slugs__contains=f"|{slug}|")
                .order_by("-revision_id")
                .values_list("revision_id", "topics")
                .first()
            )
            topic[2], topic[0] = row[0], dict(row[1])[slug]
    offered = [[slug, *topic] for slug, topic in known.items() if topic[1] > 0]
    return sorted(offered, key=lambda t: (t[1].casefold(), t[0]))


def register_summaries_rebuild(*, now: datetime | None = None, apps=global_apps) -> None:
    """Rewrite the summaries from every register row (they are otherwise updated from the rows
    a change wrote and deleted): for data migrations that change what a summary holds."""
    RegisterEntry = apps.get_model("myths", "RegisterEntry")
    apps.get_model("myths", "RegisterSummary").objects.all().delete()
    change = _Change()
    rows = RegisterEntry.objects.values_list(
        "visible_from", "visible_until", "topics", "revision_id"
    )
    for row in rows.iterator(chunk_size=CHUNK):
        change.count(*row, sign=1)
    _summaries_update(change, now or timezone.now(), apps)
