"""The 503 page, rendered without the request when the database is out, speaks the reader's
language: LocaleMiddleware has already activated it by then."""

import pytest
from django.db import OperationalError

from myths.public.views import HomeView


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reader", "heading", "retry"),
    [
        ("en", "The press room is briefly unavailable", "try again in 30 seconds"),
        ("de", "Der Pressebereich ist kurz nicht erreichbar", "in 30 Sekunden erneut"),
        ("ru", "Пресс-центр ненадолго недоступен", "через 30 секунд."),
    ],
)
def test_the_unavailable_page_is_in_the_readers_language(
    client, monkeypatch, reader, heading, retry
):
    def refuse(view):
        raise OperationalError("connection refused")

    monkeypatch.setattr(HomeView, "get_queryset", refuse)
    response = client.get(
        "/" if reader == "en" else f"/{reader}/"
    )  # the reader's language is in the address (issue 11)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert f'<html lang="{reader}">' in html
    assert heading in html and retry in html
