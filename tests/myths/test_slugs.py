"""Slugs: Latin letters for any script, never empty nor a placeholder; a release's former slug
(changed before first publication) redirects; editors may edit the slug until publication."""

import pytest
from django.urls import reverse

from core.slugs import latin_slug, unique_slug
from myths.models import Claim, Release, Topic
from tests.factories import (
    ClaimFactory,
    ReleaseFactory,
    arrange_state,
    release_with_content,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Выборы в Украине", "vybory-v-ukraine"),
        ("Вибори в Україні: їжак", "vibori-v-ukraini-izhak"),
        ("Élections à Paris", "elections-a-paris"),
        ("Straße über Öl", "strasse-uber-ol"),
        ("¿Qué pasa en España?", "que-pasa-en-espana"),
        ("Five myths about the harbour", "five-myths-about-the-harbour"),
    ],
)
def test_latin_slug_transliterates_every_script(text, slug):
    assert latin_slug(text) == slug


def test_russian_release_and_claim_get_latin_slugs():
    release = ReleaseFactory(title="Пять мифов о выборах", language="ru")
    claim = ClaimFactory(wording="Выборы были сфальсифицированы")
    topic = Topic.objects.create(name="Оборона")
    assert release.slug == "pyat-mifov-o-vyborakh"
    assert claim.slug == "vybory-byli-sfalsifitsirovany"
    assert topic.slug == "oborona"


def test_same_title_in_cyrillic_gets_numbered_not_a_placeholder():
    first = ReleaseFactory(title="Мифы")
    second = ReleaseFactory(title="Мифы")
    assert (first.slug, second.slug) == ("mify", "mify-2")


def test_title_with_nothing_to_transliterate_falls_back_to_the_lede_then_a_digest():
    from_lede = ReleaseFactory(title="!!! ???", lede="Правда о воде")
    assert from_lede.slug == "pravda-o-vode"
    nothing = ReleaseFactory(title="—", lede="")
    assert nothing.slug.startswith("release-") and len(nothing.slug) > len("release-")
    assert "item" not in nothing.slug


def test_unique_slug_never_returns_empty_or_item():
    claim = Claim(wording="…")
    slug = unique_slug(claim, "…")
    assert slug and slug != "item" and slug.startswith("claim-")


def _published(title, **kwargs):
    return arrange_state(release_with_content(title=title, **kwargs), Release.Status.PUBLISHED)


@pytest.mark.postgres
def test_slug_changed_before_first_publication_redirects_to_the_current_one(client):
    release = release_with_content(title="Мифы о воде", language="ru")
    arrange_state(release, Release.Status.DRAFT)  # revision 1 records "mify-o-vode"
    Release.objects.filter(pk=release.pk).update(slug="voda-mify")
    release.refresh_from_db()
    arrange_state(release, Release.Status.PUBLISHED)

    page = client.get("/releases/mify-o-vode/")
    assert page.status_code == 301
    assert page["Location"] == reverse("myths:release-detail", args=["voda-mify"])
    pdf = client.get("/releases/mify-o-vode/pdf/")
    assert pdf.status_code == 301
    assert pdf["Location"] == reverse("myths:release-pdf", args=["voda-mify"])
    assert client.get("/releases/voda-mify/").status_code == 200


@pytest.mark.postgres
def test_slug_only_a_later_draft_recorded_is_not_revealed(client):
    release = _published("Harbour facts")
    # An unpublished later revision records another slug (as restore or a direct edit could).
    Release.objects.filter(pk=release.pk).update(slug="secret-new-name")
    release.refresh_from_db()
    arrange_state(release, Release.Status.DRAFT)
    Release.objects.filter(pk=release.pk).update(slug="harbour-facts")
    assert client.get("/releases/secret-new-name/").status_code == 404
    assert client.get("/releases/no-such-release/").status_code == 404


def test_unpublished_release_former_slug_is_a_404(client):
    release = release_with_content(title="Draft facts")
    arrange_state(release, Release.Status.DRAFT)
    Release.objects.filter(pk=release.pk).update(slug="draft-renamed")
    assert client.get("/releases/draft-facts/").status_code == 404


def test_claim_slug_renamed_after_publication_redirects(client):
    release = _published("Harbour facts", responses=1)
    claim = release.responses.get().claim
    old = claim.slug
    claim.slug = "novoe-imia"
    claim.save()
    arrange_state(release, Release.Status.PUBLISHED)
    response = client.get(reverse("myths:claim-detail", args=[old]))
    assert response.status_code == 301
    assert response["Location"] == reverse("myths:claim-detail", args=["novoe-imia"])


class TestAdminSlugField:
    def test_editable_and_prepopulated_before_publication(self, client, login):
        login(client, "superuser")
        release = release_with_content(title="Мифы о воде")
        page = client.get(reverse("admin:myths_release_change", args=[release.pk]))
        assert page.status_code == 200
        assert 'name="slug"' in page.content.decode()
        assert "slug" in page.context["adminform"].form.fields
        assert page.context["prepopulated_fields"]

    def test_read_only_once_published(self, client, login):
        login(client, "superuser")
        release = _published("Water facts")
        page = client.get(reverse("admin:myths_release_change", args=[release.pk]))
        assert "slug" not in page.context["adminform"].form.fields


def test_an_imported_russian_release_has_latin_slugs_for_itself_and_its_claims():
    """Issue 11's finding: a Russian import got the slugs item, item-2, …"""
    from myths.importing import release_import

    text = (
        "Пять мифов о выборах\n\n"
        "Вокруг выборов ходит много слухов. Вот факты.\n\n"
        "Миф 1: Выборы были сфальсифицированы\n\n"
        "Наблюдатели не нашли нарушений.\n\n"
        "Миф 2: Бюллетени печатали за границей\n\n"
        "Бюллетени напечатаны в стране.\n"
    )
    result = release_import(text_or_bytes=text.encode(), author=None)
    release = result.release
    assert release.language == "ru"
    assert release.slug == "pyat-mifov-o-vyborakh"
    slugs = [claim.slug for claim, _created in result.claims]
    assert slugs == ["vybory-byli-sfalsifitsirovany", "byulleteni-pechatali-za-granitsey"]
