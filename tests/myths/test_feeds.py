import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from myths.models import Release
from tests.factories import published_release
from tests.fixtures import pages_forget

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def releases():
    now = timezone.now()
    old = published_release(title="Old release", publish_at=now - timedelta(days=5))
    new = published_release(title="New release", publish_at=now - timedelta(days=1))
    return old, new


def test_atom_feed_lists_latest_first_from_the_revision(client, releases):
    _old, new = releases
    Release.objects.filter(pk=new.pk).update(title="Working copy title")
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["New release", "Old release"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(new.get_absolute_url())
    # The lede after the dateline, then the reference (issue 13), as the release opens.
    summary = entries[0].find(f"{ATOM}summary").text
    assert summary.endswith(f" — {new.lede} Ref. {new.reference}") and new.reference
    assert entries[0].find(f"{ATOM}updated").text


def test_rss_feed(client, releases):
    response = client.get("/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    items = root.findall("channel/item")
    assert [i.find("title").text for i in items] == ["New release", "Old release"]
    assert items[0].find("pubDate").text


def test_sitemap_lists_pages_releases_and_claims(client, releases, sitemap_locations):
    old, new = releases
    locations = sitemap_locations()
    assert any(loc.endswith(old.get_absolute_url()) for loc in locations)
    assert any(loc.endswith(new.get_absolute_url()) for loc in locations)
    claim = new.responses.first().claim
    assert any(loc.endswith(claim.get_absolute_url()) for loc in locations)
    assert any(loc.endswith("/contacts/") for loc in locations)


def test_feed_autodiscovery_links_on_pages(client, releases):
    html = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in html and 'href="/feed/"' in html
    assert 'type="application/rss+xml"' in html and 'href="/feed/rss/"' in html


# --- A feed kept per version of what it lists ---------------------------------------------------


@pytest.mark.parametrize("url", ["/feed/", "/feed/rss/", "/feed/?language=fr"])
def test_a_feed_kept_by_version_is_the_feed_rendered_and_costs_its_one_query(
    client, releases, url, django_assert_num_queries
):
    first = client.get(url)
    pages_forget()
    with django_assert_num_queries(2):  # the public state, the releases
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    # Not stored by the page cache (a query string it does not know): the feed's own header.
    plain = client.get(f"{url}{'&' if '?' in url else '?'}x=1")
    assert plain.content == first.content


def test_anything_an_entry_holds_makes_another_feed(client, releases):
    from myths.models import ReleaseNotice, Revision

    old, _new = releases
    first = client.get("/feed/").content
    # A value the feed prints, changed behind the workflow's back: a new version all the same.
    Release.objects.filter(pk=old.pk).update(reference="PR/1999/042")
    pages_forget()
    changed = client.get("/feed/").content
    assert changed != first and b"PR/1999/042" in changed
    # A notice published with the release's revision: its entry is marked revised.
    revision = Revision.objects.get(pk=Release.objects.get(pk=old.pk).live_revision_id)
    ReleaseNotice.objects.create(
        release=old,
        revision=revision,
        kind=ReleaseNotice.Kind.CORRECTION,
        note="The date was wrong.",
        published_at=timezone.now(),
    )
    pages_forget()
    assert b"The date was wrong." in client.get("/feed/").content


def test_a_publication_lists_the_new_release_at_once(client, releases):
    client.get("/feed/")
    published_release(title="Newest release")
    assert b"Newest release" in client.get("/feed/").content


def test_a_feed_rendered_afresh_costs_its_one_query_and_keys_the_date_of_issue(
    client, releases, django_assert_num_queries
):
    """The release columns an entry prints are read with it (FEED_RELEASE_FIELDS): none is
    loaded one entry at a time, and each is in the kept body's key."""
    from datetime import date

    from core.page_cache import recent_skeletons

    old, _new = releases
    client.get("/feed/")
    pages_forget()
    recent_skeletons.clear()
    Release.objects.filter(pk=old.pk).update(issued_on=date(2017, 3, 12))
    with django_assert_num_queries(2):  # the public state, the releases with their offices
        body = client.get("/feed/").content
    assert b"12 March 2017" in body
    # Printed from a column of the release's row: changed, it makes another body.
    Release.objects.filter(pk=old.pk).update(issued_on=date(2018, 4, 2))
    pages_forget()
    assert b"2 April 2018" in client.get("/feed/").content


def test_an_entry_shows_the_place_its_published_revision_records(client, releases):
    from myths.models import Revision

    old, _new = releases
    revision = Revision.objects.get(pk=Release.objects.get(pk=old.pk).live_revision_id)
    revision.content = {**revision.content, "dateline_place": "GHENT"}
    revision.save(update_fields=["content"])
    Release.objects.filter(pk=old.pk).update(dateline_place="WORKING COPY")
    pages_forget()
    body = client.get("/feed/").content.decode()
    assert "GHENT, " in body and "WORKING COPY" not in body
