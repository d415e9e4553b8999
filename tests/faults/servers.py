"""Throwaway servers for fault tests: a Redis of the test's own, gunicorn workers on this
project, a TCP port that accepts and never answers, and a Django request in a fresh process."""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, *, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def http_get(url: str) -> tuple[int, str]:
    """Status and body of a GET, without raising on 4xx/5xx."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def committed_database_url() -> str:
    """The test database as a DATABASE_URL, for child processes (it must be committed to)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{settings['USER']}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def child_environment(**overrides) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="pressdesk.settings",
        DJANGO_SECRET_KEY="fault-test-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        PYTHONPATH=str(ROOT),
    )
    environment.update({key: str(value) for key, value in overrides.items() if value is not None})
    return environment


class RedisServer:
    """A redis-server of the test's own on a free port, data in `folder`; restartable."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        assert wait_until(self.ping, seconds=10), "redis-server did not start"

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2)

    def ping(self) -> bool:
        try:
            return self.client().ping()
        except Exception:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@contextmanager
def redis_server(folder: Path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def running(command: list[str], *, ready, name: str, **popen):
    """Start `command`, wait until `ready()` is true (30 s at most), and stop it afterwards."""
    process = subprocess.Popen(command, **popen)
    try:
        assert wait_until(ready, seconds=30, step=0.2), f"{name} did not start"
        yield process
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def gunicorn(**environment):
    """One gunicorn worker of this project on a free port; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return http_get(base + "/robots.txt")[0] == 200
        except OSError:
            return False

    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "pressdesk.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--log-level",
        "warning",
    ]
    with running(
        command, ready=up, name="gunicorn", cwd=ROOT, env=child_environment(**environment)
    ):
        yield base


@contextmanager
def silent_server():
    """A TCP port on 127.0.0.1 that accepts connections and never says a word (a hung server)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


REQUEST_SCRIPT = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client(raise_request_exception=False).get(sys.argv[1])
print(json.dumps({
    "status": response.status_code,
    "retry_after": response.get("Retry-After"),
    "body": response.content.decode(errors="replace"),
    "options": settings.DATABASES["default"].get("OPTIONS", {}),
    "caches": settings.CACHES["default"],
}))
"""


def python_in_new_process(script: str, *arguments: str, **environment) -> str:
    """Run `script` in a fresh Python with this environment; its standard output."""
    result = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        cwd=ROOT,
        env=child_environment(**environment),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def request_in_new_process(path: str, **environment) -> dict:
    """GET `path` through the Django test client in a fresh process with this environment."""
    output = python_in_new_process(REQUEST_SCRIPT, path, **environment)
    return json.loads(output.strip().splitlines()[-1])
