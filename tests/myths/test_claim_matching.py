"""Claim.objects.matching(): the one rule for "is this claim already known", and its users."""

import pytest

from myths import workflow
from myths.models import Claim, Revision, normalise_wording
from myths.revisions import revision_create
from tests.factories import ClaimFactory, ReleaseFactory, ResponseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_normalise_wording_folds_case_spaces_and_unicode_forms():
    assert normalise_wording("  The\u00a0harbour\n is  CLOSED ") == "the harbour is closed"
    assert normalise_wording("Cafe\u0301 ouvert") == normalise_wording("Café OUVERT")
    assert normalise_wording("Straße") == normalise_wording("STRASSE")
    assert normalise_wording("The harbour is closed") != normalise_wording("The harbour closed")


def test_matching_finds_the_same_wording_whatever_its_case_and_spacing():
    claim = ClaimFactory(wording="The  harbour is CLOSED")
    cyrillic = ClaimFactory(wording="НОВЫЕ АВТОБУСЫ ОПАСНЕЕ СТАРЫХ")
    ClaimFactory(wording="The harbour is closed on Sundays")
    assert list(Claim.objects.matching("the harbour is closed")) == [claim]
    assert list(Claim.objects.matching("Новые автобусы опаснее старых")) == [cyrillic]
    assert not Claim.objects.matching("The harbour").exists()


def test_matching_is_a_queryset_and_first_is_the_first_by_wording():
    later = ClaimFactory(wording="the harbour is closed")
    earlier = ClaimFactory(wording="The harbour is closed")
    matches = Claim.objects.matching("THE HARBOUR IS CLOSED")
    assert set(matches) == {earlier, later}
    assert matches.first() == Claim.objects.filter(pk__in=[earlier.pk, later.pk]).first()
    assert matches.filter(pk=later.pk).get() == later


def test_restore_reuses_a_claim_that_matches_a_vanished_one():
    # Revisions protect their claims from deletion, so only a snapshot whose claim id points
    # nowhere (an old or hand-made one) takes restore's fallback: the claim stating the same
    # thing, rather than a near-duplicate (it used exact equality before).
    release = ReleaseFactory()
    ResponseFactory(release=release, claim=ClaimFactory(wording="The harbour is closed"))
    revision = revision_create(release=release, author=None)
    content = revision.content
    content["responses"][0]["claim_id"] = 0
    content["responses"][0]["claim_wording"] = "The harbour is CLOSED"
    Revision.objects.filter(pk=revision.pk).update(content=content)
    revision.refresh_from_db()

    workflow.release_restore(
        release=release, revision=revision, actor=UserFactory(is_superuser=True)
    )

    assert [r.claim.wording for r in release.responses.all()] == ["The harbour is closed"]
    assert Claim.objects.count() == 1
