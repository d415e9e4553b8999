import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from myths.models import Release
from tests.factories import published_release

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
