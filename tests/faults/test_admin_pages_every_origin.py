"""Every admin page of a release renders, however the release was made.

A release can be made in the admin, on the import page, by `import_release` (with or without
`--author`), by the demo loader, or by restoring an old revision; each leaves different rows (a
revision without author, log entries without actor). Whichever way, every page the admin links
to for it must answer 200 to a superuser.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from myths.models import Release, Response
from tests.factories import PressContactFactory, UserFactory, arrange_state
from tests.factories.admin_forms import change_url, form_data
from tests.factories.importing import import_through_preview

pytestmark = pytest.mark.django_db
Status = Release.Status

IMPORT_TEXT = """The water is fine

A short lede about tap water.

Myth 1: The tap water is unsafe

It is tested every day and meets every standard.

Myth 2: Prices doubled last year

They rose by two per cent.
"""


def release_pages(release) -> list[str]:
    """The URLs the admin offers for one release, its revisions and its responses."""
    pk = release.pk
    revisions = list(release.revisions.order_by("number"))
    urls = [
        reverse(f"admin:myths_release_{name}", args=[pk])
        for name in ("change", "history", "delete", "revisions")
    ]
    if len(revisions) > 1:
        compare = reverse("admin:myths_release_compare", args=[pk])
        urls.append(f"{compare}?a={revisions[0].number}&b={revisions[-1].number}")
    for revision in revisions:
        urls.append(reverse("myths:revision-preview", args=[revision.pk]))
        urls.append(reverse("myths:revision-pdf", args=[revision.pk]))
    for response in release.responses.all():
        urls.append(reverse("admin:myths_response_change", args=[response.pk]))
    return urls


def assert_every_page_renders(client, releases):
    client.force_login(UserFactory(is_superuser=True, username="walker"))
    client.raise_request_exception = False  # collect every failing page, not just the first
    failures = []
    for url in [reverse("admin:index"), reverse("admin:myths_release_changelist")]:
        status = client.get(url).status_code
        if status != 200:
            failures.append((url, status))
    for release in releases:
        for url in release_pages(release):
            status = client.get(url).status_code
            if status != 200:
                failures.append((url, status))
    assert not failures


def imported_by_command(tmp_path, *args) -> Release:
    path = tmp_path / "release.txt"
    path.write_text(IMPORT_TEXT, encoding="utf-8")
    before = set(Release.objects.values_list("pk", flat=True))
    call_command("import_release", str(path), *args)
    return Release.objects.exclude(pk__in=before).get()


def test_import_command_without_author(client, tmp_path):
    release = imported_by_command(tmp_path)
    assert release.revisions.get().author is None  # the state the README's command leaves
    assert_every_page_renders(client, [release])


def with_contact(release: Release) -> Release:
    """The imported text names no known contact and no verdicts: an editor picks them before
    submitting, as the import report asks."""
    Release.objects.filter(pk=release.pk).update(contact=PressContactFactory())
    release.responses.update(verdict=Response.Verdict.FALSE)
    release.refresh_from_db()
    return release


def test_import_command_without_author_then_through_the_workflow(client, tmp_path):
    release = imported_by_command(tmp_path)
    published = arrange_state(with_contact(imported_by_command(tmp_path)), Status.PUBLISHED)
    withdrawn = arrange_state(with_contact(imported_by_command(tmp_path)), Status.WITHDRAWN)
    assert_every_page_renders(client, [release, published, withdrawn])


def test_import_command_with_author(client, tmp_path):
    UserFactory(role="writer", username="wren")
    release = imported_by_command(tmp_path, "--author", "wren")
    assert release.revisions.get().author.username == "wren"
    assert_every_page_renders(client, [release])


def test_import_page(client):
    client.force_login(UserFactory(role="writer"))
    response = import_through_preview(client, data=IMPORT_TEXT.encode())
    assert response.status_code == 302
    assert_every_page_renders(client, [Release.objects.get()])


def test_admin_add(client):
    client.force_login(UserFactory(role="writer"))
    data = {
        "title": "Added in the admin",
        "slug": "added-in-the-admin",
        "lede": "A lede.",
        "language": "en",
        "responses-TOTAL_FORMS": 0,
        "responses-INITIAL_FORMS": 0,
        "responses-MIN_NUM_FORMS": 0,
        "responses-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    response = client.post(reverse("admin:myths_release_add"), data)
    assert response.status_code == 302
    assert_every_page_renders(client, [Release.objects.get(slug="added-in-the-admin")])


def test_restore_of_an_authorless_revision(client, tmp_path):
    release = imported_by_command(tmp_path)
    client.force_login(UserFactory(is_superuser=True, username="restorer"))
    # The responses stay as they are: the inline is posted with what the form shows.
    edit = form_data(release, title="Edited once")
    assert client.post(change_url(release), edit).status_code == 302
    release.refresh_from_db()
    restore = reverse("admin:myths_release_restore", args=[release.pk, 1])
    assert client.post(restore, {"version_marker": release.version}).status_code == 302
    assert release.revisions.count() == 3
    assert_every_page_renders(client, [release])


def test_demo_loader(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    releases = list(Release.objects.all())
    assert {r.status for r in releases} >= {Status.DRAFT, Status.PUBLISHED, Status.WITHDRAWN}
    assert_every_page_renders(client, releases)


def test_scheduler_transitions(client, tmp_path, time_machine):
    """publish_scheduled records a log entry without an actor ("Scheduler")."""
    from datetime import timedelta

    from django.utils import timezone

    release = with_contact(imported_by_command(tmp_path))
    arrange_state(release, Status.SCHEDULED, publish_at=timezone.now() + timedelta(hours=1))
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    call_command("publish_scheduled", stdout=io.StringIO())
    release.refresh_from_db()
    assert release.log_entries.filter(actor=None).exists()
    assert_every_page_renders(client, [release])
