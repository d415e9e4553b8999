import pytest
from django.core.exceptions import ValidationError

from contacts.models import PressContact, SocialHandle
from tests.factories import PressContactFactory

# Database-sensitive (unique slugs and the one-default constraint): also run on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.parametrize("phone", ["+32(0)2 707 9867", "+44 20 7946 0000", "020-7946-0000"])
def test_valid_phone_numbers(phone):
    PressContactFactory.build(phone=phone).full_clean()


@pytest.mark.parametrize("phone", ["call us", "12", "+32 2 707 9867 ext. <b>", "++32 2"])
def test_invalid_phone_numbers_get_a_coded_error(phone):
    with pytest.raises(ValidationError) as error:
        PressContactFactory.build(phone=phone).full_clean()
    assert error.value.error_dict["phone"][0].code == "invalid_phone"


@pytest.mark.parametrize("handle", ["@PressOffice", "@press_office", "@press@example.social"])
def test_valid_handles(handle):
    contact = PressContactFactory()
    SocialHandle(contact=contact, handle=handle).full_clean()


@pytest.mark.parametrize("handle", ["PressOffice", "@", "@has space", "@" + "x" * 31])
def test_invalid_handles(handle):
    contact = PressContactFactory()
    with pytest.raises(ValidationError) as error:
        SocialHandle(contact=contact, handle=handle).full_clean()
    assert error.value.error_dict["handle"][0].code == "invalid_handle"


def test_bad_email_and_website_are_refused():
    with pytest.raises(ValidationError) as error:
        PressContactFactory.build(
            email="not-an-address", website="javascript:alert(1)"
        ).full_clean()
    assert set(error.value.message_dict) >= {"email", "website"}


def test_only_one_default_contact():
    PressContactFactory(is_default=True)
    second = PressContactFactory.build(is_default=True)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "already the default" in str(error.value)
    assert PressContact.objects.default() is not None


def test_same_office_twice_gets_distinct_slugs():
    first = PressContactFactory(organisation="Ministry", section="Press Office", slug="")
    second = PressContactFactory(organisation="Ministry", section="Press Office", slug="")
    assert first.slug == "ministry-press-office"
    assert second.slug == "ministry-press-office-2"
