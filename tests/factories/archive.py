"""An archive of published releases written in bulk, for the PostgreSQL plan tests, whose
planner decisions need thousands of rows: the one place tests write `status` and a revision
pointer themselves (elsewhere myths.workflow does, through tests.factories.states), row for row
as the workflow leaves a release published once."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.management import call_command

from myths.models import Release, Revision, RevisionAnswer


def bulk_published(
    count: int,
    *,
    oldest: datetime,
    step: timedelta = timedelta(days=1),
    name: str = "Release",
    languages: tuple[str, ...] = ("en",),
    revision_fields: Callable[[int, Release], dict] | None = None,
    answers: Callable[[int, Revision], RevisionAnswer | None] | None = None,
) -> tuple[list[Release], list[Revision]]:
    """`count` releases published once (a live revision numbered 1, a first publication time),
    the n-th first published at `oldest + n * step`, titled "`name` n", in `languages` in turn;
    `revision_fields(n, release)` adds to the n-th revision (its search text, say), and
    `answers(n, revision)` gives the answer it records, if any (the index copies its topics). The
    public index is refreshed for every release (manage.py refresh_public_index); statistics are the
    caller's to take."""
    releases = Release.objects.bulk_create(
        Release(
            title=f"{name} {n}",
            slug=f"{name.lower()}-{n}",
            language=languages[n % len(languages)],
            status=Release.Status.PUBLISHED,
            first_published_at=oldest + n * step,
        )
        for n in range(count)
    )
    revisions = Revision.objects.bulk_create(
        Revision(
            release=release,
            number=1,
            status=Release.Status.PUBLISHED,
            content={"title": release.title, "language": release.language},
            title=release.title,
            slug=release.slug,
            **(revision_fields(n, release) if revision_fields else {}),
        )
        for n, release in enumerate(releases)
    )
    for release, revision in zip(releases, revisions, strict=True):
        release.live_revision = revision
    Release.objects.bulk_update(releases, ["live_revision"])
    if answers:
        made = (answers(n, revision) for n, revision in enumerate(revisions))
        RevisionAnswer.objects.bulk_create(answer for answer in made if answer is not None)
    call_command("refresh_public_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return releases, revisions
