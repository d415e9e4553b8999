"""Issue 13, identity: reference numbers and the date of issue, given by the workflow on first
publication; back-dating by a publisher; the office on the release page; reference search."""

import json
import re
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from contacts.models import PressOffice, ReferenceCounter
from myths import workflow
from myths.models import Release, WorkflowLogEntry
from myths.public.search import search_releases
from tests.factories import UserFactory, arrange_state
from tests.factories.content import release_with_content
from tests.factories.users import ensure_roles

Status = Release.Status
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def office(db):
    """The default office the migration made, given a place, a zone and a pattern."""
    office = PressOffice.objects.default()
    office.name = "Ministry of Canals – Press Office"
    office.dateline_place = "BRUSSELS"
    office.time_zone = "Europe/Brussels"
    office.reference_pattern = "PR/{year}/{seq:03}"
    office.about = "The Ministry of Canals keeps the waterways open."
    office.save()
    return office


def approved(**kwargs):
    return arrange_state(release_with_content(responses=1, **kwargs), Status.APPROVED)


# --- Reference numbers ---------------------------------------------------------------------------


def test_first_publication_gives_the_offices_next_reference(office, publisher, time_machine):
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    first, second = approved(), approved()
    workflow.release_publish(release=first, actor=publisher)
    workflow.release_publish(release=second, actor=publisher)
    assert (first.reference, second.reference) == ("PR/2026/001", "PR/2026/002")
    assert ReferenceCounter.objects.get(office=office, scope="2026").last == 2


def test_a_republication_keeps_the_reference(office, writer, publisher):
    release = arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    reference = release.reference
    release.title = "A new title"
    release.save()
    arrange_state(release, Status.PUBLISHED, author=writer)
    release.refresh_from_db()
    assert release.reference == reference
    assert ReferenceCounter.objects.get(office=office).last == 1


def test_a_withdrawn_releases_number_is_never_given_again(office, publisher):
    withdrawn = arrange_state(release_with_content(responses=1), Status.WITHDRAWN)
    assert withdrawn.reference.endswith("/001")
    later = approved()
    workflow.release_publish(release=later, actor=publisher)
    assert later.reference.endswith("/002")
    # Reopened, reviewed and published again, it keeps its own number.
    workflow.release_reopen(release=withdrawn, actor=publisher)
    arrange_state(withdrawn, Status.PUBLISHED)
    withdrawn.refresh_from_db()
    assert withdrawn.reference.endswith("/001")


def test_scheduling_gives_the_reference_the_embargoed_copy_carries(office, publisher):
    release = approved()
    Release.objects.filter(pk=release.pk).update(publish_at=timezone.now() + timedelta(days=2))
    release.refresh_from_db()
    workflow.release_publish(release=release, actor=publisher)
    assert release.status == Status.SCHEDULED
    assert release.reference.endswith("/001")
    # Not issued yet: the date comes when it goes public.
    assert release.issued_at is None and release.issued_on is None


def test_a_scheduled_release_is_issued_at_its_publish_time(office, time_machine):
    time_machine.move_to("2026-05-04 21:00:00+00:00", tick=False)
    publish_at = datetime(2026, 5, 4, 22, 30, tzinfo=ZoneInfo("UTC"))  # 5 May in Brussels
    release = arrange_state(
        release_with_content(responses=1), Status.SCHEDULED, publish_at=publish_at
    )
    reference = release.reference
    time_machine.move_to("2026-05-04 22:31:00+00:00", tick=False)
    workflow.publish_due()
    release.refresh_from_db()
    assert (release.status, release.reference) == (Status.PUBLISHED, reference)
    assert (release.issued_at, release.issued_on) == (publish_at, date(2026, 5, 5))


def test_a_pattern_without_a_year_counts_for_ever(office, publisher, time_machine):
    office.reference_pattern = "CANALS-{seq}"
    office.save()
    time_machine.move_to("2025-12-31 10:00:00+00:00", tick=False)
    old = approved()
    workflow.release_publish(release=old, actor=publisher)
    time_machine.move_to("2026-01-02 10:00:00+00:00", tick=False)
    new = approved()
    workflow.release_publish(release=new, actor=publisher)
    assert (old.reference, new.reference) == ("CANALS-1", "CANALS-2")


def test_a_number_another_release_holds_is_skipped(office, publisher, time_machine):
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    squatter = release_with_content(responses=1)
    Release.objects.filter(pk=squatter.pk).update(reference="PR/2026/001")
    release = approved()
    workflow.release_publish(release=release, actor=publisher)
    assert release.reference == "PR/2026/002"


def test_a_refused_publication_takes_no_number(office, publisher):
    release = approved()
    with pytest.raises(ValidationError) as refused:
        workflow.release_publish(
            release=release, actor=publisher, expected_version=release.version - 1
        )
    assert refused.value.code == "conflict"
    assert not ReferenceCounter.objects.filter(office=office, last__gt=0).exists()
    workflow.release_publish(release=release, actor=publisher)
    assert release.reference.endswith("/001")


@pytest.mark.django_db(transaction=True)
@pytest.mark.database("postgresql")  # twenty threads need twenty real connections to one database
def test_twenty_concurrent_first_publications_get_twenty_consecutive_numbers():
    ensure_roles()
    office = PressOffice.objects.default() or PressOffice.objects.create(
        name="Office", is_default=True
    )
    releases = [approved() for _ in range(20)]
    publishers = [UserFactory(role="publisher") for _ in range(20)]
    barrier = threading.Barrier(20)
    outcomes, errors = [], []

    def publish(release, user):
        try:
            copy = Release.objects.get(pk=release.pk)
            barrier.wait(timeout=30)
            workflow.release_publish(release=copy, actor=user)
            outcomes.append(copy.reference)
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(repr(error))
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=publish, args=pair)
        for pair in zip(releases, publishers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    year = timezone.localtime(timezone.now(), ZoneInfo(office.time_zone)).year
    # The race happened: all twenty waited at the barrier, then published at once.
    assert barrier.broken is False and len(outcomes) == 20
    stored = sorted(
        Release.objects.filter(pk__in=[r.pk for r in releases]).values_list("reference", flat=True)
    )
    assert sorted(outcomes) == stored
    assert stored == [office.reference_pattern.format(year=year, seq=n) for n in range(1, 21)]
    assert ReferenceCounter.objects.get(office=office, scope=str(year)).last == 20


# --- The date of issue ---------------------------------------------------------------------------


def test_first_publication_gives_the_day_in_the_offices_time_zone(office, publisher, time_machine):
    time_machine.move_to("2026-03-11 23:30:00+00:00", tick=False)  # 12 March in Brussels
    release = approved()
    workflow.release_publish(release=release, actor=publisher)
    assert release.issued_on == date(2026, 3, 12)
    assert release.issued_at == timezone.now() == release.first_published_at
    assert not release.log_entries.filter(back_dated=True).exists()


def test_an_imported_date_is_kept_and_logged_as_back_dated(office, publisher, time_machine):
    time_machine.move_to("2026-03-11 10:15:00+00:00", tick=False)
    release = approved(issued_on=date(2017, 3, 12))
    workflow.release_publish(release=release, actor=publisher)
    assert release.issued_on == date(2017, 3, 12)
    assert release.issued_at == datetime(2017, 3, 12, 11, 15, tzinfo=BRUSSELS)
    assert release.reference == "PR/2017/001"  # the year of issue
    entry = release.log_entries.get(back_dated=True)
    assert "Back-dated" in entry.comment and entry.actor == publisher


def test_a_publisher_back_dates_a_published_release(office, publisher, time_machine):
    time_machine.move_to("2026-03-11 10:15:00+00:00", tick=False)
    release = arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    entry = workflow.release_issued_set(
        release=release, actor=publisher, issued_on=date(2017, 3, 12), comment="Archive."
    )
    release.refresh_from_db()
    assert entry.back_dated and entry.actor == publisher and "Archive." in entry.comment
    assert release.issued_on == date(2017, 3, 12)
    # The time of day it went public, on the original date, in the office's zone.
    assert release.issued_at == datetime(2017, 3, 12, 11, 15, tzinfo=BRUSSELS)
    public = Release.objects.published().get(pk=release.pk)
    assert public.public_date == release.issued_at


@pytest.mark.parametrize("role", ["writer", "reviewer"])
def test_only_a_publisher_sets_the_date_of_issue(office, role):
    release = approved()
    with pytest.raises(ValidationError) as refused:
        workflow.release_issued_set(
            release=release, actor=UserFactory(role=role), issued_on=date(2017, 3, 12)
        )
    assert refused.value.code == "permission_denied"
    assert Release.objects.get(pk=release.pk).issued_on is None


def test_a_date_of_issue_in_the_future_is_refused(office, publisher):
    release = approved()
    with pytest.raises(ValidationError) as refused:
        workflow.release_issued_set(
            release=release, actor=publisher, issued_on=date.today() + timedelta(days=3)
        )
    assert refused.value.code == "issued_date"


def test_a_public_release_keeps_a_date_of_issue(office, publisher):
    release = arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    with pytest.raises(ValidationError) as refused:
        workflow.release_issued_set(release=release, actor=publisher, issued_on=None)
    assert refused.value.code == "issued_date"


def test_an_unchanged_save_after_publication_is_no_new_version(office, writer):
    """The workflow writes the date and the reference; neither is content a save changes."""
    release = arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    count = release.revisions.count()
    workflow.release_edit_saved(release=release, actor=writer)
    release.refresh_from_db()
    assert (release.status, release.revisions.count()) == (Status.PUBLISHED, count)


# --- The release page ----------------------------------------------------------------------------


def test_the_page_shows_letterhead_dateline_reference_notes_and_about(client, office, time_machine):
    time_machine.move_to("2026-03-12 09:00:00+00:00", tick=False)
    release = release_with_content(
        responses=1,
        lede="The canals stay open.",
        notes_to_editors="1. The **ministry** counts barges every day.",
        valid_as_of=date(2026, 3, 10),
    )
    release = arrange_state(release, Status.PUBLISHED)
    html = client.get(release.get_absolute_url()).text
    assert '<span class="letterhead-name">Ministry of Canals – Press Office</span>' in html
    assert '<span class="dateline">BRUSSELS, 12 March 2026 —</span> The canals stay open.' in html
    assert "<span data-reference>PR/2026/001</span>" in html
    assert "Facts and figures valid as of 10 March 2026." in html
    assert "<strong>ministry</strong> counts barges" in html
    assert "About Ministry of Canals – Press Office" in html
    assert "The Ministry of Canals keeps the waterways open." in html


def test_the_dateline_is_written_in_the_releases_language(client, office, time_machine):
    time_machine.move_to("2026-03-12 09:00:00+00:00", tick=False)
    release = arrange_state(
        release_with_content(responses=1, language="ru", lede="Каналы открыты."),
        Status.PUBLISHED,
    )
    html = client.get(release.get_absolute_url()).text
    assert '<span class="dateline">BRUSSELS, 12 марта 2026 —</span>' in html
    assert "№ <span data-reference>" in html


def test_the_page_shows_what_the_revision_recorded_of_the_office(client, office):
    release = arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    office.name = "Renamed after publication"
    office.save()
    html = client.get(release.get_absolute_url()).text
    assert "Ministry of Canals – Press Office" in html
    assert "Renamed after publication" not in html


def test_the_offices_logo_is_public_with_the_revision_that_shows_it(client, office):
    from django.core.files.base import ContentFile

    from tests.factories.images import png_bytes

    office.logo.save("canals.png", ContentFile(png_bytes()), save=True)
    draft = release_with_content(responses=1)
    arrange_state(draft, Status.DRAFT)
    logo_url = f"/media/{office.logo.name}"
    assert client.get(logo_url).status_code == 404  # no public revision shows it yet
    release = arrange_state(draft, Status.PUBLISHED)
    html = client.get(release.get_absolute_url()).text
    assert f'src="{logo_url}"' in html
    assert client.get(logo_url).status_code == 200


# --- Search ---------------------------------------------------------------------------------------


def test_a_reference_finds_its_release(office, time_machine):
    time_machine.move_to("2026-03-12 09:00:00+00:00", tick=False)
    wanted = arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    found = search_releases(Release.objects.published(), "pr/2026/001")
    assert [r.pk for r in found] == [wanted.pk]
    hidden = approved()
    Release.objects.filter(pk=hidden.pk).update(reference="PR/2026/099")
    assert list(search_releases(Release.objects.published(), "PR/2026/099")) == []


def test_the_search_page_finds_a_reference(client, office, time_machine):
    time_machine.move_to("2026-03-12 09:00:00+00:00", tick=False)
    release = arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    html = client.get(reverse("myths:release-list"), {"q": release.reference}).text
    assert release.get_absolute_url() in html


# --- Structured data and feeds agree with the page ------------------------------------------------


def json_ld_of(html: str) -> list[dict]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_a_back_dated_release_shows_one_date_everywhere(client, office, publisher, time_machine):
    time_machine.move_to("2026-03-11 10:15:00+00:00", tick=False)
    release = arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    workflow.release_issued_set(release=release, actor=publisher, issued_on=date(2017, 3, 12))
    html = client.get(release.get_absolute_url()).text
    assert "BRUSSELS, 12 March 2017 —" in html
    article = json_ld_of(html)[0]
    assert article["datePublished"] == "2017-03-12T11:15:00+01:00"
    assert article["dateline"] == "BRUSSELS, 12 March 2017"
    assert article["identifier"] == release.reference
    assert article["publisher"]["name"] == "Ministry of Canals – Press Office"
    atom = client.get(reverse("myths:feed-atom")).text
    assert "<published>2017-03-12T10:15:00+00:00</published>" in atom
    sitemap = client.get("/sitemap-releases.xml").text
    assert "<lastmod>2017-03-12</lastmod>" in sitemap


def test_the_log_marks_a_back_dated_release(office, publisher):
    release = arrange_state(release_with_content(responses=1), Status.PUBLISHED)
    workflow.release_issued_set(release=release, actor=publisher, issued_on=date(2017, 3, 12))
    assert WorkflowLogEntry.objects.filter(release=release, back_dated=True).count() == 1
