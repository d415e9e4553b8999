"""Share links: one release, signed, expiring, revocable, noindex, never cached."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from myths.models import Release
from myths.sharing import (
    share_link_create,
    share_link_resolve,
    share_link_revoke,
    share_link_token,
    share_link_url,
)
from tests.factories import UserFactory, arrange_state, release_with_content

pytestmark = pytest.mark.django_db


def draft(title, writer):
    return arrange_state(release_with_content(title=title), Release.Status.DRAFT, author=writer)


def open_link(client, token):
    return client.get(reverse("myths:share-preview", args=[token]))


def test_share_link_shows_the_latest_revision_to_anyone(client, writer, settings):
    release = draft("Harbour myths, draft", writer)
    link = share_link_create(release=release, actor=writer)
    response = open_link(client, share_link_token(link))
    assert response.status_code == 200
    assert response.context["content"].title == "Harbour myths, draft"
    assert response.context["preview"].shared
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response.content.decode()
    assert share_link_url(link).startswith(settings.PRESSDESK_SITE_URL)
    # The draft itself is still not public.
    assert not Release.objects.published().exists()


def test_share_link_expires(client, writer, time_machine, settings):
    settings.PRESSDESK_SHARE_LINK_DAYS = 7
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    link = share_link_create(release=draft("Expiring", writer), actor=writer)
    token = share_link_token(link)
    time_machine.move_to("2026-03-08 08:59:00+00:00", tick=False)
    assert open_link(client, token).status_code == 200
    time_machine.move_to("2026-03-08 09:00:01+00:00", tick=False)
    response = open_link(client, token)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_share_link_revoked(client, writer):
    link = share_link_create(release=draft("Revoked", writer), actor=writer)
    token = share_link_token(link)
    share_link_revoke(link=link, actor=writer)
    response = open_link(client, token)
    assert response.status_code == 410
    assert "revoked" in response.content.decode()


def test_share_link_opens_only_its_own_release(client, writer):
    mine, other = draft("Mine", writer), draft("Other", writer)
    link = share_link_create(release=mine, actor=writer)
    response = open_link(client, share_link_token(link))
    assert response.context["release"] == mine
    assert b"Other" not in response.content
    # A token cannot be pointed at another release: the nonce is signed.
    other_link = share_link_create(release=other, actor=writer)
    forged = other_link.token + ":" + share_link_token(link).rsplit(":", 1)[1]
    assert open_link(client, forged).status_code == 404


@pytest.mark.parametrize("token", ["nonsense", "abc:def", "x" * 300, "%00"])
def test_invalid_tokens_are_404_not_500(client, token):
    response = open_link(client, token)
    assert response.status_code == 404
    assert response["X-Robots-Tag"].startswith("noindex")


def test_the_raw_nonce_stored_in_the_database_opens_nothing(client, writer):
    link = share_link_create(release=draft("Stored", writer), actor=writer)
    assert open_link(client, link.token).status_code == 404


def test_only_sharers_may_create_or_revoke(writer):
    release = draft("Private", writer)
    nobody = UserFactory(is_staff=True)
    with pytest.raises(ValidationError) as exc:
        share_link_create(release=release, actor=nobody)
    assert exc.value.code == "permission_denied"
    link = share_link_create(release=release, actor=writer)
    with pytest.raises(ValidationError):
        share_link_revoke(link=link, actor=nobody)
    assert share_link_resolve(share_link_token(link)) == link


def test_share_link_default_lifetime_comes_from_settings(writer, settings):
    settings.PRESSDESK_SHARE_LINK_DAYS = 2
    link = share_link_create(release=draft("Short", writer), actor=writer)
    assert link.expires_at - link.created_at < timedelta(days=2, seconds=5)
    assert link.expires_at - link.created_at > timedelta(days=1, hours=23)
