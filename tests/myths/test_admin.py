"""The editing admin renders for each role that may use it, and refuses those that may not."""

import pytest
from django.urls import reverse

from tests.factories import PressContactFactory, release_with_content

pytestmark = pytest.mark.django_db
ROLES = ["writer", "reviewer", "publisher"]


@pytest.fixture
def release():
    return release_with_content(responses=2)


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_release_pages_render_for_every_editorial_role(client, role, release, login):
    login(client, role)
    for url in [
        reverse("admin:myths_release_changelist"),
        reverse("admin:myths_release_add"),
        reverse("admin:myths_release_change", args=[release.pk]),
        reverse("admin:myths_response_change", args=[release.responses.first().pk]),
        reverse("admin:myths_claim_add"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("admin:myths_release_change", args=[release.pk])).content.decode()
    assert release.title in page
    assert "markdownx" in page  # the live-preview editor is on the response fields


def test_anonymous_is_sent_to_login(client, release):
    response = client.get(reverse("admin:myths_release_change", args=[release.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_a_role_cannot_open_releases(client, release, login):
    login(client, "nobody")
    assert client.get(reverse("admin:myths_release_changelist")).status_code == 403
    assert client.get(reverse("admin:myths_release_add")).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("writer", 403), ("publisher", 200)])
def test_only_publishers_edit_contacts(client, role, status, login):
    login(client, role)
    contact = PressContactFactory()
    assert client.get(reverse("admin:contacts_presscontact_add")).status_code == status
    assert (
        client.get(reverse("admin:contacts_presscontact_change", args=[contact.pk])).status_code
        == 200  # everyone may read the contact details they print
    )


def test_new_release_offers_the_default_contact(client, login):
    default = PressContactFactory(is_default=True)
    login(client, "writer")
    response = client.get(reverse("admin:myths_release_add"))
    assert response.context["adminform"].form.initial["contact"] == default.pk


def test_contact_form_shows_clear_errors(client, login):
    login(client, "publisher")
    response = client.post(
        reverse("admin:contacts_presscontact_add"),
        {
            "organisation": "Ministry",
            "section": "Press",
            "phone": "call us maybe",
            "email": "nope",
            "website": "javascript:alert(1)",
            "social_handles-TOTAL_FORMS": "1",
            "social_handles-INITIAL_FORMS": "0",
            "social_handles-0-network": "x",
            "social_handles-0-handle": "no at sign",
            "social_handles-0-position": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"phone", "email", "website"}
    assert "Enter a phone number" in str(errors["phone"])
    assert "Enter a handle" in response.content.decode()


def test_change_form_and_revision_list_offer_each_revisions_pdf(client, login):
    from myths import workflow

    writer = login(client, "writer")
    release = release_with_content(responses=1)
    revision = workflow.release_edit_saved(release=release, actor=writer)
    pdf_url = reverse("myths:revision-pdf", kwargs={"pk": revision.pk})
    for page in (
        reverse("admin:myths_release_change", args=[release.pk]),
        reverse("admin:myths_release_revisions", args=[release.pk]),
    ):
        assert f'href="{pdf_url}"' in client.get(page).content.decode(), page
