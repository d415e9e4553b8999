import pytest
from django.core.exceptions import ValidationError

from contacts.models import PressContact, SocialHandle
from contacts.services import contact_changed, contact_create, contact_match
from core.cache import public_generation
from tests.factories import PressContactFactory

pytestmark = pytest.mark.django_db


def test_contact_change_bumps_the_public_generation_in_its_transaction(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    before = public_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        contact_changed()
        assert public_generation() == before + 1
        raise RuntimeError("the change fails")
    # Rolled back with the change it stood for: nothing waits for a commit that may never come.
    assert public_generation() == before
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        contact_changed()
    assert callbacks == []
    assert public_generation() == before + 1


def test_contact_edit_in_the_admin_bumps(client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from tests.factories import PressContactFactory, UserFactory

    contact = PressContactFactory()
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    before = public_generation()
    url = reverse("admin:contacts_presscontact_change", args=[contact.pk])
    data = {
        "organisation": contact.organisation,
        "division": contact.division,
        "section": "Renamed section",
        "slug": contact.slug,
        "phone": contact.phone,
        "email": contact.email,
        "website": contact.website,
        "social_handles-TOTAL_FORMS": "0",
        "social_handles-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    assert callbacks == []  # the bump is part of the admin's transaction
    assert public_generation() == before + 1


# --- Matching and creating contacts (the importer's contact block) --------------------------------


def test_contact_match_by_email_ignores_case_and_comes_before_the_phone():
    by_phone = PressContactFactory(phone="+32 2 707 9867")
    by_email = PressContactFactory(email="Press@Example.org", phone="+44 20 7946 0000")
    assert contact_match(email="press@EXAMPLE.org", phone="+32 2 707 9867") == (by_email, "email")
    assert contact_match(email="other@example.org", phone="+32 2 707 9867") == (by_phone, "phone")


def test_contact_match_by_phone_compares_digits_without_the_trunk_prefix():
    first = PressContactFactory(phone="+32 2 707 9867")
    PressContactFactory(phone="+32 2 707 9867")
    assert contact_match(phone="+32(0)2 707-9867") == (first, "phone")
    assert contact_match(phone="+32 2 707 9868") == (None, "")
    assert contact_match() == (None, "")


def test_contact_create_with_a_handle():
    contact = contact_create(
        organisation="Port Authority",
        section="Press Office",
        email="press@port.example",
        phone="+31 10 252 1010",
        handles=[(SocialHandle.Network.MASTODON, "@press@port.social"), ("", "@PortPress")],
    )
    assert contact.slug
    assert [(h.network, h.handle) for h in contact.social_handles.all()] == [
        ("mastodon", "@press@port.social"),
        ("", "@PortPress"),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not an address"), ("phone", "call us"), ("handles", [("x", "@a b")])],
)
def test_contact_create_refuses_a_bad_value_with_a_code_and_keeps_nothing(field, value):
    details = {"organisation": "Port", "section": "Press", "email": "press@port.example"}
    with pytest.raises(ValidationError) as caught:
        contact_create(**{**details, field: value})
    assert caught.value.code == "invalid_content"
    assert PressContact.objects.count() == 0
    assert SocialHandle.objects.count() == 0
