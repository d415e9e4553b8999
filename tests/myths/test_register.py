"""The myth register precomputed (myths/register.py): rows rewritten by the workflow with every
change to what is public, valid over the time they hold (scheduled publication and expiry need no
cron), read by the register, the claim pages and the sitemap in a fixed number of queries."""

import importlib
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from myths import workflow
from myths.models import RegisterEntry, RegisterSummary, Release
from myths.register import register_rebuild
from myths.translations import release_translate
from tests.factories import (
    ClaimFactory,
    ResponseFactory,
    TopicFactory,
    UserFactory,
    arrange_state,
    published_release,
    release_with_content,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
Status = Release.Status


def register():
    return list(RegisterEntry.objects.current().order_by("wording", "claim_id"))


def answering(claim, *, title, days_ago=0, **kwargs):
    """A release with one response, to `claim`, published `days_ago`."""
    release = release_with_content(responses=0, title=title)
    ResponseFactory(release=release, claim=claim)
    publish_at = timezone.now() - timedelta(days=days_ago) if days_ago else None
    return arrange_state(release, Status.PUBLISHED, publish_at=publish_at, **kwargs)


@pytest.fixture
def claim():
    return ClaimFactory(wording="The harbour will be drained")


class TestRowsFollowTheWorkflow:
    def test_publication_writes_the_row_and_withdrawal_removes_it(self, claim, publisher):
        release = answering(claim, title="Harbour facts")
        (row,) = register()
        assert (row.claim_id, row.revision_id) == (claim.pk, release.live_revision_id)
        assert row.wording == "The harbour will be drained"
        assert row.release_ids == [release.pk] and row.release_count == 1
        assert RegisterSummary.objects.current().claim_count == 1
        workflow.release_withdraw(release=release, actor=publisher, comment="Wrong.")
        assert register() == []
        assert RegisterSummary.objects.current().claim_count == 0

    def test_the_latest_public_answer_wins_and_all_are_counted(self, claim):
        older = answering(claim, title="Old", days_ago=5)
        newer = answering(claim, title="New", days_ago=1)
        (row,) = register()
        assert row.revision_id == newer.live_revision_id
        assert row.release_ids == sorted([older.pk, newer.pk]) and row.release_count == 2
        assert row.answered_on == row.updated_on == newer.first_published_at

    def test_an_original_keeps_its_row_when_a_translation_is_published(self, claim):
        original = answering(claim, title="Harbour facts", days_ago=2)
        translation = release_translate(
            release=original, language="fr", actor=UserFactory(role="writer")
        )
        arrange_state(translation, Status.PUBLISHED)
        (row,) = register()
        assert row.revision_id == original.live_revision_id and row.language == "en"
        assert row.release_count == 2

    def test_an_edit_shows_only_once_published(self, claim):
        release = answering(claim, title="Harbour facts")
        claim.wording = "The harbour will be filled in"
        claim.save()
        workflow.claim_edit_saved(claim=claim, actor=UserFactory(role="writer"))
        assert [r.wording for r in register()] == ["The harbour will be drained"]
        arrange_state(release, Status.PUBLISHED)
        assert [r.wording for r in register()] == ["The harbour will be filled in"]


class TestTimeWithoutCron:
    def test_a_scheduled_release_enters_the_register_at_its_time(self, claim, client, time_machine):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        release = release_with_content(responses=0, title="Timed")
        ResponseFactory(release=release, claim=claim)
        arrange_state(release, Status.SCHEDULED, publish_at=now + timedelta(hours=1))
        assert register() == []
        assert client.get(reverse("myths:claim-list")).context["paginator"].count == 0
        time_machine.move_to(now + timedelta(hours=1, seconds=1), tick=False)
        assert [r.claim_id for r in register()] == [claim.pk]
        page = client.get(reverse("myths:claim-list"))
        assert page.context["paginator"].count == 1
        assert client.get(claim.get_absolute_url()).status_code == 200

    def test_an_expiring_release_leaves_the_register_at_its_time(self, claim, time_machine):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        answering(claim, title="Short-lived", expire_at=now + timedelta(hours=1))
        assert [r.claim_id for r in register()] == [claim.pk]
        time_machine.move_to(now + timedelta(hours=1), tick=False)
        assert register() == []
        assert RegisterSummary.objects.current().claim_count == 0

    def test_a_scheduled_new_version_replaces_the_live_one_at_its_time(self, claim, time_machine):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        release = answering(claim, title="Harbour facts")
        live = release.live_revision_id
        claim.wording = "The harbour will be filled in"
        claim.save()
        arrange_state(release, Status.SCHEDULED, publish_at=now + timedelta(hours=1))
        assert [(r.revision_id, r.wording) for r in register()] == [
            (live, "The harbour will be drained")
        ]
        time_machine.move_to(now + timedelta(hours=2), tick=False)
        release.refresh_from_db()
        assert [(r.revision_id, r.wording) for r in register()] == [
            (release.scheduled_revision_id, "The harbour will be filled in")
        ]


class TestRebuild:
    def test_the_command_and_the_migration_rebuild_the_same_rows(self, claim):
        answering(claim, title="Harbour facts", days_ago=3)
        published_release(responses=2)
        fields = ("claim_id", "revision_id", "wording", "release_ids", "visible_until")
        before = sorted(RegisterEntry.objects.values_list(*fields))
        RegisterEntry.objects.all().delete()
        call_command("refresh_public_register", stdout=None)
        assert sorted(RegisterEntry.objects.values_list(*fields)) == before
        RegisterEntry.objects.all().delete()
        from django.apps import apps

        migration = importlib.import_module("myths.migrations.0020_fill_public_register")
        migration.fill(apps, None)
        assert sorted(RegisterEntry.objects.values_list(*fields)) == before
        assert register_rebuild() == 3

    def test_the_summary_offers_the_published_topics(self, claim):
        claim.topics.add(TopicFactory(name="Coast"))
        answering(claim, title="Harbour facts")
        claim.topics.add(TopicFactory(name="Not published yet"))
        assert RegisterSummary.objects.current().topic_choices == [("coast", "Coast")]
