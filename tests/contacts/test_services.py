import pytest

from contacts.services import contact_changed
from core.cache import public_generation

pytestmark = pytest.mark.django_db


def test_contact_change_bumps_the_public_cache_only_after_commit(
    django_capture_on_commit_callbacks,
):
    before = public_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        contact_changed()
        # Still inside the transaction: a page rendered now must not get a fresh generation.
        assert public_generation() == before
    assert len(callbacks) == 1
    callbacks[0]()
    assert public_generation() == before + 1


def test_contact_edit_in_the_admin_bumps_after_commit(client, django_capture_on_commit_callbacks):
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
    assert len(callbacks) == 1
    assert public_generation() == before + 1
