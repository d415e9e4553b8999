"""What readers see of a corrected release: the dated notice at the top of the page and the history
near its end, the feed entry's `updated` date and marker, `dateModified` and `correction` in the
structured data, and the sitemap's `lastmod` — all from the notices published up to the public
revision, never a scheduled one before its time."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import public_generation
from core.page_cache import recent_fragments, recent_pages, recent_skeletons
from core.public_state import public_state_forget
from myths import workflow
from myths.models import Release, ReleaseNotice
from tests.factories import UserFactory, arrange_state, release_with_content

pytestmark = pytest.mark.django_db
Status = Release.Status
Kind = ReleaseNotice.Kind
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def correct(release, *, title, kind=Kind.CORRECTION, note=""):
    """A new version of a published release, published now with a notice."""
    Release.objects.filter(pk=release.pk).update(title=title)
    return arrange_state(release, Status.PUBLISHED, notice_kind=kind, notice_note=note)


@pytest.fixture
def corrected(time_machine):
    """Published on 1 March 2017, corrected on 3 April, clarified on 5 April (Brussels time)."""
    time_machine.move_to("2017-03-01 09:00:00+01:00", tick=False)
    release = arrange_state(release_with_content(title="The port closed"), Status.PUBLISHED)
    time_machine.move_to("2017-04-03 11:00:00+02:00", tick=False)
    correct(release, title="The port stayed open", note="The port never closed.")
    time_machine.move_to("2017-04-05 11:00:00+02:00", tick=False)
    correct(
        release,
        title="The port stayed open all winter",
        kind=Kind.CLARIFICATION,
        note="The period is now given.",
    )
    return release


def page(client, release) -> str:
    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- The page ------------------------------------------------------------------------------------


def test_the_latest_notice_is_dated_at_the_top(client, corrected):
    html = page(client, corrected)
    top = html.split("<article")[1].split('class="lede"')[0]
    assert "Clarified on 5 April 2017: The period is now given." in text(top)
    assert "The port never closed." not in top
    assert 'href="#notices"' in top  # more than one: the history is linked


def test_the_history_lists_every_public_notice_newest_first(client, corrected):
    html = page(client, corrected)
    history = html.split('id="notices"')[1].split("</section>")[0]
    assert text(history).index("5 April 2017") < text(history).index("3 April 2017")
    assert "Clarification. The period is now given." in text(history)
    assert "Correction. The port never closed." in text(history)
    assert '<time datetime="2017-04-03T' in history


def test_a_typography_fix_shows_nothing(client, corrected, time_machine):
    time_machine.move_to("2017-04-07 11:00:00+02:00", tick=False)
    correct(corrected, title="The port stayed open all winter!", kind=Kind.TYPOGRAPHY)
    html = page(client, corrected)
    assert "Clarified on 5 April 2017" in text(html)
    assert "7 April 2017" not in html
    assert html.count('class="notice-entry notice-entry--') == 2


def test_a_release_never_corrected_has_no_notice(client):
    release = arrange_state(release_with_content(), Status.PUBLISHED)
    html = page(client, release)
    assert "release-notice" not in html and 'id="notices"' not in html


def test_the_notice_speaks_the_releases_language(client, time_machine):
    time_machine.move_to("2017-03-01 09:00:00+01:00", tick=False)
    release = arrange_state(release_with_content(language="ru"), Status.PUBLISHED)
    time_machine.move_to("2017-04-03 11:00:00+02:00", tick=False)
    correct(release, title="Порт не закрывался", note="Порт не закрывался ни на день.")
    html = text(page(client, release))
    assert "Исправлено 3 апреля 2017: Порт не закрывался ни на день." in html
    assert "Исправления и уточнения" in html


def test_a_scheduled_correction_shows_only_from_its_time(client, corrected, time_machine):
    Release.objects.filter(pk=corrected.pk).update(
        title="The port stayed open all year", publish_at=timezone.now() + timedelta(days=1)
    )
    arrange_state(
        corrected,
        Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(days=1),
        notice_note="The whole year, not the winter.",
    )
    assert "The whole year" not in page(client, corrected)
    time_machine.move_to(timezone.now() + timedelta(days=1, minutes=1), tick=False)
    html = text(page(client, corrected))  # no cron job ran: the page turns by itself
    assert "Corrected on 6 April 2017: The whole year, not the winter." in html


def test_a_correction_empties_the_page_cache(client, corrected, django_capture_on_commit_callbacks):
    assert "all year" not in page(client, corrected)  # cached now
    generation = public_generation()
    Release.objects.filter(pk=corrected.pk).update(title="The port stayed open all year")
    with django_capture_on_commit_callbacks(execute=True):
        arrange_state(corrected, Status.PUBLISHED, notice_note="The whole year.")
    assert public_generation() != generation
    assert "The whole year." in page(client, corrected)


def all_caches_cold():
    """The shared page cache, this process's copy of pages and skeletons, and its public
    generation read."""
    cache.clear()
    recent_pages.clear()
    recent_skeletons.clear()
    recent_fragments.clear()
    public_state_forget()


def test_the_page_reads_notices_in_one_query(client, corrected, django_assert_max_num_queries):
    # One more than a page never corrected (tests/myths/test_views.py allows that one 7).
    with django_assert_max_num_queries(8):
        page(client, corrected)
    all_caches_cold()
    with CaptureQueriesContext(connection) as two_notices:
        page(client, corrected)
    for n in range(3):
        correct(corrected, title=f"The port stayed open ({n})", note=f"Note {n}.")
    all_caches_cold()
    with django_assert_max_num_queries(len(two_notices.captured_queries)):
        assert page(client, corrected).count('class="notice-entry notice-entry--') == 5


# --- Feeds -------------------------------------------------------------------------------------


def atom_entry(client, release):
    root = ET.fromstring(client.get("/feed/").content)  # noqa: S314 - our own output
    for entry in root.findall(f"{ATOM}entry"):
        if entry.find(f"{ATOM}link").get("href").endswith(release.get_absolute_url()):
            return entry
    raise AssertionError("not in the feed")


def test_the_atom_entry_is_updated_and_marked(client, corrected):
    entry = atom_entry(client, corrected)
    updated = datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    published = datetime.fromisoformat(entry.find(f"{ATOM}published").text)
    assert updated == ReleaseNotice.objects.public().first().published_at
    assert published < updated
    assert updated.date().isoformat() == "2017-04-05"
    assert entry.find(f"{ATOM}category").get("term") == "clarification"
    summary = entry.find(f"{ATOM}summary").text
    assert summary.startswith("Clarified on 5 April 2017: The period is now given.")
    assert corrected.lede in summary


def test_an_entry_never_corrected_is_updated_when_published(client):
    release = arrange_state(release_with_content(), Status.PUBLISHED)
    entry = atom_entry(client, release)
    assert entry.find(f"{ATOM}updated").text == entry.find(f"{ATOM}published").text
    assert entry.find(f"{ATOM}category") is None
    # The dateline, the lede and the reference (issue 13), with no notice before them.
    summary = entry.find(f"{ATOM}summary").text
    assert summary.endswith(f"{release.lede} Ref. {release.reference}")
    assert "Corrected" not in summary and "Clarified" not in summary


def test_the_rss_item_is_marked(client, corrected):
    root = ET.fromstring(client.get("/feed/rss/").content)  # noqa: S314 - our own output
    (item,) = root.findall("channel/item")
    assert item.find("category").text == "clarification"
    assert item.find("description").text.startswith("Clarified on 5 April 2017:")


def test_a_scheduled_correction_is_not_in_the_feed_before_its_time(client, corrected):
    Release.objects.filter(pk=corrected.pk).update(title="The port stayed open all year")
    arrange_state(corrected, Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=1))
    entry = atom_entry(client, corrected)
    assert entry.find(f"{ATOM}updated").text.startswith("2017-04-05")


# --- Structured data ---------------------------------------------------------------------------


def json_ld(html: str) -> list[dict]:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_json_ld_says_when_and_what_was_corrected(client, corrected):
    graph = json_ld(page(client, corrected))
    notices = list(ReleaseNotice.objects.public())
    assert [item["@type"] for item in graph][:1] == ["NewsArticle"]
    for item in graph:  # the article and each ClaimReview
        assert item["dateModified"] == notices[0].published_at.isoformat()
        assert item["dateModified"] > item["datePublished"]
        assert item["correction"] == [
            {
                "@type": "CorrectionComment",
                "text": "The port never closed.",
                "datePublished": notices[1].published_at.isoformat(),
            }
        ]


def test_json_ld_of_a_release_never_corrected_has_neither(client):
    release = arrange_state(release_with_content(), Status.PUBLISHED)
    for item in json_ld(page(client, release)):
        assert "dateModified" not in item and "correction" not in item


# --- Sitemap -----------------------------------------------------------------------------------


def release_lastmods(client) -> dict[str, str]:
    """Each address of the sitemap (or of the sitemaps its index lists) with its lastmod."""
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own output
    documents = [root]
    for location in root.iter(f"{SITEMAP}sitemap"):
        path = re.sub(r"^https?://[^/]+", "", location.find(f"{SITEMAP}loc").text)
        documents.append(ET.fromstring(client.get(path).content))  # noqa: S314
    found = {}
    for document in documents:
        for url in document.iter(f"{SITEMAP}url"):
            lastmod = url.find(f"{SITEMAP}lastmod")
            found[url.find(f"{SITEMAP}loc").text] = lastmod.text if lastmod is not None else ""
    return found


def test_sitemap_lastmod_is_the_latest_public_notice(client, corrected, time_machine):
    other = arrange_state(release_with_content(), Status.PUBLISHED)  # on 5 April, not corrected
    Release.objects.filter(pk=corrected.pk).update(title="The port stayed open all year")
    arrange_state(corrected, Status.SCHEDULED, publish_at=timezone.now() + timedelta(days=3))
    lastmods = release_lastmods(client)
    mine = next(v for k, v in lastmods.items() if k.endswith(corrected.get_absolute_url()))
    assert mine.startswith("2017-04-05")  # the clarification; the scheduled one is not public
    theirs = next(v for k, v in lastmods.items() if k.endswith(other.get_absolute_url()))
    assert theirs.startswith("2017-04-05")
    time_machine.move_to(timezone.now() + timedelta(days=3, minutes=1), tick=False)
    workflow.publish_due()
    lastmods = release_lastmods(client)
    mine = next(v for k, v in lastmods.items() if k.endswith(corrected.get_absolute_url()))
    assert mine.startswith("2017-04-08")


def test_withdrawn_notices_stay_in_the_history(client, corrected):
    publisher = UserFactory(role="publisher")
    workflow.release_withdraw(release=corrected, actor=publisher, comment="Checking.")
    workflow.release_reopen(release=corrected, actor=publisher)
    arrange_state(corrected, Status.PUBLISHED)  # the same text again: no new notice
    assert ReleaseNotice.objects.count() == 2
    assert "Clarified on 5 April 2017" in text(page(client, corrected))
