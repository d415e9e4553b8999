"""Reads for the public site, all built on Release.objects.published().

Lists show what the *published revision* says (its title, lede, language and answers), never the
working copy, so an edited published release keeps showing its published text everywhere until the
workflow publishes the edit.
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from .models import Release, Revision, RevisionAnswer, RevisionMedia


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


def _answered_on():
    return Coalesce("revision__release__first_published_at", "revision__release__publish_at")


def public_claims():
    """The myth register: for each claim with a published response, its latest published answer.

    The rows are RevisionAnswers, so wording, slug, topics and verdict are what the latest
    published revision recorded; an edit of the Claim row shows nowhere until it is published.
    Each row is annotated with `answered_on` (its release's public date) and `release_count`
    (how many published releases answer the claim). One query for any number of rows.
    """
    latest = (
        public_answers()
        .filter(claim_id=OuterRef("claim_id"))
        .annotate(answered_on=_answered_on())
        .order_by("-answered_on", "-revision_id")
    )
    return (
        public_answers()
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .annotate(
            answered_on=_answered_on(),
            release_count=Subquery(
                public_answers()
                .filter(claim_id=OuterRef("claim_id"))
                .order_by()
                .values("claim_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
    )


def public_claim_former_slug(slug: str):
    """The register row of a claim that was public at `slug` before a rename, or None.

    Old releases and outside links keep pointing at a claim's earlier address; they are sent on
    to its current one. Only a slug recorded by a published release's public revision or an
    earlier one counts: a slug that only a later, unpublished revision recorded is not revealed.
    """
    recorded = list(
        RevisionAnswer.objects.filter(slug=slug)
        .order_by()
        .values_list("claim_id", "revision__release_id", "revision__number")
    )
    if not recorded:
        return None
    public_numbers = dict(
        Release.objects.published()
        .filter(pk__in={release_id for _claim, release_id, _number in recorded})
        .annotate(public_number=Subquery(_public_revision().values("number")[:1]))
        .values_list("pk", "public_number")
    )
    claim_ids = {
        claim_id
        for claim_id, release_id, number in recorded
        if release_id in public_numbers and number <= public_numbers[release_id]
    }
    if not claim_ids:
        return None
    return public_claims().filter(claim_id__in=claim_ids).order_by("-answered_on").first()


def public_topic_choices(answers=None) -> list[tuple[str, str]]:
    """(slug, name) of the topics published answers recorded, by name: one query.

    A topic added to a claim, or renamed, after publication is not offered until published.
    """
    answers = public_answers() if answers is None else answers
    topics = {}
    for recorded in answers.order_by("-revision_id").values_list("topics", flat=True):
        for slug, name in recorded or []:
            topics.setdefault(slug, name)
    return sorted(topics.items(), key=lambda item: (item[1].casefold(), item[0]))


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


def media_is_public(name: str) -> bool:
    """Whether a revision the public can see now shows the media file `name`. One query."""
    return RevisionMedia.objects.filter(name=name, revision_id__in=public_revision_ids()).exists()
