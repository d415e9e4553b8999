"""Issue 9, item 5: no public change without review.

Everything the public sees of a release goes through a revision and the workflow: the content
fields (title, lede, language, translation link, contact, more-information link) are recorded in
the snapshot and public pages read the published revision; the slug is read-only from the moment
the release is public (also a scheduled one whose time has come before cron records it); the
publish and expiry times are a publisher's, and their change is logged.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from myths import workflow
from myths.models import Release, WorkflowLogEntry
from tests.factories import UserFactory, arrange_state, published_release, release_with_content
from tests.factories.admin_forms import change_url, form_data

pytestmark = pytest.mark.django_db
Status = Release.Status


def public_html(client, release):
    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def original():
    return published_release(title="Harbour facts", publish_at=timezone.now() - timedelta(days=2))


@pytest.fixture
def french():
    return published_release(
        title="Le port en vérité", language="fr", publish_at=timezone.now() - timedelta(days=1)
    )


@pytest.mark.postgres  # reads the translation link out of the revision's JSON
def test_a_writers_translation_link_waits_for_review(
    client, login, original, french, django_capture_on_commit_callbacks
):
    login(client, "writer")
    response = client.post(change_url(french), form_data(french, translation_of=original.pk))
    assert response.status_code == 302
    french.refresh_from_db()
    assert french.translation_of == original  # the working copy has it …
    latest = french.revisions.order_by("-number").first()
    assert latest.content["translation_of_id"] == original.pk  # … as a new revision …
    assert french.status == Status.DRAFT  # … that needs review …
    assert french.log_entries.filter(to_status=Status.DRAFT, revision=latest).exists()
    client.logout()
    # … and the public sees nothing of it yet, on either page.
    french_page, original_page = public_html(client, french), public_html(client, original)
    for page in (french_page, original_page):
        assert "Also available in" not in page
    assert 'hreflang="en"' not in french_page
    assert 'hreflang="fr"' not in original_page
    # Reviewed and published, the link shows both ways.
    with django_capture_on_commit_callbacks(execute=True):  # the publication empties the cache
        workflow.release_submit(release=french, actor=UserFactory(role="writer"))
        workflow.release_approve(release=french, actor=UserFactory(role="reviewer"))
        # Linking a language version changes no word of the release: a silent fix will do.
        workflow.release_publish(
            release=french, actor=UserFactory(role="publisher"), notice_kind="typography"
        )
    assert f'hreflang="en" href="http://127.0.0.1:8000{original.get_absolute_url()}"' in (
        public_html(client, french)
    )
    assert f'hreflang="fr" href="http://127.0.0.1:8000{french.get_absolute_url()}"' in (
        public_html(client, original)
    )


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "A new title"),
        ("lede", "A new lede."),
        ("language", "de"),
        ("more_info_url", "https://example.org/more"),
        ("more_info_label", "our portal"),
    ],
)
def test_every_content_field_edit_of_a_published_release_waits_for_review(
    client, login, original, field, value
):
    live = original.live_revision
    login(client, "writer")
    assert (
        client.post(change_url(original), form_data(original, **{field: value})).status_code == 302
    )
    original.refresh_from_db()
    assert original.live_revision == live
    assert original.status == Status.DRAFT
    assert original.revisions.order_by("-number").first().content[field] == value
    client.logout()
    page = public_html(client, original)
    if field == "language":
        assert '<html lang="en">' in page
    else:
        assert value not in page


def test_a_contact_change_of_a_published_release_waits_for_review(client, login, original):
    from tests.factories import PressContactFactory

    other = PressContactFactory(organisation="Another Ministry")
    login(client, "writer")
    assert (
        client.post(change_url(original), form_data(original, contact=other.pk)).status_code == 302
    )
    original.refresh_from_db()
    assert original.status == Status.DRAFT
    client.logout()
    assert "Another Ministry" not in public_html(client, original)


@pytest.fixture
def due_scheduled(writer):
    """Scheduled for a minute ago: public now, though the scheduler has not recorded it yet."""
    release = arrange_state(
        release_with_content(title="Due release"),
        Status.SCHEDULED,
        publish_at=timezone.now() - timedelta(minutes=1),
        author=writer,
    )
    assert release.status == Status.SCHEDULED and release.first_published_at is None
    assert Release.objects.published().filter(pk=release.pk).exists()
    return release


@pytest.mark.parametrize("role", ["writer", "publisher"])
def test_the_slug_of_a_release_public_on_schedule_is_read_only(client, login, due_scheduled, role):
    login(client, role)
    page = client.get(change_url(due_scheduled))
    assert page.status_code == 200
    assert 'name="slug"' not in page.content.decode()
    old = due_scheduled.slug
    when = timezone.localtime(due_scheduled.publish_at)
    times = (
        {"publish_at_0": when.strftime("%Y-%m-%d"), "publish_at_1": when.strftime("%H:%M:%S")}
        if role == "publisher"
        else {}
    )
    data = form_data(due_scheduled, slug="a-broken-address", title="A new title", **times)
    assert client.post(change_url(due_scheduled), data).status_code == 302
    due_scheduled.refresh_from_db()
    assert due_scheduled.slug == old
    client.logout()
    assert client.get(reverse("myths:release-detail", args=[old])).status_code == 200


def test_the_slug_of_a_release_scheduled_for_later_stays_editable(client, login, writer):
    release = arrange_state(
        release_with_content(),
        Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(days=1),
        author=writer,
    )
    login(client, "writer")
    assert 'name="slug"' in client.get(change_url(release)).content.decode()


def test_a_publishers_new_expiry_time_is_logged(client, login, original):
    publisher = login(client, "publisher")
    before = WorkflowLogEntry.objects.filter(release=original).count()
    expire = timezone.localtime(timezone.now() + timedelta(days=30)).replace(
        second=0, microsecond=0
    )
    data = form_data(
        original,
        expire_at_0=expire.strftime("%Y-%m-%d"),
        expire_at_1=expire.strftime("%H:%M:%S"),
    )
    assert client.post(change_url(original), data).status_code == 302
    original.refresh_from_db()
    assert original.expire_at == expire
    assert original.status == Status.PUBLISHED  # a time is not content: no new review
    entries = WorkflowLogEntry.objects.filter(release=original)
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.actor == publisher
    assert entry.revision == original.live_revision
    assert "Expiry time set to" in entry.comment
    assert expire.strftime("%d %B %Y, %H:%M") in entry.comment


def test_a_writer_cannot_move_the_publication_times(client, login, original):
    login(client, "writer")
    data = form_data(original, expire_at_0="2030-01-01", expire_at_1="10:00:00")
    client.post(change_url(original), data)
    original.refresh_from_db()
    assert original.expire_at is None
