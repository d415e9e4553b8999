"""The myth register precomputed (myths/register.py): rows rewritten by the workflow with every
change to what is public, valid over the time they hold (scheduled publication and expiry need no
cron), read by the register, the claim pages and the sitemap in a fixed number of queries."""

import importlib
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from myths import workflow
from myths.models import RegisterEntry, RegisterSummary, Release
from myths.register import register_rebuild, register_refresh, register_summaries_rebuild
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


def summaries():
    return list(
        RegisterSummary.objects.order_by("visible_from").values_list(
            "visible_from", "visible_until", "claim_count", "topics", "last_claim_id", "updated_on"
        )
    )


class TestSummaryKeptInStep:
    """A change updates the summaries from the rows it wrote and deleted (issue 10: recounting
    the register at each publication grew with the archive); they must equal a recount."""

    def test_after_each_change_the_summaries_equal_a_recount(self, claim, publisher, time_machine):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        coast, port = TopicFactory(name="Coast"), TopicFactory(name="Port")
        claim.topics.add(coast)
        ferries = ClaimFactory(wording="Ferries stop at night")
        ferries.topics.add(coast, port)
        quay = ClaimFactory(wording="The quay is sinking")
        quay.topics.add(port)
        first = None

        def scheduled():
            release = release_with_content(responses=0, title="Timed")
            ResponseFactory(release=release, claim=quay)
            arrange_state(release, Status.SCHEDULED, publish_at=now + timedelta(hours=1))

        def publish_first():
            nonlocal first
            first = answering(claim, title="Harbour facts", days_ago=2)

        steps = [
            publish_first,
            lambda: answering(ferries, title="Ferry facts", expire_at=now + timedelta(hours=2)),
            scheduled,
            lambda: answering(claim, title="Harbour again", days_ago=1),
            lambda: workflow.release_withdraw(release=first, actor=publisher, comment="Wrong."),
        ]
        for step in steps:
            step()
            kept = summaries()
            register_summaries_rebuild()
            assert summaries() == kept
        # Now, one hour on (the scheduled answer) and two hours on (the expiry).
        assert [row[2] for row in kept] == [2, 3, 2]
        assert [[t[0], t[2]] for t in kept[1][3]] == [["coast", 2], ["port", 2]]

    def test_a_topic_takes_back_its_former_name_when_its_latest_goes(self, claim, publisher):
        coast = TopicFactory(name="Coast")
        claim.topics.add(coast)
        answering(claim, title="Harbour facts", days_ago=2)
        coast.name = "Coastline"
        coast.save()
        ferries = ClaimFactory(wording="Ferries stop at night")
        ferries.topics.add(coast)
        renamed = answering(ferries, title="Ferry facts")
        assert RegisterSummary.objects.current().topic_choices == [("coast", "Coastline")]
        assert RegisterSummary.objects.current().topic_count("coast") == 2
        workflow.release_withdraw(release=renamed, actor=publisher, comment="Wrong.")
        assert RegisterSummary.objects.current().topic_choices == [("coast", "Coast")]
        assert RegisterSummary.objects.current().topic_count("coast") == 1

    @pytest.mark.database("postgresql")
    def test_a_refresh_reads_no_more_than_the_claims_it_changes(self, claim):
        for n in range(3):
            answering(ClaimFactory(wording=f"Claim {n}"), title=f"Release {n}")
        answering(claim, title="Harbour facts")
        with CaptureQueriesContext(connection) as captured:
            register_refresh(claim_ids=[claim.pk])
        reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            for sql in reads:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                # No count, no grouping, no scan of the register: indexes and their first rows.
                assert "Aggregate" not in plan, plan
                assert "Seq Scan on myths_registerentry" not in plan, plan
