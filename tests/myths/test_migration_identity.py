"""Migration 0014_issued_dates_and_references on existing data: releases that went public get a
date of issue and their office's reference numbers in the order they were first published."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("myths", "0013_release_issued_at")]
AFTER = [("myths", "0014_issued_dates_and_references")]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_public_releases_are_numbered_in_the_order_of_first_publication():
    apps = migrate(BEFORE)
    try:
        Release = apps.get_model("myths", "Release")
        PressOffice = apps.get_model("contacts", "PressOffice")
        # The migrations' default office, unless an earlier transactional test flushed it.
        office = PressOffice.objects.filter(is_default=True).first() or (
            PressOffice.objects.create(name="Press Office", slug="press-office", is_default=True)
        )
        office.time_zone, office.reference_pattern = "Europe/Brussels", "PR/{year}/{seq:03}"
        office.save()

        def release(slug, **fields):
            return Release.objects.create(title=slug, slug=slug, office=office, **fields)

        release("later", first_published_at=datetime(2024, 5, 2, 9, 0, tzinfo=UTC))
        # Published at 23:30 UTC: the next day in Brussels.
        earlier = release("earlier", first_published_at=datetime(2024, 5, 1, 23, 30, tzinfo=UTC))
        release(
            "archive",
            issued_on=date(2017, 3, 12),
            first_published_at=datetime(2024, 6, 1, 8, 0, tzinfo=UTC),
        )
        release("draft")

        apps = migrate(AFTER)
        Release = apps.get_model("myths", "Release")
        rows = {r.slug: r for r in Release.objects.all()}
        assert rows["earlier"].reference == "PR/2024/001"
        assert rows["later"].reference == "PR/2024/002"
        assert rows["archive"].reference == "PR/2017/001"  # the year of issue
        assert rows["draft"].reference == "" and rows["draft"].issued_at is None
        assert rows["earlier"].issued_on == date(2024, 5, 2)
        assert rows["earlier"].issued_at == earlier.first_published_at
        # 10:00 in Brussels on the day it went public (summer time), 10:00 CET on the date of issue.
        assert rows["archive"].issued_at == datetime(2017, 3, 12, 9, 0, tzinfo=UTC)
        Counter = apps.get_model("contacts", "ReferenceCounter")
        assert Counter.objects.get(office_id=office.pk, scope="2024").last == 2
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
