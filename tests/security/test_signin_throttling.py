"""Failed sign-ins are throttled: by username and by address, with a cool-off, unforgeable.

The review signed in with the right password after 40 wrong ones. Now five failures lock the
username, and five from one address lock the address, for the cool-off; a forged
X-Forwarded-For changes nothing unless a proxy is declared to set it; and the lockout page is
the same whether the account exists or not.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from myths.signin import LOCKOUT_STATUS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("admin:login")
ATTACKER = "198.51.100.7"


def sign_in(client, username, password, *, address=ATTACKER, **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        headers=headers,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def ada():
    return UserFactory(username="ada", is_staff=True)


def test_forty_wrong_passwords_then_the_right_one_is_refused(client, ada):
    statuses = [sign_in(client, "ada", f"guess-{n}").status_code for n in range(40)]
    assert statuses[0] == 200  # the ordinary "enter a correct username and password" page
    assert LOCKOUT_STATUS in statuses
    response = sign_in(client, "ada", PASSWORD)
    assert response.status_code == LOCKOUT_STATUS
    assert not signed_in(client)


def test_the_username_lock_holds_from_another_address(client, ada):
    for n in range(5):
        sign_in(client, "ada", f"guess-{n}", address=f"203.0.113.{n}")
    response = sign_in(client, "ada", PASSWORD, address="192.0.2.50")
    assert response.status_code == LOCKOUT_STATUS
    assert not signed_in(client)


def test_the_lockout_page_is_the_login_page_with_a_clear_message(client, ada):
    for n in range(6):
        response = sign_in(client, "ada", f"guess-{n}")
    assert response.status_code == LOCKOUT_STATUS
    page = response.content.decode()
    assert 'id="login-form"' in page  # the admin's own login page, not a bare text
    assert "Too many failed sign-in attempts" in page
    assert "paused for 15 minutes" in page
    assert "guess-5" not in page  # the password typed is not echoed


def test_sign_in_works_again_after_the_cool_off(client, ada, time_machine):
    time_machine.move_to(timezone.now())
    for n in range(6):
        sign_in(client, "ada", f"guess-{n}")
    assert sign_in(client, "ada", PASSWORD).status_code == LOCKOUT_STATUS
    time_machine.move_to(timezone.now() + timedelta(minutes=16))
    assert sign_in(client, "ada", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_forged_forwarded_for_does_not_get_round_the_address_lock(client, ada):
    """One address tries many usernames, each with a different X-Forwarded-For."""
    for n in range(40):
        sign_in(client, f"someone-{n}", "guess", **{"X-Forwarded-For": f"10.9.{n}.1"})
    response = sign_in(client, "ada", PASSWORD, **{"X-Forwarded-For": "10.200.0.1"})
    assert response.status_code == LOCKOUT_STATUS
    assert not signed_in(client)


@pytest.fixture
def behind_proxy(settings):
    """What DJANGO_BEHIND_PROXY=1 sets: the proxy appends the client to X-Forwarded-For."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"
    settings.AXES_IPWARE_PROXY_COUNT = 1


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(client, ada, behind_proxy):
    proxy = "10.0.0.2"
    for n in range(10):
        # The attacker writes a different address each time; the proxy appends the real one.
        forwarded = f"10.9.{n}.1, {ATTACKER}"
        sign_in(client, f"someone-{n}", "guess", address=proxy, **{"X-Forwarded-For": forwarded})
    locked = sign_in(
        client, "ada", PASSWORD, address=proxy, **{"X-Forwarded-For": f"10.200.0.1, {ATTACKER}"}
    )
    assert locked.status_code == LOCKOUT_STATUS
    # Another reader behind the same proxy is not locked out with the attacker.
    other = sign_in(client, "ada", PASSWORD, address=proxy, **{"X-Forwarded-For": "192.0.2.9"})
    assert other.status_code == 302
    assert signed_in(client)


def normalised(response, username: str) -> str:
    """The page without what differs on every request (CSRF token, CSP nonce) or echoes the
    username."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r'nonce="[^"]*"', "", page)
    return page.replace(username, "<username>")


def test_a_lockout_says_nothing_about_whether_the_account_exists(client, ada):
    pages = {}
    for number, username in enumerate(["ada", "nobody-by-that-name"]):
        address = f"192.0.2.{number + 1}"  # separate addresses: only the username lock applies
        for n in range(5):
            sign_in(client, username, f"guess-{n}", address=address)
        pages[username] = sign_in(client, username, "guess-5", address=address)
    existing, unknown = pages["ada"], pages["nobody-by-that-name"]
    assert existing.status_code == unknown.status_code == LOCKOUT_STATUS
    assert normalised(existing, "ada") == normalised(unknown, "nobody-by-that-name")
