"""The link checker (myths/links.py) against a local HTTP server on 127.0.0.1, with the loopback
allowance on only here; and its refusal of private addresses before any connection."""

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from myths import links, quality, workflow
from myths.models import LinkCheck, Release
from tests.factories import UserFactory, arrange_state, release_with_content

Status = Release.Status
SLOW_SECONDS = 1.5


class Handler(BaseHTTPRequestHandler):
    REDIRECTS = {"/r1": "/r2", "/r2": "/r3", "/r3": "/ok", "/loop": "/loop"}

    def log_message(self, *args):  # keep the test output quiet
        pass

    def _answer(self):
        if self.path in self.REDIRECTS:
            self.send_response(301)
            self.send_header("Location", self.REDIRECTS[self.path])
        elif self.path == "/nohead" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/404", "/410"):
            self.send_response(int(self.path[1:]))
        elif self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            self.send_response(200)
        elif self.path == "/reset":
            # SO_LINGER 0: closing sends a TCP reset instead of an orderly end.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer


@pytest.fixture(autouse=True)
def _link_checks_on(settings):
    """conftest switches the checker off for every other test; these are about it."""
    settings.PRESSDESK_LINKCHECK = True


@pytest.fixture
def server(settings):
    settings.PRESSDESK_LINKCHECK_ALLOW_LOOPBACK = True
    settings.PRESSDESK_LINKCHECK_TIMEOUT = 0.5
    settings.PRESSDESK_LINKCHECK_HOST_INTERVAL = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_working_link(server):
    assert links.link_check(f"{server}/ok") == links.LinkResult(200, f"{server}/ok")


def test_a_redirect_chain_is_followed(server):
    assert links.link_check(f"{server}/r1") == links.LinkResult(200, f"{server}/ok")


def test_redirects_are_followed_at_most_five_times(server):
    result = links.link_check(f"{server}/loop")
    assert result.error == "too_many_redirects" and result.status_code is None


def test_get_when_head_is_refused(server):
    assert links.link_check(f"{server}/nohead").status_code == 200


@pytest.mark.parametrize("status", [404, 410])
def test_gone_links(server, status):
    assert links.link_check(f"{server}/{status}").status_code == status


def test_a_slow_server_times_out(server):
    started = time.monotonic()
    assert links.link_check(f"{server}/slow").error == "timeout"
    assert time.monotonic() - started < SLOW_SECONDS


def test_a_reset_connection(server):
    assert links.link_check(f"{server}/reset").error == "reset"


def test_requests_to_one_host_are_spaced(server, settings):
    settings.PRESSDESK_LINKCHECK_HOST_INTERVAL = 0.3
    started = time.monotonic()
    links.link_check(f"{server}/ok")
    links.link_check(f"{server}/ok")
    assert time.monotonic() - started >= 0.3


def test_the_checked_address_is_the_one_connected_to(server, monkeypatch):
    """One lookup per request, and the connection goes to the address that was checked: a second
    lookup answering otherwise (DNS rebinding) is never made."""
    port = int(server.rsplit(":", 1)[1])
    lookups, connections = [], []
    real_connect = socket.create_connection

    def lookup(host, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    def connect(address, *args, **kwargs):
        connections.append(address)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(links.socket, "getaddrinfo", lookup)
    monkeypatch.setattr(links.socket, "create_connection", connect)
    assert links.link_check(f"http://press.example:{port}/ok").status_code == 200
    # (socket.create_connection looks up the numeric address it is given: no name lookup.)
    assert [h for h in lookups if h != "127.0.0.1"] == ["press.example"]
    assert connections == [("127.0.0.1", port)]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://intranet.example/",
    ],
)
def test_private_addresses_are_refused_without_connecting(settings, monkeypatch, url):
    settings.PRESSDESK_LINKCHECK_ALLOW_LOOPBACK = False

    def no_connection(*args, **kwargs):
        raise AssertionError("the checker tried to connect")

    def private_lookup(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(links.socket, "create_connection", no_connection)
    monkeypatch.setattr(links.socket, "getaddrinfo", private_lookup)
    assert links.link_check(url).error == links.PRIVATE


def test_a_host_with_one_private_address_among_public_ones_is_refused(settings, monkeypatch):
    settings.PRESSDESK_LINKCHECK_ALLOW_LOOPBACK = False
    answers = [("93.184.216.34", 80), ("192.168.1.1", 80)]
    monkeypatch.setattr(
        links.socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", addr) for addr in answers],
    )
    monkeypatch.setattr(links.socket, "create_connection", lambda *a, **k: pytest.fail("connected"))
    assert links.link_check("http://mixed.example/").error == links.PRIVATE


@pytest.mark.parametrize("url", ["ftp://example.org/file", "file:///etc/passwd", "gopher://x/"])
def test_only_web_schemes_are_fetched(url):
    assert links.link_check(url).error == "scheme"


@pytest.mark.django_db
def test_the_task_stores_results_and_the_gate_warns_of_dead_links(server):
    release = release_with_content(responses=1)
    response = release.responses.get()
    response.body = f"See [the report]({server}/404) and [the page]({server}/r1)."
    response.save()
    response.sources.update(url=f"{server}/ok")
    release.more_info_url = f"{server}/ok"
    release.save()
    assert links.release_links_check.call(release.pk) == 3  # two in the body, more info = source
    stored = {c.url: c for c in LinkCheck.objects.all()}
    assert stored[f"{server}/404"].status_code == 404
    assert stored[f"{server}/r1"].final_url == f"{server}/ok"
    dead = [p for p in quality.release_problems(release) if p.code == "dead_link"]
    assert [(p.severity, f"{server}/404" in p.message) for p in dead] == [("warn", True)]


@pytest.mark.django_db
def test_a_link_to_a_private_address_refuses_approval(settings):
    settings.PRESSDESK_LINKCHECK_ALLOW_LOOPBACK = False
    release = release_with_content(responses=1)
    response = release.responses.get()
    response.body = "See [the intranet](http://10.0.0.1/minutes)."
    response.save()
    links.release_links_check.call(release.pk)
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    release = arrange_state(release, Status.IN_REVIEW)
    with pytest.raises(ValidationError) as refused:
        workflow.release_approve(release=release, actor=UserFactory(role="reviewer"))
    assert "private_link" in {e.code for e in refused.value.error_list}


@pytest.mark.django_db
def test_submitting_queues_the_link_check(django_capture_on_commit_callbacks, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    release = release_with_content()
    workflow.release_edit_saved(release=release, actor=UserFactory(role="writer"))
    with django_capture_on_commit_callbacks(execute=True):
        arrange_state(release, Status.IN_REVIEW)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "myths.links.release_links_check"
    assert queued.args_kwargs["args"] == [release.pk]
