"""The myth register reads what published revisions recorded, never the Claim working copy."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.cache import public_cache_bump
from myths.models import Release, RevisionAnswer
from myths.revisions import revision_create
from tests.factories import TopicFactory, arrange_state, published_release

# Database-sensitive (JSON snapshot reads and a data migration): also run on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def republish(release):
    """Publish the working copy's edits through the workflow: saved, reviewed, published."""
    arrange_state(release, Release.Status.PUBLISHED)
    # The workflow bumps the public cache after commit; a test's transaction never commits.
    public_cache_bump()


@pytest.fixture
def published_claim():
    release = published_release(
        responses=1, title="Lighthouse facts", publish_at=timezone.now() - timedelta(days=1)
    )
    claim = release.responses.get().claim
    claim.wording = "The lighthouse keeper was replaced by a robot"
    claim.save()
    claim.topics.add(TopicFactory(name="Coast"))
    republish(release)
    release.refresh_from_db()
    return release, claim


def pages(client, release, claim_url):
    return {
        url: client.get(url).content.decode()
        for url in (
            reverse("myths:claim-list"),
            reverse("myths:claim-list") + "?topic=coast",
            reverse("myths:claim-list") + "?q=robot",
            reverse("myths:claim-list") + "?verdict=false",
            claim_url,
            release.get_absolute_url(),
            reverse("myths:release-list") + "?topic=coast",
        )
    }


def test_claim_edits_stay_private_until_a_revision_is_published(client, published_claim):
    release, claim = published_claim
    url = claim.get_absolute_url()
    before = pages(client, release, url)
    for page_url, html in before.items():
        assert "replaced by a robot" in html or "Lighthouse facts" in html, page_url

    claim.wording = "Unreviewed wording about ghosts"
    claim.save()
    claim.topics.set([TopicFactory(name="Secret topic")])
    public_cache_bump()  # as if something else had been published meanwhile

    after = pages(client, release, url)
    for page_url, html in after.items():
        assert "Unreviewed wording" not in html, page_url
        assert "Secret topic" not in html, page_url
        assert "replaced by a robot" in html or "Lighthouse facts" in html, page_url
    assert "replaced by a robot" in after[reverse("myths:claim-list") + "?topic=coast"]
    assert "Lighthouse facts" in after[reverse("myths:release-list") + "?topic=coast"]
    # The unpublished topic and wording match nothing.
    assert (
        client.get(reverse("myths:claim-list") + "?topic=secret-topic").context["paginator"].count
        == 0
    )
    assert (
        "No myths match" in client.get(reverse("myths:claim-list") + "?q=ghosts").content.decode()
    )
    assert (
        "Lighthouse facts"
        not in client.get(reverse("myths:release-list") + "?topic=secret-topic").content.decode()
    )

    republish(release)
    html = client.get(reverse("myths:claim-list") + "?topic=secret-topic").content.decode()
    assert "Unreviewed wording about ghosts" in html
    assert "replaced by a robot" not in client.get(url).content.decode()
    assert (
        "Lighthouse facts"
        in client.get(reverse("myths:release-list") + "?topic=secret-topic").content.decode()
    )


def test_the_register_address_is_the_published_slug(client, published_claim):
    release, claim = published_claim
    published_url = claim.get_absolute_url()
    claim.slug = "renamed-but-not-published"
    claim.save()
    assert client.get(published_url).status_code == 200
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert published_url in client.get(reverse("myths:claim-list")).content.decode()

    republish(release)
    # The old address was public: links to it go on to the new one, permanently.
    response = client.get(published_url)
    assert response.status_code == 301
    assert response["Location"] == "/myths/renamed-but-not-published/"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/myths/never-published-anywhere/").status_code == 404


def test_a_slug_only_a_draft_revision_recorded_is_not_redirected(client, published_claim):
    release, claim = published_claim
    claim.slug = "draft-only-slug"
    claim.save()
    revision_create(release=release)  # saved, not published
    assert client.get("/myths/draft-only-slug/").status_code == 404


def test_snapshot_fields_are_filled_from_existing_revisions_by_the_migration(published_claim):
    import importlib

    from django.apps import apps

    release, claim = published_claim
    RevisionAnswer.objects.update(wording="", slug="", topics=[], topic_slugs="")
    migration = importlib.import_module("myths.migrations.0004_revisionanswer_claim_snapshot")
    migration.fill_from_snapshots(apps, None)
    answer = RevisionAnswer.objects.get(revision_id=release.live_revision_id)
    assert answer.wording == "The lighthouse keeper was replaced by a robot"
    assert answer.slug == claim.slug
    assert answer.topics == [["coast", "Coast"]]
    assert answer.topic_slugs == "|coast|"
