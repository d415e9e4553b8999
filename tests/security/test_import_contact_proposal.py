"""Issue 9, item 6: a writer's import never creates a public contact.

A contact block that matches no accepted contact becomes a *proposal*: linked from the draft, but
not on /contacts/, without a vCard, and the release cannot be published until someone allowed to
add contacts accepts it (the admin action "Accept proposed contact").
"""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import PressContact
from contacts.services import contact_accept
from myths import workflow
from myths.importing import release_import
from myths.models import Release, Response
from tests.factories import PressContactFactory, UserFactory, arrange_state, release_with_content
from tests.factories.content import imported_release_fixed
from tests.factories.importing import import_through_preview
from tests.fixtures import RELEASE_EN

pytestmark = pytest.mark.django_db
EMAIL = "media@waterways.example"


def imported_by(client, login):
    """The writer imports the fixture through the admin's import page; returns the draft."""
    login(client, "writer")
    response = import_through_preview(client, data=RELEASE_EN.read_bytes(), name=RELEASE_EN.name)
    assert response.status_code == 302
    client.logout()
    return Release.objects.get()


def contacts_page(client):
    response = client.get(reverse("contacts:contact-list"))
    assert response.status_code == 200
    return response.content.decode()


def vcard(client, contact):
    return client.get(reverse("contacts:contact-vcard", args=[contact.slug]))


def ready_for_publication(release):
    """Verdicts set by a writer, submitted and approved by others: only publishing is left."""
    Response.objects.filter(release=release).update(verdict=Response.Verdict.FALSE)
    # The gate's other problems with the imported text, fixed: only the proposed contact is left.
    imported_release_fixed(release, organisation="Waterways Trust")
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    workflow.release_submit(release=release, actor=UserFactory(role="writer"))
    workflow.release_approve(release=release, actor=UserFactory(role="reviewer"))
    release.refresh_from_db()
    return release


def test_a_writers_import_proposes_the_contact_and_does_not_publish_it(client, login):
    release = imported_by(client, login)
    contact = PressContact.objects.get()
    assert release.contact == contact  # the draft links it …
    assert contact.email == EMAIL and contact.is_proposed  # … as a proposal …
    assert EMAIL not in contacts_page(client)  # … that is not public
    assert contact.section not in contacts_page(client)
    assert vcard(client, contact).status_code == 404
    assert PressContact.objects.accepted().count() == 0


def test_a_release_with_a_proposed_contact_cannot_be_published(client, login):
    release = ready_for_publication(imported_by(client, login))
    publisher = UserFactory(role="publisher")
    with pytest.raises(ValidationError) as exc:
        workflow.release_publish(release=release, actor=publisher)
    assert [e.code for e in exc.value.error_list] == ["contact_proposed"]
    release.refresh_from_db()
    assert release.status == Release.Status.APPROVED
    assert not Release.objects.published().exists()
    # Accepted by someone allowed to add contacts, it is public and the release publishes.
    contact_accept(contact=release.contact, actor=publisher)
    workflow.release_publish(release=release, actor=publisher)
    assert Release.objects.published().get() == release
    assert EMAIL in contacts_page(client)
    assert vcard(client, release.contact).status_code == 200


def test_a_published_release_given_a_proposed_contact_keeps_the_old_one(client, login):
    """A published release whose writer picks a proposed contact keeps showing the old one, and
    the new version cannot be published until the proposal is accepted."""
    release = arrange_state(release_with_content(), Release.Status.PUBLISHED)
    old_organisation = release.contact.organisation
    proposal = PressContactFactory(organisation="Proposed Ministry", is_proposed=True)
    Release.objects.filter(pk=release.pk).update(contact=proposal)
    release = ready_for_publication(release)
    assert "Proposed Ministry" not in client.get(release.get_absolute_url()).content.decode()
    assert old_organisation in client.get(release.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError) as exc:
        workflow.release_publish(release=release, actor=UserFactory(role="publisher"))
    assert "contact_proposed" in [e.code for e in exc.value.error_list]


def test_publishers_accept_proposals_in_the_admin_and_writers_cannot(client, login):
    release = imported_by(client, login)
    contact = release.contact
    changelist = reverse("admin:contacts_presscontact_changelist")
    action = {"action": "accept_proposed", admin.helpers.ACTION_CHECKBOX_NAME: [contact.pk]}
    login(client, "writer")
    client.post(changelist, action)
    contact.refresh_from_db()
    assert contact.is_proposed
    login(client, "publisher")
    page = client.get(changelist + "?is_proposed__exact=1").content.decode()
    assert "Accept proposed contact" in page and contact.email in page
    assert client.post(changelist, action).status_code == 302
    contact.refresh_from_db()
    assert not contact.is_proposed
    client.logout()
    assert EMAIL in contacts_page(client)


def test_contact_accept_needs_the_permission_to_add_contacts():
    proposal = PressContactFactory(is_proposed=True)
    for role in ("writer", "reviewer"):
        with pytest.raises(ValidationError) as exc:
            contact_accept(contact=proposal, actor=UserFactory(role=role))
        assert exc.value.code == "permission_denied"
    proposal.refresh_from_db()
    assert proposal.is_proposed


def test_an_import_matches_an_accepted_contact():
    accepted = PressContactFactory(email=EMAIL)
    result = release_import(text_or_bytes=RELEASE_EN.read_bytes(), author=None)
    assert result.contact == accepted and result.contact_status == "matched by e-mail"
    assert PressContact.objects.count() == 1
    assert not any("is a proposal" in w for w in result.warnings)


def test_an_import_reuses_its_own_proposal_rather_than_proposing_twice():
    proposed = release_import(text_or_bytes=RELEASE_EN.read_bytes(), author=None)
    again = release_import(text_or_bytes=RELEASE_EN.read_bytes(), author=None)
    assert proposed.contact.is_proposed and proposed.contact_status == "proposed"
    assert again.contact == proposed.contact  # no second proposal for the same office
    assert PressContact.objects.count() == 1
    assert any("is a proposal" in w for w in again.warnings)


def test_an_import_proposes_even_when_the_domain_is_the_offices_own():
    """Issue 12: the organisation is never filled from the domain, not even from a sibling
    contact's (the text does not name it, so it stays empty); and nothing is public."""
    PressContactFactory(organisation="Waterways Agency", email="desk@waterways.example")
    result = release_import(text_or_bytes=RELEASE_EN.read_bytes(), author=None)
    assert result.contact.organisation == ""
    assert result.contact.is_proposed
    assert PressContact.objects.accepted().count() == 1


def test_the_default_contact_is_never_a_proposal():
    PressContactFactory(is_default=True, is_proposed=True)
    assert PressContact.objects.default() is None
