"""core.page_cache.RecentPages: a worker's own memory of the pages it served, bounded."""

import pytest
from django.utils import translation

from core.page_cache import PAGE_TIMEOUT, RecentPages


def entry(size: int) -> dict:
    return {"body": b"x" * size}


@pytest.fixture
def memory(settings, public_state_clock):
    settings.PRESSDESK_PAGE_MEMORY_BYTES = 100
    return RecentPages(clock=public_state_clock)


def test_only_the_current_generation_and_horizon_are_kept(memory):
    memory.put("a", (1, None), entry(10))
    assert memory.get("a", (1, None)) == entry(10)
    assert memory.get("a", (2, None)) is None  # asked under a newer pair: not this one
    memory.put("b", (2, None), entry(10))
    assert memory.get("a", (1, None)) is None  # the newer pair emptied the older entries
    assert memory.get("b", (2, None)) == entry(10)


def test_the_least_recently_used_leave_first_past_the_byte_limit(memory):
    for key in "abc":
        memory.put(key, (1, None), entry(40))
    assert memory.get("a", (1, None)) is None
    assert memory.get("b", (1, None)) and memory.get("c", (1, None))
    memory.get("b", (1, None))
    memory.put("d", (1, None), entry(40))
    assert memory.get("c", (1, None)) is None  # b was used after c
    memory.put("huge", (1, None), entry(101))
    assert memory.get("huge", (1, None)) is None and memory.get("b", (1, None))


def test_entries_expire_like_the_shared_cache(memory, public_state_clock):
    memory.put("a", (1, None), entry(10))
    public_state_clock.reading += PAGE_TIMEOUT - 1
    assert memory.get("a", (1, None))
    public_state_clock.reading += 1
    assert memory.get("a", (1, None)) is None


def test_zero_bytes_turns_it_off(memory, settings):
    settings.PRESSDESK_PAGE_MEMORY_BYTES = 0
    memory.put("a", (1, None), entry(1))
    assert memory.get("a", (1, None)) is None


def test_a_slot_given_a_version_is_rendered_once_per_version_and_language():
    from core.page_cache import recent_fragments, skeleton_fill, skeleton_mark

    recent_fragments.clear()
    name = "includes/next_path.html"  # prints `page_path`
    with translation.override("en"):
        body = f"<p>{skeleton_mark(name)}</p>"

    def fill(path, version=None, reader="en"):
        context = {"page_path": path, "READER_LANGUAGE": reader, "SITE_URL": "https://x.test"}
        return skeleton_fill(body, context, {name: version} if version else None)

    assert 'value="/a/"' in fill("/a/", "one")
    assert 'value="/a/"' in fill("/b/", "one")  # kept: the version says nothing changed
    assert 'value="/b/"' in fill("/b/", "two")
    assert 'value="/b/"' in fill("/b/", "one", reader="fr")  # another reader's language
    assert 'value="/c/"' in fill("/c/")  # no version: rendered every time


@pytest.mark.django_db
def test_parts_kept_under_another_secret_key_are_not_used(settings):
    """After SECRET_KEY changes (a rotation), a skeleton or fragment another process kept holds
    markers of the old token, which the new one would leave in the page as text."""
    from core.page_cache import (
        _slot_token,
        fragments_render,
        recent_fragments,
        recent_skeletons,
        skeleton_get,
        skeleton_mark,
        skeleton_put,
    )

    with translation.override("en"):
        skeleton_put("page v1", f"<p>{skeleton_mark('includes/next_path.html')}</p>")
    fragments_render(["card"], lambda item: ("card", 1), lambda item: "kept under the old key")
    settings.SECRET_KEY = "a-rotated-secret-key-" + "y" * 40
    _slot_token.cache_clear()
    recent_skeletons.clear()  # as in a process started after the rotation
    recent_fragments.clear()
    try:
        assert skeleton_get("page v1") is None
        rendered = fragments_render(["card"], lambda item: ("card", 1), lambda item: "new")
        assert rendered == ["new"]
    finally:
        _slot_token.cache_clear()
