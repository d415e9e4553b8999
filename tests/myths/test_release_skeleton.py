"""The release page's skeleton (core/page_cache.py, myths/public/views.py ReleaseDetailView): a
page filled from it is the page rendered in full, it changes with every part of the release's
version, and its slots cannot be forged by content."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone, translation

from contacts.models import PressOffice
from core.page_cache import (
    recent_pages,
    recent_skeletons,
    skeleton_fill,
    skeleton_get,
    skeleton_mark,
)
from core.public_state import public_state_forget
from myths.models import Release
from myths.public.views import (
    ReleaseDetailView,
    claim_slot_version,
    public_releases,
    skeleton_version,
)
from tests.factories import published_release
from tests.fixtures import pages_forget

pytestmark = pytest.mark.django_db


def rendered_in_full(release: Release, url: str, language: str) -> str:
    """The page at `url` as the template renders it with every part in place (no skeleton)."""
    request = RequestFactory().get(url)
    request.resolver_match = resolve(url)
    view = ReleaseDetailView(request=request, kwargs={"slug": release.slug})
    with translation.override(language):
        request.LANGUAGE_CODE = language
        view.object = view.get_object()
        # The neighbours read the plain way, from the whole archive in order (the view reads
        # them with its language versions in one query: ReleaseQuerySet.page_rows).
        ordered = list(public_releases().newest_first())
        at = [r.pk for r in ordered].index(view.object.pk)
        following = ordered[at - 1] if at > 0 else None
        previous = ordered[at + 1] if at + 1 < len(ordered) else None
        context = view.get_context_data(
            object=view.object,
            translations=view.translations,
            previous_release=previous,
            next_release=following,
            preview=None,
        )
        return render_to_string(view.template_name, context, request)


@pytest.fixture
def family():
    """An English release between two others, with a French translation."""
    older = published_release(title="Older harbour note", publish_at=timezone.now() - timedelta(3))
    original = published_release(
        responses=2, title="Harbour facts", publish_at=timezone.now() - timedelta(2)
    )
    published_release(
        title="Faits du port",
        language="fr",
        translation_of=original,
        publish_at=timezone.now() - timedelta(1),
    )
    newer = published_release(title="Newer harbour note")
    return older, original, newer


@pytest.mark.parametrize("reader", ["en", "fr", "uk"])
def test_a_page_filled_from_its_skeleton_is_the_page_rendered_in_full(client, family, reader):
    _older, original, _newer = family
    url = f"/{reader}{original.get_absolute_url()}" if reader != "en" else None
    url = url or original.get_absolute_url()
    first = client.get(url, HTTP_ACCEPT_LANGUAGE=reader)  # renders and stores the skeleton
    pages_forget()
    filled = client.get(url, HTTP_ACCEPT_LANGUAGE=reader)
    assert first.status_code == filled.status_code == 200
    original = Release.objects.published().get(pk=original.pk)
    expected = rendered_in_full(original, url, reader)
    assert filled.content.decode() == first.content.decode() == expected
    html = filled.content.decode()
    for part in ("Faits du port", "Older harbour note", 'hreflang="fr"', 'rel="next"'):
        assert part in html, part
    assert "pressdesk-slot" not in html


def test_the_skeleton_outlives_a_publication_and_follows_the_neighbours(client, family):
    _older, original, newer = family
    client.get(original.get_absolute_url())
    stored = len(recent_skeletons._entries)
    published_release(title="Latest harbour note")  # a new generation
    html = client.get(newer.get_absolute_url()).content.decode()
    assert "Latest harbour note" in html  # newer's neighbour, through its slot
    html = client.get(original.get_absolute_url()).content.decode()
    assert "Latest harbour note" not in html and "Older harbour note" in html
    assert len(recent_skeletons._entries) == stored + 1  # newer's; original's was reused


def test_an_office_change_makes_another_skeleton(client, family):
    _older, original, _newer = family
    office = Release.objects.get(pk=original.pk).office
    assert "Verdict:" not in client.get(original.get_absolute_url()).content.decode()
    PressOffice.objects.filter(pk=office.pk).update(verdict_style=PressOffice.VerdictStyle.GRADED)
    pages_forget()
    html = client.get(original.get_absolute_url()).content.decode()
    # The letterhead is the office its revision recorded; the verdicts follow the office now.
    assert "Verdict:" in html and '<h3 class="fact-label">Fact</h3>' not in html


def test_every_part_of_the_version_is_in_its_key(family):
    _older, original, _newer = family
    release = Release.objects.published().with_public_notice().get(pk=original.pk)
    key = skeleton_version(release)
    with translation.override("fr"):
        assert skeleton_version(release) != key
    for field, value in [
        ("public_revision_id", release.public_revision_id + 1),
        ("public_modified", timezone.now()),
        ("reference", "PR/1999/999"),
        ("issued_on", (timezone.now() - timedelta(days=400)).date()),
        ("slug", "another-slug"),
    ]:
        changed = Release.objects.published().with_public_notice().get(pk=original.pk)
        setattr(changed, field, value)
        assert skeleton_version(changed) != key, field


def test_a_marker_in_content_stays_text(client):
    forged = "<!--pressdesk-slot 0123456789abcdef myths/includes/release_prev_next.html en-->"
    release = published_release(title="Harbour " + forged)
    html = client.get(release.get_absolute_url()).content.decode()
    assert forged not in html and "&lt;!--pressdesk-slot" in html
    # A marker of another token is text to the filler, never a template to render.
    body = f"<p>{forged}</p>{skeleton_mark('includes/next_path.html')}"
    filled = skeleton_fill(body, {"request": RequestFactory().get("/x/?y=1")})
    assert filled == f'<p>{forged}</p><input name="next" type="hidden" value="/x/?y=1">'


def test_the_skeleton_is_shared_through_the_cache(client, family):
    """Another worker (its own memory empty) fills the page from the shared cache."""
    _older, original, _newer = family
    client.get(original.get_absolute_url())
    (key,) = [key for key in recent_skeletons._entries]
    recent_skeletons.clear()
    recent_pages.clear()
    public_state_forget()
    cached = cache.get(key)
    assert cached and "pressdesk-slot" in cached["body"]
    release = Release.objects.published().with_public_notice().select_related("office")
    release = release.get(pk=original.pk)
    assert skeleton_get(skeleton_version(release)) == cached["body"]


# --- The claim page --------------------------------------------------------------------------


def test_a_claim_page_filled_from_its_skeleton_is_the_page_rendered_in_full(
    client, django_assert_num_queries
):
    from myths.models import RegisterEntry
    from tests.factories import ClaimFactory, ResponseFactory, arrange_state, release_with_content

    claim = ClaimFactory(wording="The harbour will be drained")
    for n in range(2):
        release = release_with_content(responses=1, title=f"Harbour release {n}")
        ResponseFactory(release=release, claim=claim, position=2)
        arrange_state(release, Release.Status.PUBLISHED)
    url = RegisterEntry.objects.current().get(claim=claim).get_absolute_url()
    first = client.get(url).content.decode()
    # A publication that does not answer the claim: the page's version is unchanged.
    published_release(title="Unrelated note")
    pages_forget()
    with django_assert_num_queries(3):  # the public state, the entry, the answering releases
        filled = client.get(url).content.decode()
    assert filled == first
    assert "Harbour release 0" in filled and "Harbour release 1" in filled
    # A new release answering it: listed at once, through the slot.
    release = release_with_content(responses=1, title="Harbour release 2")
    ResponseFactory(release=release, claim=claim, position=2)
    arrange_state(release, Release.Status.PUBLISHED)
    pages_forget()
    assert "Harbour release 2" in client.get(url).content.decode()


def test_the_claim_pages_slot_is_rendered_once_per_version(client):
    from django.test.signals import template_rendered

    from myths.models import RegisterEntry
    from tests.factories import ClaimFactory, ResponseFactory, arrange_state, release_with_content

    claim = ClaimFactory(wording="The lighthouse will be sold")
    release = release_with_content(responses=1, title="Lighthouse release")
    ResponseFactory(release=release, claim=claim, position=2)
    arrange_state(release, Release.Status.PUBLISHED)
    url = RegisterEntry.objects.current().get(claim=claim).get_absolute_url()
    rendered = []

    def seen(sender, template, **kwargs):
        if template.name.endswith("claim_releases.html"):
            rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        first = client.get(url).content.decode()
        assert "myths/includes/claim_releases.html" in rendered
        # Another publication makes the page cold; what the slot shows is unchanged.
        published_release(title="Unrelated note")
        pages_forget()
        rendered.clear()
        assert client.get(url).content.decode() == first
        assert rendered == []
        # The answering release's address changes: the slot is rendered again.
        Release.objects.filter(pk=release.pk).update(slug="lighthouse-release-moved")
        pages_forget()
        page = client.get(url).content.decode()
        assert rendered == ["myths/includes/claim_releases.html"]
        assert "/releases/lighthouse-release-moved/" in page
    finally:
        template_rendered.disconnect(seen)
    # The dates it prints are written in the active time zone, which is part of its version.
    releases = list(public_releases())
    with timezone.override("Asia/Tokyo"):
        in_tokyo = claim_slot_version(releases)
    assert in_tokyo != claim_slot_version(releases)
