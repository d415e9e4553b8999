"""Refusals a person meets: a page their role may not open says so in words, in their language."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Your account may not open this page"), ("de", "Ihr Konto darf diese Seite nicht")],
)
def test_a_role_without_the_right_gets_a_page_that_explains(client, login, language, expected):
    login(client, "reviewer")  # reviewers do not import
    response = client.get(reverse("admin:myths_release_import"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    page = response.content.decode()
    assert expected in page
    assert reverse("admin:index") in page  # staff are shown the way back
