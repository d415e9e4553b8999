"""core.public_state: the horizon comes from the sources the apps register; each process keeps
the generation and horizon for at most a second, or until the horizon."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F

from core import public_state
from core.cache import public_cache_bump, public_generation
from core.models import PublicGeneration


def bump_elsewhere():
    """What another process's publication does to this one: the row changes, this process's
    snapshot is left as it was."""
    PublicGeneration.objects.filter(pk=PublicGeneration.ROW).update(value=F("value") + 1)


def test_the_earliest_registered_horizon_wins(monkeypatch):
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    monkeypatch.setattr(public_state, "_sources", [])
    assert public_state.public_horizon(now) is None
    # Lists stand in for the sources' querysets: only their first element is read.
    monkeypatch.setattr(public_state, "_first_moment", lambda source, now: source(now)[:1])
    public_state.register_horizon(lambda now: [now + timedelta(hours=2)])
    public_state.register_horizon(lambda now: [])
    soon = public_state.register_horizon(lambda now: [now + timedelta(minutes=5), now])
    public_state.register_horizon(soon)  # twice is once
    assert len(public_state._sources) == 3
    assert public_state.public_horizon(now) == now + timedelta(minutes=5)


def test_myths_registers_its_schedule():
    from myths.public.cache import release_due_times, release_expiry_times

    assert release_due_times in public_state._sources
    assert release_expiry_times in public_state._sources


@pytest.mark.django_db
def test_generation_and_horizon_are_one_query_then_none_for_a_second(
    public_state_clock, django_assert_num_queries
):
    now = datetime.now(UTC)
    with django_assert_num_queries(1):
        first = public_state.public_state(now)
    assert first.generation == public_generation()
    with django_assert_num_queries(0):
        assert public_state.public_state(now) is first
    bump_elsewhere()
    public_state_clock.reading += 0.999
    with django_assert_num_queries(0):
        assert public_state.public_state(now).generation == first.generation
    public_state_clock.reading += 0.001
    with django_assert_num_queries(1):
        assert public_state.public_state(now).generation == first.generation + 1


@pytest.mark.django_db
def test_the_process_that_bumps_sees_its_change_at_once(public_state_clock):
    before = public_state.public_state().generation
    assert public_cache_bump() == before + 1
    assert public_state.public_state().generation == before + 1


@pytest.mark.django_db
def test_reaching_the_horizon_reads_again_at_once(public_state_clock, monkeypatch):
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    noon_five = now + timedelta(minutes=5)
    pending = [noon_five]
    monkeypatch.setattr(public_state, "_sources", [])
    monkeypatch.setattr(public_state, "public_horizon", lambda now: min(pending, default=None))
    PublicGeneration.objects.all().delete()  # no row: the horizon is read on its own
    assert public_state.public_state(now).horizon == noon_five
    pending.clear()
    assert public_state.public_state(noon_five - timedelta(seconds=1)).horizon == noon_five
    # Same clock reading, but the wall clock has reached the horizon: read again.
    assert public_state.public_state(noon_five).horizon is None


def test_a_clock_that_went_backwards_is_not_trusted():
    state = public_state.PublicState(generation=1, horizon=None, read_at=50.0)
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert state.fresh(now, 50.5)
    assert not state.fresh(now, 51.0)
    assert not state.fresh(now, 49.0)
