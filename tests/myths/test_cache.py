from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.cache import public_cache_bump
from core.page_cache import public_horizon
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
    assert len(captured) > 2  # rendered again, not stored
    client.get("/releases/?verdict=false")
    with CaptureQueriesContext(connection) as captured:
        client.get("/releases/?verdict=false")
    assert len(captured) == 2  # the horizon and the generation only


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
