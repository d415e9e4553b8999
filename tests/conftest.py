"""Shared test setup: isolated media files, a clear cache, users per role and logins, the seed
folder, and a real browser."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

from core.page_cache import recent_fragments, recent_pages, recent_skeletons
from core.public_state import public_state_forget
from tests.factories import PASSWORD, UserFactory

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def pytest_collection_modifyitems(config, items):
    """Tests marked database("postgresql") belong to the PostgreSQL pass of scripts/test, and
    database("sqlite") ones to the SQLite pass: each pass deselects the other's, so no test is
    reported as skipped while both are run by the test command."""
    from django.db import connection

    selected, deselected = [], []
    for item in items:
        marker = item.get_closest_marker("database")
        wanted = marker.args[0] if marker else connection.vendor
        (selected if wanted == connection.vendor else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Every test writes uploads into its own folder, so "no file left behind" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    yield


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background jobs (public PDFs) run at once, in the test, where they are queued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # No test reaches the web: the link checker's own tests switch it on against a local server.
    settings.PRESSDESK_LINKCHECK = False


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 is slow on purpose; tests create many users and need no such protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language and leaves no other active: a test that
    renders in Russian must not turn the next test's messages Russian on the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Empty page caches, skeletons and fragments (shared and this process's), and a process
    that has read no public generation yet: each test's database starts again from the same
    generation numbers (and ids)."""
    cache.clear()
    recent_pages.clear()
    recent_skeletons.clear()
    recent_fragments.clear()
    public_state_forget()
    yield
    cache.clear()
    recent_pages.clear()
    recent_skeletons.clear()
    recent_fragments.clear()
    public_state_forget()


class HandClock:
    """A monotonic clock that only the test moves (`clock.reading += 1`)."""

    def __init__(self):
        self.reading = 1000.0

    def __call__(self):
        return self.reading


@pytest.fixture
def public_state_clock(monkeypatch):
    """The clock by which this process's public generation snapshot ages (core/public_state.py),
    moved by hand: a test says how much time passed instead of sleeping."""
    from core.public_state import snapshot

    clock = HandClock()
    monkeypatch.setattr(snapshot, "clock", clock)
    return clock


ROUND_TRIPS = (
    *("get", "get_many", "set", "set_many", "add", "touch", "has_key"),
    *("delete", "delete_many", "incr", "decr", "get_or_set", "clear"),
)


class CountingCache(LocMemCache):
    """A local-memory cache that records each call that would be a round trip to Redis."""

    calls: list[str] = []

    def __getattribute__(self, name):
        if name in ROUND_TRIPS:
            CountingCache.calls.append(name)
        return super().__getattribute__(name)


@pytest.fixture
def cache_calls(settings):
    """The cache's round trips in this test, in order (the default cache counts them)."""
    settings.CACHES = {
        "default": {"BACKEND": "tests.conftest.CountingCache", "LOCATION": "counting"}
    }
    CountingCache.calls = []
    return CountingCache.calls


@pytest.fixture
def bumps_elsewhere(monkeypatch):
    """Transitions in this test stand for another process or server: their bump changes the
    database, not this process's snapshot of it."""
    monkeypatch.setattr("core.cache.public_state_forget", lambda: None)


# --- Roles and logins ----------------------------------------------------------------------------


@pytest.fixture
def writer(db):
    return UserFactory(username="wren", first_name="Wren", role="writer")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rosa", first_name="Rosa", role="reviewer")


@pytest.fixture
def publisher(db):
    return UserFactory(username="pavel", first_name="Pavel", role="publisher")


@pytest.fixture
def login(db):
    """login(client, role) signs a test client in and returns the user (None for "anonymous").

    role: "writer", "reviewer", "publisher", "superuser", "nobody" (staff in no role) or
    "anonymous". The same role gives the same user within a test, so a second login as "writer"
    is the same person to the four-eyes rule.
    """

    def log_in(client, role):
        if role == "anonymous":
            client.logout()
            return None
        if role == "superuser":
            user = UserFactory(username="boss", is_superuser=True)
        elif role == "nobody":
            user = UserFactory(username="the-nobody")
        else:
            user = UserFactory(username=f"the-{role}", role=role)
        client.force_login(user)
        return user

    return log_in


@pytest.fixture
def writer_client(client, writer):
    """The test client, signed in as the writer."""
    client.force_login(writer)
    return client


@pytest.fixture
def browser_login(live_server):
    """browser_login(page, username) signs in through the admin's login form, as a person does."""

    def log_in(page, username):
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("input[type=submit]")

    return log_in


@pytest.fixture
def sitemap_locations(client):
    """sitemap_locations(prefix="") reads /sitemap.xml and every page it lists, as a crawler
    does, and returns the addresses of the pages (`<loc>` of each `<url>`), in order."""
    import xml.etree.ElementTree as ET
    from urllib.parse import urlsplit

    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

    def read(prefix: str = "") -> list[str]:
        index = client.get(f"{prefix}/sitemap.xml")
        assert index.status_code == 200
        locations = []
        for page in ET.fromstring(index.content).iter(f"{namespace}sitemap"):  # noqa: S314
            address = urlsplit(page.find(f"{namespace}loc").text)
            response = client.get(address.path, QUERY_STRING=address.query)
            assert response.status_code == 200, address
            urls = ET.fromstring(response.content).iter(f"{namespace}url")  # noqa: S314
            locations.extend(url.find(f"{namespace}loc").text for url in urls)
        return locations

    return read


# --- Browser ------------------------------------------------------------------------------------

CHROMIUM = os.environ.get("PRESSDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing browser = failure, never a skip."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/test (it installs Debian's chromium) "
            "or set PRESSDESK_CHROMIUM."
        )
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's async-safety guard has to be told.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """screenshot(page, "step-name") saves artifacts/screenshots/<test>-<step>.png to look at."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = True) -> Path:
        path = folder / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
