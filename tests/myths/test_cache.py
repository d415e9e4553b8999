from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.cache import public_cache_bump
from core.page_cache import recent_pages
from core.public_state import public_horizon
from myths.models import Release
from tests.factories import arrange_state, published_release, release_with_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    return published_release(title="Cached release", publish_at=timezone.now() - timedelta(1))


def test_headers_and_conditional_get(client, release):
    url = release.get_absolute_url()
    first = client.get(url)
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    assert "max-age=0" in first["Cache-Control"] and "must-revalidate" in first["Cache-Control"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_pages_are_served_from_the_cache_until_a_bump(
    client, release, publisher, sitemap_locations
):
    from myths import workflow

    assert "Cached release" in client.get("/").content.decode()
    etag = client.get(release.get_absolute_url())["ETag"]
    assert client.get(release.get_absolute_url())["ETag"] == etag  # served from the cache
    assert any(release.slug in location for location in sitemap_locations())  # cached too
    # The withdrawal bumps the generation in its own transaction: gone at once, everywhere,
    # with no step after commit.
    workflow.release_withdraw(release=release, actor=publisher, comment="Superseded.")
    assert "Cached release" not in client.get("/").content.decode()
    assert client.get(release.get_absolute_url()).status_code == 404
    assert "Cached release" not in client.get("/feed/").content.decode()
    assert not any(release.slug in location for location in sitemap_locations())


def test_publish_with_bump_appears_at_once(client, release):
    client.get("/")
    other = release_with_content(title="Freshly published")
    arrange_state(other, Release.Status.PUBLISHED)
    public_cache_bump()
    assert "Freshly published" in client.get("/").content.decode()


def test_scheduled_release_is_not_hidden_by_the_cache_past_its_time(client, time_machine, release):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    scheduled = arrange_state(
        release_with_content(title="Scheduled for noon"),
        Release.Status.SCHEDULED,
        publish_at=now + timedelta(minutes=5),
    )
    assert public_horizon(now) == scheduled.publish_at
    assert "Scheduled for noon" not in client.get("/").content.decode()
    assert "Scheduled for noon" not in client.get("/").content.decode()  # cached
    time_machine.move_to(now + timedelta(minutes=5, seconds=1), tick=False)
    # No bump: the key carries the horizon, which has now moved on.
    assert "Scheduled for noon" in client.get("/").content.decode()
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_expiry_is_not_hidden_by_the_cache(client, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    expiring = arrange_state(
        release_with_content(title="Expires soon"),
        Release.Status.PUBLISHED,
        publish_at=now - timedelta(days=1),
        expire_at=now + timedelta(hours=1),
    )
    assert client.get(expiring.get_absolute_url()).status_code == 200
    time_machine.move_to(now + timedelta(hours=1, seconds=1), tick=False)
    assert client.get(expiring.get_absolute_url()).status_code == 404
    assert "Expires soon" not in client.get("/").content.decode()


def test_junk_queries_are_answered_but_not_cached(client, release):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/releases/?q=" + "z" * 1000
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) > 0  # rendered again, not stored (a stored page costs none)
    client.get("/releases/?verdict=false")
    with CaptureQueriesContext(connection) as captured:
        client.get("/releases/?verdict=false")
    assert len(captured) == 0  # served from the cache


def test_contact_edit_in_admin_bumps(
    admin_client, client, release, django_capture_on_commit_callbacks
):
    contact = release.contact
    assert contact.email in client.get(reverse("contacts:contact-list")).content.decode()
    url = reverse("admin:contacts_presscontact_change", args=[contact.pk])
    # The bump runs in the admin's transaction (contacts.services.contact_changed).
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {
                "organisation": contact.organisation,
                "division": contact.division,
                "section": contact.section,
                "slug": contact.slug,
                "phone": contact.phone,
                "email": "new-desk@example.org",
                "website": contact.website,
                "social_handles-TOTAL_FORMS": "0",
                "social_handles-INITIAL_FORMS": "0",
                "social_handles-MIN_NUM_FORMS": "0",
                "social_handles-MAX_NUM_FORMS": "1000",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(reverse("contacts:contact-list")).content.decode()
    assert "new-desk@example.org" in html
    vcard = client.get(reverse("contacts:contact-vcard", args=[contact.slug])).content.decode()
    assert "new-desk@example.org" in vcard


WARM_URLS = ("/", "/releases/", "/myths/", "/feed/", "/fr/releases/", "/contacts/")


def test_a_warm_page_costs_no_query_and_no_cache_round_trip(
    client, release, cache_calls, django_assert_num_queries, public_state_clock
):
    for url in (*WARM_URLS, release.get_absolute_url()):
        client.get(url)  # rendered and stored
        cache_calls.clear()
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response.status_code == 200, url
        assert cache_calls == [], url  # this process served it lately: from its own memory


def test_a_page_another_worker_stored_costs_no_query_and_one_cache_read(
    client, release, cache_calls, django_assert_num_queries, public_state_clock
):
    for url in (*WARM_URLS, release.get_absolute_url()):
        client.get(url)
        recent_pages.clear()  # as in a worker that has not served it yet
        cache_calls.clear()
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200, url
        assert cache_calls == ["get"], url


def test_revalidation_costs_no_query_and_at_most_one_cache_read(
    client, release, cache_calls, django_assert_num_queries, public_state_clock
):
    url = release.get_absolute_url()
    etag = client.get(url)["ETag"]
    cache_calls.clear()
    with django_assert_num_queries(0):
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert cache_calls == []
    recent_pages.clear()
    with django_assert_num_queries(0):
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert cache_calls == ["get"]


def test_a_warm_page_is_served_while_the_cache_is_down(client, release, monkeypatch):
    from django.core.cache import cache

    url = release.get_absolute_url()
    client.get(url)

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    for _memory in ("kept", "empty"):
        response = client.get(url)
        assert response.status_code == 200 and "Cached release" in response.content.decode()
        recent_pages.clear()
    public_cache_bump()  # a new generation while Redis is down: rendered, still no error
    assert client.get(url).status_code == 200


def test_a_withdrawal_elsewhere_is_seen_here_within_a_second(
    client, release, publisher, public_state_clock, bumps_elsewhere
):
    from myths import workflow

    url = release.get_absolute_url()
    assert client.get(url).status_code == 200
    workflow.release_withdraw(release=release, actor=publisher, comment="Superseded.")
    public_state_clock.reading += 0.9
    assert client.get(url).status_code == 200  # within the second this process may lag
    public_state_clock.reading += 0.1
    assert client.get(url).status_code == 404
    assert "Cached release" not in client.get("/").content.decode()


def test_a_publication_elsewhere_is_seen_here_within_a_second(
    client, release, public_state_clock, bumps_elsewhere
):
    assert "Published elsewhere" not in client.get("/").content.decode()
    arrange_state(release_with_content(title="Published elsewhere"), Release.Status.PUBLISHED)
    public_state_clock.reading += 0.5
    assert "Published elsewhere" not in client.get("/").content.decode()
    public_state_clock.reading += 0.5
    assert "Published elsewhere" in client.get("/").content.decode()
