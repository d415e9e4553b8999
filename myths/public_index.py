"""The public index (PublicRelease) and its counts (PublicReleaseCount): written here only.

The workflow calls `public_index_refresh` in the transaction of every change of what the public
sees (workflow._public_changed); `manage.py refresh_public_index` and the data migration that
creates the table call `public_index_rebuild`. Both derive the entries with the same rule, from
the release's pointers and times and its revisions, so a rebuild after any refresh is a no-op.
"""

import zoneinfo
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, time

from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.fields.json import KT

from .models import topic_slugs_text

# Literal, not Release.Status: the data migration runs this with historical models.
WITHDRAWN = "withdrawn"
RELEASE_FIELDS = (
    "pk",
    "status",
    "live_revision_id",
    "scheduled_revision_id",
    "publish_at",
    "expire_at",
    "first_published_at",
    "issued_at",
    "issued_on",
)
BATCH = 2000


def visibility_windows(release: dict) -> list[tuple[int, object, object]]:
    """(revision id, visible from, visible until) of each revision of `release` (a dict of
    RELEASE_FIELDS) that is or will be public; None is an open bound.

    The rule published() always had: the scheduled revision once `publish_at` has come, else the
    live one; nothing once withdrawn or past `expire_at`.
    """
    if release["status"] == WITHDRAWN:
        return []
    live, scheduled = release["live_revision_id"], release["scheduled_revision_id"]
    publish_at, expire_at = release["publish_at"], release["expire_at"]
    due_at = publish_at if scheduled else None
    windows = []
    if live:
        ends = [moment for moment in (due_at, expire_at) if moment is not None]
        windows.append((live, None, min(ends) if ends else None))
    if scheduled and publish_at:
        windows.append((scheduled, publish_at, expire_at))
    return [
        (revision, start, end)
        for revision, start, end in windows
        if start is None or end is None or start < end
    ]


def _revision_rows(apps, revision_ids: Iterable[int]) -> dict[int, dict]:
    """What an entry copies from each revision: title, lede, language, translation link, and
    its answers' count and topics ([slug, name] pairs in their order)."""
    Revision = apps.get_model("myths", "Revision")
    RevisionAnswer = apps.get_model("myths", "RevisionAnswer")
    rows = {
        row["pk"]: {**row, "topics": {}, "myth_count": 0}
        for row in Revision.objects.filter(pk__in=revision_ids)
        .order_by()
        .values(
            "pk",
            "title",
            "lede",
            language=KT("content__language"),
            translation_of=KT("content__translation_of_id"),
        )
    }
    answers = (
        RevisionAnswer.objects.filter(revision_id__in=rows)
        .order_by("revision_id", "position", "pk")
        .values_list("revision_id", "topics")
    )
    for revision_id, topics in answers:
        row = rows[revision_id]
        row["myth_count"] += 1
        for slug, name in topics or []:
            row["topics"].setdefault(slug, name)
    return rows


def public_moment(release: dict) -> object:
    """When `release` (a dict of RELEASE_FIELDS) is dated for the public: its moment of issue
    (a back-dated archive release's own); else, dated but not yet recorded as gone public (a
    scheduled release fallen due without cron), its date of issue at noon; else when it went or
    goes public."""
    if release["issued_at"] is not None:
        return release["issued_at"]
    if release["issued_on"] is not None:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        return datetime.combine(release["issued_on"], time(12), tzinfo=zone)
    return release["first_published_at"] or release["publish_at"]


def _entries(apps, releases: list[dict]) -> list:
    """Unsaved PublicRelease rows for `releases` (dicts of RELEASE_FIELDS)."""
    PublicRelease = apps.get_model("myths", "PublicRelease")
    windows = {release["pk"]: visibility_windows(release) for release in releases}
    revisions = _revision_rows(apps, {w[0] for ws in windows.values() for w in ws})
    entries = []
    for release in releases:
        public_date = public_moment(release)
        for revision_id, start, end in windows[release["pk"]]:
            revision = revisions[revision_id]
            original = int(revision["translation_of"]) if revision["translation_of"] else None
            entries.append(
                PublicRelease(
                    release_id=release["pk"],
                    revision_id=revision_id,
                    visible_from=start,
                    visible_until=end,
                    public_date=public_date,
                    title=revision["title"],
                    lede=revision["lede"],
                    language=revision["language"] or "",
                    translation_of_id=original,
                    language_root=original or release["pk"],
                    myth_count=revision["myth_count"],
                    topic_slugs=topic_slugs_text(revision["topics"].items()),
                )
            )
            # Carried for the counts' topic names; not a field.
            entries[-1].topic_names = revision["topics"]
    return entries


ENTRY_FIELDS = (
    "revision_id",
    "visible_from",
    "visible_until",
    "public_date",
    "title",
    "lede",
    "language",
    "translation_of_id",
    "language_root",
    "myth_count",
    "topic_slugs",
)


def _key(entry) -> tuple:
    return tuple(getattr(entry, name) for name in ENTRY_FIELDS)


def _buckets(entry) -> list[tuple[str, str]]:
    from .models import public_buckets

    return public_buckets(entry.topic_slugs, entry.language)


def public_index_refresh(*, release) -> bool:
    """Rewrite `release`'s entries of the public index, and the counts, from its row as the
    database holds it now. Returns whether anything changed.

    Call it inside the transaction that changed what the public sees of `release` (the workflow
    does, in _public_changed). A few queries, whatever the size of the archive; the counters are
    updated in a fixed order, so two publications at once cannot deadlock on them.
    """
    from .models import PublicRelease, Release

    row = Release.objects.filter(pk=release.pk).values(*RELEASE_FIELDS).first()
    new = _entries(django_apps, [row]) if row else []
    old = list(PublicRelease.objects.filter(release_id=release.pk).order_by("visible_from"))
    if sorted(map(_key, old), key=repr) == sorted(map(_key, new), key=repr):
        return False
    PublicRelease.objects.filter(release_id=release.pk).delete()
    PublicRelease.objects.bulk_create(new)
    deltas = Counter()
    for entry in old:
        deltas.subtract(_buckets(entry))
    for entry in new:
        deltas.update(_buckets(entry))
    names = {slug: name for entry in new for slug, name in entry.topic_names.items()}
    _counts_apply(deltas, names)
    return True


def _counts_apply(deltas: Counter, names: dict[str, str]) -> None:
    from .models import PublicReleaseCount

    PublicReleaseCount.objects.bulk_create(
        [
            PublicReleaseCount(topic_slug=topic, language=language, topic_name=names.get(topic, ""))
            for (topic, language), delta in sorted(deltas.items())
            if delta > 0
        ],
        ignore_conflicts=True,
    )
    for (topic, language), delta in sorted(deltas.items()):
        if delta:
            PublicReleaseCount.objects.filter(topic_slug=topic, language=language).update(
                count=F("count") + delta
            )
    for topic, name in sorted(names.items()):
        PublicReleaseCount.objects.filter(topic_slug=topic).exclude(topic_name=name).update(
            topic_name=name
        )


def public_index_rebuild(*, apps=None) -> int:
    """Empty the public index and its counts and write them again from every release; returns
    the number of entries. Idempotent; batches of BATCH releases keep memory flat."""
    apps = apps or django_apps
    Release = apps.get_model("myths", "Release")
    PublicRelease = apps.get_model("myths", "PublicRelease")
    PublicReleaseCount = apps.get_model("myths", "PublicReleaseCount")
    candidates = (
        Release.objects.exclude(status=WITHDRAWN)
        .filter(Q(live_revision__isnull=False) | Q(scheduled_revision__isnull=False))
        .order_by("pk")
        .values(*RELEASE_FIELDS)
    )
    counts, names, total, last = Counter(), {}, 0, 0
    with transaction.atomic():
        PublicRelease.objects.all().delete()
        PublicReleaseCount.objects.all().delete()
        while batch := list(candidates.filter(pk__gt=last)[:BATCH]):
            last = batch[-1]["pk"]
            entries = _entries(apps, batch)
            PublicRelease.objects.bulk_create(entries, batch_size=BATCH)
            total += len(entries)
            for entry in sorted(entries, key=lambda e: e.revision_id):
                counts.update(_buckets(entry))
                names.update(entry.topic_names)  # the newest revision's name wins
        PublicReleaseCount.objects.bulk_create(
            [
                PublicReleaseCount(
                    topic_slug=topic,
                    language=language,
                    topic_name=names.get(topic, ""),
                    count=count,
                )
                for (topic, language), count in sorted(counts.items())
            ],
            batch_size=BATCH,
        )
    return total
