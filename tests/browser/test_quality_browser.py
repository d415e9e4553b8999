"""Issue 12's gate as an editor meets it: the change form opens with each problem, its fix and a
link to its field; the link takes the editor there."""

import pytest

from contacts.models import PressContact
from myths import workflow
from tests.factories import UserFactory, release_with_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_change_form_shows_the_gate(live_server, page, screenshot, browser_login):
    writer = UserFactory(role="writer", username="wren", first_name="Wren")
    release = release_with_content(title='The "safe harbour" myth', sources=0)
    response = release.responses.order_by("position").first()
    response.body = "The harbour was [reaffirmed](#) safe.\n\n*Divers at the lock gate*"
    response.save()
    PressContact.objects.filter(pk=release.contact_id).update(organisation="nato.int")
    workflow.release_edit_saved(release=release, actor=writer)

    browser_login(page, writer.username)
    page.goto(f"{live_server.url}/admin/myths/release/{release.pk}/change/")
    banner = page.locator("#quality-gate")
    banner.wait_for()
    assert banner.locator(".quality-block").count() == 3
    assert banner.locator(".quality-warn").count() == 2
    screenshot(page, "change-form-gate", full_page=False)

    banner.locator('[data-code="no_organisation"]').get_by_role("link").click()
    assert page.url.endswith("#id_contact")
