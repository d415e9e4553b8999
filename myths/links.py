"""Outbound links checked for real: the checker, the background task, and what the gate reads.

The checker never connects to a private, loopback or link-local address: it resolves the host,
checks every address, and connects to the checked address itself (no second lookup to rebind).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .models import LinkCheck

SCHEMES = {"http": 80, "https": 443}
MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
HEAD_REFUSED = {400, 403, 405, 501}
DEAD_STATUSES = {404, 410}
DEAD_ERRORS = {"timeout", "reset", "refused", "dns"}
PRIVATE = "private_address"
USER_AGENT = "Pressdesk link checker"


@dataclass(frozen=True)
class LinkResult:
    status_code: int | None = None
    final_url: str = ""
    error: str = ""


class LinkRefused(Exception):
    """The link may not be fetched at all (scheme, private address); `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_last_request: dict[str, float] = {}
_rate_lock = threading.Lock()


def _wait_for_host(host: str) -> None:
    """At most one request per PRESSDESK_LINKCHECK_HOST_INTERVAL seconds to one host."""
    interval = settings.PRESSDESK_LINKCHECK_HOST_INTERVAL
    with _rate_lock:
        now = time.monotonic()
        start = max(now, _last_request.get(host, 0.0) + interval)
        _last_request[host] = start
    if start > now:
        time.sleep(start - now)


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if settings.PRESSDESK_LINKCHECK_ALLOW_LOOPBACK and ip.is_loopback:
        return True
    return ip.is_global and not ip.is_multicast


def checked_address(host: str, port: int) -> str:
    """The address to connect to for `host`: every address it resolves to must be public."""
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise OSError("dns") from error
        addresses = [info[4][0] for info in infos]
    if not addresses or not all(_allowed(a) for a in addresses):
        raise LinkRefused(PRIVATE)
    return addresses[0]


def _request(method: str, url: str) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise LinkRefused("scheme")
    port = parts.port or SCHEMES[parts.scheme]
    address = checked_address(parts.hostname, port)
    _wait_for_host(parts.hostname)
    timeout = settings.PRESSDESK_LINKCHECK_TIMEOUT
    sock = socket.create_connection((address, port), timeout=timeout)
    if parts.scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
        connection = http.client.HTTPSConnection(parts.hostname, port, timeout=timeout)
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    # The socket is already connected to the checked address: http.client uses it as it is.
    connection.sock = sock
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.request(method, path, headers={"User-Agent": USER_AGENT})
    response = connection.getresponse()
    response.read(0)
    connection.close()
    return response


def _answer(url: str) -> http.client.HTTPResponse:
    response = _request("HEAD", url)
    if response.status in HEAD_REFUSED:
        response = _request("GET", url)
    return response


def _error_code(error: Exception) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(error, ConnectionResetError | http.client.RemoteDisconnected):
        return "reset"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, ssl.SSLError):
        return "tls"
    if str(error) == "dns":
        return "dns"
    return "error"


def link_check(url: str) -> LinkResult:
    """Fetch `url` as a reader's browser would, following at most MAX_REDIRECTS redirects."""
    current = url
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            response = _answer(current)
            location = response.getheader("Location")
            if response.status not in REDIRECTS or not location:
                return LinkResult(response.status, current)
            current = urljoin(current, location)
        return LinkResult(None, current, "too_many_redirects")
    except LinkRefused as refused:
        return LinkResult(None, current, refused.code)
    except (OSError, http.client.HTTPException) as error:
        return LinkResult(None, current, _error_code(error))


def links_record(urls: Iterable[str]) -> list[LinkCheck]:
    """Check each URL once and store what answered, one LinkCheck row per URL."""
    rows = []
    for url in dict.fromkeys(u for u in urls if u):
        result = link_check(url)
        row, _created = LinkCheck.objects.update_or_create(
            url=url,
            defaults={
                "status_code": result.status_code,
                "final_url": result.final_url,
                "error": result.error,
                "checked_at": timezone.now(),
            },
        )
        rows.append(row)
    return rows


@task
def release_links_check(release_id: int) -> int:
    """Background task: check every outbound link of the release's working copy (nothing when
    PRESSDESK_LINKCHECK is off)."""
    from .models import Release

    if not settings.PRESSDESK_LINKCHECK:
        return 0
    from .quality import release_link_urls
    from .revisions import ReleaseContent

    release = Release.objects.filter(pk=release_id).first()
    if release is None:
        return 0
    return len(links_record(release_link_urls(ReleaseContent.from_release(release))))


def link_findings(urls: Iterable[str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """From the stored checks of `urls` (one query): the dead ones with why, and the private
    ones."""
    wanted = [u for u in dict.fromkeys(urls) if u]
    dead, private = {}, []
    for check in LinkCheck.objects.filter(url__in=wanted):
        if check.error == PRIVATE:
            private.append(check.url)
        elif check.status_code in DEAD_STATUSES:
            dead[check.url] = str(check.status_code)
        elif check.error in DEAD_ERRORS:
            dead[check.url] = check.error
    return dead, tuple(private)
