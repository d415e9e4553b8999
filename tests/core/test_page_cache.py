"""core.page_cache: the horizon comes from the sources the apps register."""

from datetime import UTC, datetime, timedelta

from core import page_cache


def test_the_earliest_registered_horizon_wins(monkeypatch):
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    monkeypatch.setattr(page_cache, "_horizons", [])
    assert page_cache.public_horizon(now) is None
    page_cache.register_horizon(lambda now: now + timedelta(hours=2))
    page_cache.register_horizon(lambda now: None)
    soon = page_cache.register_horizon(lambda now: now + timedelta(minutes=5))
    page_cache.register_horizon(soon)  # twice is once
    assert len(page_cache._horizons) == 3
    assert page_cache.public_horizon(now) == now + timedelta(minutes=5)


def test_myths_registers_its_schedule():
    from myths.public.cache import release_horizon

    assert release_horizon in page_cache._horizons
