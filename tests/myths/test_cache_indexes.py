"""The page cache's horizon is read through partial indexes (PostgreSQL's plan says so), so the
query a process makes once a second stays one index probe per source at any archive size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.public_state import public_state_query
from myths.models import Release
from tests.factories import arrange_state, published_release, release_with_content

pytestmark = [pytest.mark.database("postgresql"), pytest.mark.django_db]


def test_the_generation_and_horizon_query_uses_the_partial_indexes():
    now = timezone.now()
    due, expiry = now + timedelta(days=1), now + timedelta(days=3)
    arrange_state(release_with_content(), Release.Status.PUBLISHED, expire_at=expiry)
    arrange_state(release_with_content(), Release.Status.SCHEDULED, publish_at=due)
    published_release()
    with connection.cursor() as cursor:
        # A few rows are cheaper to scan than to look up: forbid scans, so the plan shows
        # whether an index *can* answer each subquery (it does at any size once it can).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    plan = public_state_query(now).explain()
    assert "release_due_time" in plan, plan
    assert "release_expiry_time" in plan, plan
    assert "Sort" not in plan, plan  # the first entry of each index, not a sort of matches
    row = public_state_query(now).get()
    assert sorted(moment for name, moment in row.items() if name != "value") == [due, expiry]
