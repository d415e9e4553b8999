"""Issue 9, item 17: in a true race (another editor's save lands between this save's form check
and its write) the losing editor gets the same form back with their typed text, a message naming
who saved in between, and a link to the difference; nothing of their save is written.

The race is injected: the other editor's save runs, through the admin, inside this save's form
check (after the version was compared, before it is claimed), and each test asserts it fired. In
one process and one connection her save is rolled back with the loser's; on PostgreSQL it also
runs from a thread on its own connection and commits, as two browsers' saves do.
"""

import threading
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from myths.forms import ReleaseAdminForm, ResponseAdminForm
from myths.models import Release
from tests.factories import UserFactory
from tests.factories.admin_forms import (
    change_url,
    form_data,
    release_in,
    response_form_data,
    response_url,
)

pytestmark = pytest.mark.django_db

TYPED_TITLE = "The loser's carefully typed title"
TYPED_BODY = "The loser's carefully typed response, three paragraphs long in real life."
THEIR_LEDE = "Alice's lede, saved first."


def other_editor_saves_during(monkeypatch, form_class, release, *, own_connection=False) -> list:
    """While this save's form is being checked, Alice Martin saves the release from her own
    browser (from a thread with its own database connection if `own_connection`). Returns the
    list her save appends to (once) when it has landed."""
    alice = UserFactory(role="writer", username="amartin", first_name="Alice", last_name="Martin")
    alice_form = form_data(release, lede=THEIR_LEDE)  # she opened the page at the same version
    original_clean = form_class.clean
    raced, answers = [], []

    def alice_saves():
        try:
            alice_browser = Client()
            alice_browser.force_login(alice)
            answer = alice_browser.post(change_url(release), alice_form)
            answers.append((answer.status_code, answer.get("Location")))
        finally:
            if own_connection:
                connection.close()

    def clean_while_alice_saves(self):
        cleaned = original_clean(self)
        if not raced:
            raced.append("alice is saving")
            if own_connection:
                thread = threading.Thread(target=alice_saves)
                thread.start()
                thread.join(30)
            else:
                alice_saves()
            changelist = reverse("admin:myths_release_changelist")
            assert answers == [(302, changelist)], "Alice's own save must go through"
            raced.append("alice saved")
        return cleaned

    monkeypatch.setattr(form_class, "clean", clean_while_alice_saves)
    return raced


def assert_refused_with_the_text_kept(page, release, *, typed: str, base: int):
    assert page.status_code == 200  # the form again: not a redirect to a fresh form
    text = unescape(page.content.decode())
    assert typed in text
    assert "Alice Martin saved" in text
    assert "your changes were not saved" in text
    url = reverse("admin:myths_release_compare", args=[release.pk])
    compare = f"{url}?a={base}&amp;b={base + 1}"
    assert compare in page.content.decode()  # from where they started to Alice's revision
    return unescape(compare)


def test_the_loser_of_a_release_save_race_keeps_their_text(client, login, monkeypatch):
    release = release_in(Release.Status.DRAFT)
    login(client, "writer")
    mine = form_data(release, title=TYPED_TITLE)
    revisions = release.revisions.count()
    raced = other_editor_saves_during(monkeypatch, ReleaseAdminForm, release)

    page = client.post(change_url(release), mine)

    assert raced == ["alice is saving", "alice saved"]
    assert_refused_with_the_text_kept(page, release, typed=TYPED_TITLE, base=mine["base_revision"])
    assert f'value="{TYPED_TITLE}"' in unescape(page.content.decode())  # in the title field
    release.refresh_from_db()
    assert release.title != TYPED_TITLE
    assert release.revisions.count() == revisions  # hers rolled back with it, in one connection


def test_the_loser_of_a_response_save_race_keeps_their_text(client, login, monkeypatch):
    release = release_in(Release.Status.DRAFT)
    response_obj = release.responses.first()
    login(client, "writer")
    mine = response_form_data(response_obj, body=TYPED_BODY)
    revisions = release.revisions.count()
    raced = other_editor_saves_during(monkeypatch, ResponseAdminForm, release)

    page = client.post(response_url(response_obj), mine)

    assert raced == ["alice is saving", "alice saved"]
    assert_refused_with_the_text_kept(page, release, typed=TYPED_BODY, base=mine["base_revision"])
    response_obj.refresh_from_db()
    assert response_obj.body != TYPED_BODY
    assert release.revisions.count() == revisions


def test_a_name_is_given_even_without_a_full_name(client, login, monkeypatch):
    release = release_in(Release.Status.DRAFT)
    login(client, "writer")
    raced = other_editor_saves_during(monkeypatch, ReleaseAdminForm, release)
    get_user_model().objects.filter(username="amartin").update(first_name="", last_name="")
    page = client.post(change_url(release), form_data(release, title=TYPED_TITLE))
    assert raced == ["alice is saving", "alice saved"]
    assert "amartin saved" in unescape(page.content.decode())


@pytest.mark.django_db(transaction=True)
@pytest.mark.database("postgresql")  # two saves at once need two real connections
def test_a_true_race_keeps_both_the_winners_save_and_the_losers_text(client, login, monkeypatch):
    release = release_in(Release.Status.DRAFT)
    login(client, "writer")
    mine = form_data(release, title=TYPED_TITLE)
    revisions = release.revisions.count()
    raced = other_editor_saves_during(monkeypatch, ReleaseAdminForm, release, own_connection=True)

    page = client.post(change_url(release), mine)

    assert raced == ["alice is saving", "alice saved"]
    compare = assert_refused_with_the_text_kept(
        page, release, typed=TYPED_TITLE, base=mine["base_revision"]
    )
    release.refresh_from_db()
    assert (release.lede, release.revisions.count()) == (THEIR_LEDE, revisions + 1)
    assert release.title != TYPED_TITLE
    monkeypatch.undo()
    # The link shows what Alice changed, and the re-shown form cannot overwrite her save.
    difference = client.get(compare)
    # Words are marked one by one (<ins>, <del>): read the page's text, not its markup.
    shown = " ".join(strip_tags(unescape(difference.content.decode())).split())
    assert difference.status_code == 200 and THEIR_LEDE in shown
    again = client.post(change_url(release), mine)
    assert again.status_code == 200 and "Not saved" in unescape(again.content.decode())
    release.refresh_from_db()
    assert release.title != TYPED_TITLE
