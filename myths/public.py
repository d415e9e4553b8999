"""Reads for the public site, all built on Release.objects.published().

Lists show what the *published revision* says (its title, lede, language and answers), never the
working copy, so an edited published release keeps showing its published text everywhere until the
workflow publishes the edit.
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from .models import Claim, Release, Revision, RevisionAnswer


def _public_revision():
    # order_by(): Revision's default ordering joins myths_release, whose unaliased name would
    # then capture the outer query's release columns.
    return Revision.objects.filter(pk=OuterRef("public_revision_id")).order_by()


def published_releases():
    """Published releases annotated with their public title, lede, language and myth count.

    One query for any number of rows: everything comes from correlated subqueries on the
    published revision.
    """
    revision = _public_revision()
    return Release.objects.published().annotate(
        public_title=Subquery(revision.values("title")[:1]),
        public_lede=Subquery(revision.values("lede")[:1]),
        public_language=Subquery(revision.values(language=KT("content__language"))[:1]),
        myth_count=Subquery(
            RevisionAnswer.objects.filter(revision_id=OuterRef("public_revision_id"))
            .order_by()
            .values("revision_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
    )


def public_revision_ids():
    """A subquery of the revisions the public may see: one per published release."""
    return Release.objects.published().values("public_revision_id")


def public_answers():
    """RevisionAnswer rows of published revisions only: the myth register's raw material."""
    return RevisionAnswer.objects.filter(revision_id__in=public_revision_ids())


def public_claims():
    """Claims that have at least one published response, with their latest verdict and counts."""
    answers = public_answers().filter(claim_id=OuterRef("pk"))
    latest = answers.annotate(
        answered_on=Coalesce(
            "revision__release__first_published_at", "revision__release__publish_at"
        )
    ).order_by("-answered_on", "-revision_id")
    return (
        Claim.objects.filter(pk__in=public_answers().values("claim_id"))
        .annotate(
            latest_verdict=Subquery(latest.values("verdict")[:1]),
            latest_answered_on=Subquery(latest.values("answered_on")[:1]),
            release_count=Subquery(
                answers.order_by().values("claim_id").annotate(n=Count("pk")).values("n")[:1]
            ),
        )
        .prefetch_related("topics")
    )


def neighbours(release):
    """The published releases just before and after `release` (by public date), or None."""
    listing = published_releases().only("slug")
    date, pk = release.public_date, release.pk
    if date is None:
        return None, None
    previous = (
        listing.filter(Q(public_date__lt=date) | Q(public_date=date, pk__lt=pk))
        .order_by("-public_date", "-pk")
        .first()
    )
    following = (
        listing.filter(Q(public_date__gt=date) | Q(public_date=date, pk__gt=pk))
        .order_by("public_date", "pk")
        .first()
    )
    return previous, following


def translations(release):
    """Other published language versions of `release` (original and its translations)."""
    root = release.translation_of_id or release.pk
    return list(
        published_releases()
        .filter(Q(pk=root) | Q(translation_of_id=root))
        .exclude(pk=release.pk)
        .only("slug")
        .order_by("public_language", "pk")
    )
