"""Issue 9, item 4: share links die with the release's public life.

A link sent out to preview a release must close when the release is withdrawn (by a publisher or
by its expiry time), restored as a new draft, or deleted: the link then answers the "closed"
page, never the text.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from myths import workflow
from myths.models import Release, ShareLink
from myths.sharing import share_link_create, share_link_token
from tests.factories import UserFactory, published_release

pytestmark = pytest.mark.django_db
CLOSED = "myths/share_link_closed.html"


def link_to(release):
    sharer = UserFactory(role="writer")
    return share_link_token(share_link_create(release=release, actor=sharer))


def open_link(client, token):
    return client.get(reverse("myths:share-preview", args=[token]))


def assert_closed(response, status):
    assert response.status_code == status
    assert CLOSED in [t.name for t in response.templates]
    assert "content" not in response.context


@pytest.fixture
def release(writer):
    return published_release(title="Harbour myths", publish_at=timezone.now() - timedelta(days=1))


def test_withdrawal_revokes_share_links_in_the_same_transaction(client, release, publisher):
    token = link_to(release)
    assert open_link(client, token).status_code == 200
    entry = workflow.release_withdraw(release=release, actor=publisher, comment="Legal reasons.")
    assert_closed(open_link(client, token), 410)
    link = ShareLink.objects.get(release=release)
    assert link.revoked_at is not None and link.revoked_at >= entry.created_at


def test_expiry_revokes_share_links(client, release, time_machine):
    Release.objects.filter(pk=release.pk).update(expire_at=timezone.now() + timedelta(hours=1))
    token = link_to(release)
    time_machine.move_to(timezone.now() + timedelta(hours=2), tick=False)
    assert [e.release for e in workflow.expire_due()] == [release]
    assert_closed(open_link(client, token), 410)


def test_restore_as_a_new_draft_revokes_share_links(client, release, writer):
    token = link_to(release)
    workflow.release_restore(release=release, revision=release.revisions.first(), actor=writer)
    assert_closed(open_link(client, token), 410)
    # A new link may be sent out for the restored draft deliberately.
    assert open_link(client, link_to(release)).status_code == 200


def test_restore_from_the_admin_revokes_share_links(client, release, login):
    token = link_to(release)
    login(client, "writer")
    url = reverse("admin:myths_release_restore", args=[release.pk, 1])
    assert client.post(url, {"version_marker": release.version}).status_code == 302
    client.logout()
    assert_closed(open_link(client, token), 410)


def test_deletion_closes_share_links(client, release, publisher, login):
    # A release with a live revision cannot be deleted (the revision is protected): withdraw first.
    workflow.release_withdraw(release=release, actor=publisher, comment="To be deleted.")
    token = link_to(release)
    assert open_link(client, token).status_code == 200
    login(client, "superuser")
    url = reverse("admin:myths_release_delete", args=[release.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Release.objects.filter(pk=release.pk).exists()
    client.logout()
    assert_closed(open_link(client, token), 404)
