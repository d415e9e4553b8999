"""The demo the run command loads: only with DEBUG, only into an empty database, every state."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from myths.models import Release

pytestmark = pytest.mark.django_db
Status = Release.Status


def test_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()


def test_loads_every_state_once(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "pressdesk-demo" in out
    users = get_user_model().objects.order_by("username")
    assert [u.username for u in users] == ["admin", "publisher", "reviewer", "writer"]
    assert {u.username: [g.name for g in u.groups.all()] for u in users}["reviewer"] == ["reviewer"]
    states = set(Release.objects.values_list("status", flat=True))
    assert states == {
        Status.DRAFT,
        Status.IN_REVIEW,
        Status.SCHEDULED,
        Status.PUBLISHED,
        Status.WITHDRAWN,
    }
    assert Release.objects.published().count() == 3  # the scheduled one is days away
    # Every state change went through the workflow and is in the log.
    assert all(r.log_entries.exists() for r in Release.objects.exclude(status=Status.DRAFT))

    call_command("load_demo")
    assert "already has content" in capsys.readouterr().out
    assert Release.objects.count() == 8


def test_demo_users_can_log_in(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    # django-axes throttles sign-ins per request: authenticate() needs one.
    assert client.login(request=HttpRequest(), username="writer", password="pressdesk-demo")
    assert client.get("/admin/").status_code == 200
