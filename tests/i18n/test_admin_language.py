"""An editor chooses the admin's language; our additions (dashboard, workflow buttons, checklist
messages) follow it like Django's own admin."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from myths import workflow
from myths.models import Release
from tests.factories import arrange_state, release_with_content
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def choose_language(client, language: str, next_url: str):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_the_admin_offers_a_labelled_language_switcher(login, client):
    login(client, "writer")
    html = client.get(reverse("admin:index")).text
    assert '<label for="admin-language-select">Language</label>' in html
    assert '<option value="ru" lang="ru">Русский</option>' in html
    assert f'action="{reverse("set_language")}"' in html


@pytest.mark.parametrize(
    ("language", "dashboard", "button"),
    [
        ("ru", "Ждут вас", "Отправить на проверку"),
        ("fr", "En attente de votre part", "Soumettre pour relecture"),
        ("uk", "Чекають на вас", "Надіслати на перевірку"),
        ("de", "Wartet auf Sie", "Zur Prüfung einreichen"),
        ("es", "Pendiente de usted", "Enviar a revisión"),
    ],
)
def test_the_admin_follows_the_editors_choice(login, client, language, dashboard, button):
    writer = login(client, "writer")
    release = release_with_content(created_by=writer)
    index = reverse("admin:index")
    response = choose_language(client, language, index)
    assert response.status_code == 302 and response["Location"] == index
    html = client.get(index).text
    assert f'<html lang="{language}"' in html
    assert dashboard in html
    change_form = client.get(reverse("admin:myths_release_change", args=[release.pk])).text
    assert button in change_form
    assert "Submit for review" not in change_form


def test_a_checklist_refusal_speaks_the_editors_language(login, client):
    release = arrange_state(
        release_with_content(), Release.Status.DRAFT, author=UserFactory(role="writer")
    )
    release.responses.update(verdict="")
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    release.refresh_from_db()
    login(client, "writer")
    choose_language(client, "ru", "/admin/")
    response = client.post(
        reverse("admin:myths_release_change", args=[release.pk]),
        {
            "CHANGE_FORM-action": "submit",
            helpers.ACTION_CHECKBOX_NAME: release.pk,
            "index": 0,
            "version_marker": release.version,
            "workflow_comment": "",
        },
        follow=True,
    )
    release.refresh_from_db()
    assert release.status == Release.Status.DRAFT
    assert "Миф 1: нет вердикта." in response.text
    assert "Myth 1 has no verdict." not in response.text


def test_the_public_site_keeps_todays_addresses(client):
    for url in ("/", "/releases/", "/myths/", "/contacts/"):
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="ru").status_code == 200
    # Prefixed twins exist since issue 11 (tests/i18n/test_language_urls.py); the admin has none.
    assert client.get("/ru/admin/").status_code == 404
