from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from myths.models import Claim, Release, Response
from myths.revisions import ReleaseContent, revision_create
from tests.factories import (
    ClaimFactory,
    FigureFactory,
    ReleaseFactory,
    ResponseFactory,
    arrange_state,
    release_with_content,
)

# Database-sensitive (constraints and the published() subqueries): also run on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
Status = Release.Status


class TestSlugs:
    def test_slug_filled_from_title_and_kept_unique(self):
        first = ReleaseFactory(title="Myths about the bridge")
        second = ReleaseFactory(title="Myths about the bridge")
        assert first.slug == "myths-about-the-bridge"
        assert second.slug == "myths-about-the-bridge-2"

    def test_explicit_slug_is_kept(self):
        assert ReleaseFactory(slug="custom").slug == "custom"

    def test_claim_slug_from_cyrillic_wording_is_not_empty(self):
        claim = Claim.objects.create(wording="НАТО готовит нападение")
        assert claim.slug  # slugify drops Cyrillic; the fallback still gives a usable slug


class TestResponse:
    def test_body_rendered_to_sanitised_html_on_save(self):
        response = ResponseFactory(body="Safe **bold** <script>alert(1)</script>")
        assert "<strong>bold</strong>" in response.body_html
        assert "<script" not in response.body_html

    def test_one_response_per_claim_in_a_release(self):
        response = ResponseFactory()
        with pytest.raises(IntegrityError):
            ResponseFactory(release=response.release, claim=response.claim)

    def test_same_claim_answered_by_two_releases(self):
        claim = ClaimFactory()
        ResponseFactory(claim=claim)
        ResponseFactory(claim=claim)
        assert claim.responses.count() == 2

    def test_verdict_must_be_a_known_choice(self):
        response = ResponseFactory.build(verdict="pants-on-fire")
        with pytest.raises(ValidationError) as error:
            response.full_clean(exclude=["release", "claim"])
        assert "verdict" in error.value.message_dict


class TestPublishedQuerySet:
    """published() is the one gate of every public route: each state, and time on both sides."""

    @pytest.mark.parametrize(
        "status", [Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.WITHDRAWN]
    )
    def test_unpublished_states_are_never_public(self, status):
        release = arrange_state(release_with_content(), status)
        assert release not in Release.objects.published()

    def test_a_withdrawn_release_stays_hidden_even_with_a_live_revision_left(self):
        # A state the workflow cannot produce (withdrawing clears live_revision), arranged on
        # purpose: published() must check the status, not only the revision pointer.
        release = arrange_state(release_with_content(), Status.PUBLISHED)
        Release.objects.filter(pk=release.pk).update(status=Status.WITHDRAWN)
        assert release.live_revision_id is not None
        assert release not in Release.objects.published()

    def test_published_release_is_public(self):
        release = arrange_state(release_with_content(), Status.PUBLISHED)
        assert list(Release.objects.published()) == [release]

    def test_scheduled_release_waits_for_its_time(self, time_machine):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        release = arrange_state(
            release_with_content(), Status.SCHEDULED, publish_at=now + timedelta(hours=1)
        )
        assert release not in Release.objects.published()
        time_machine.move_to(now + timedelta(hours=1), tick=False)
        assert release in Release.objects.published()

    def test_scheduled_release_in_the_past_is_public(self):
        release = arrange_state(
            release_with_content(),
            Status.SCHEDULED,
            publish_at=timezone.now() - timedelta(minutes=1),
        )
        assert release in Release.objects.published()

    def test_expired_release_is_not_public(self, time_machine):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        release = arrange_state(
            release_with_content(), Status.PUBLISHED, expire_at=now + timedelta(days=1)
        )
        assert release in Release.objects.published()
        time_machine.move_to(now + timedelta(days=1), tick=False)
        assert release not in Release.objects.published()

    def test_public_revision_is_the_published_one_not_the_working_copy(self):
        release = arrange_state(release_with_content(), Status.PUBLISHED)
        Release.objects.filter(pk=release.pk).update(title="Edited after publication")
        public = Release.objects.published().get()
        assert public.title == "Edited after publication"
        assert public.public_revision_id == release.live_revision_id
        assert release.live_revision.title != "Edited after publication"

    def test_per_state_methods(self):
        draft = ReleaseFactory()
        review = arrange_state(release_with_content(), Status.IN_REVIEW)
        assert list(Release.objects.drafts()) == [draft]
        assert list(Release.objects.in_review()) == [review]
        assert not Release.objects.approved().exists()


class TestRevisions:
    def test_revision_snapshot_holds_the_whole_release(self):
        release = release_with_content(responses=2, figures=1, sources=2)
        revision = revision_create(release=release)
        content = ReleaseContent.from_snapshot(revision.content)
        assert [r.number for r in content.responses] == [1, 2]
        assert content.responses[0].anchor == "myth-1"
        assert len(content.responses[0].sources) == 2
        assert content.responses[0].figures[0].alt_text
        assert content.contact.email == release.contact.email
        assert list(revision.answers.values_list("position", flat=True)) == [1, 2]

    def test_numbers_increase(self):
        release = ReleaseFactory()
        assert [revision_create(release=release).number for _ in range(3)] == [1, 2, 3]

    def test_snapshot_does_not_follow_later_edits(self):
        figure = FigureFactory()
        revision = revision_create(release=figure.response.release)
        Response.objects.filter(pk=figure.response.pk).update(body_html="<p>changed</p>")
        assert (
            "changed" not in ReleaseContent.from_snapshot(revision.content).responses[0].body_html
        )
