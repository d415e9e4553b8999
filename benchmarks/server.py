"""gunicorn on 127.0.0.1 as production runs it (gunicorn.conf.py, 2 sync workers, DEBUG off), and
what the benchmark reads of it: whether it answers, whether it is idle, its workers' memory."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .environment import ROOT

WORKERS = 2
BASELINE = "/benchmark/baseline/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 30):
    """(status, seconds, headers, body) of one GET; status 0 when nothing answered in time."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
            return response.status, time.perf_counter() - start, response.headers, body
    except urllib.error.HTTPError as error:
        return error.code, time.perf_counter() - start, error.headers, error.read()
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
        return 0, time.perf_counter() - start, {}, b""


class Server:
    def __init__(self, work: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = work / f"gunicorn-{self.port}.log"
        self.process = None

    def start(self) -> None:
        env = {
            **os.environ,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(WORKERS),
        }
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log_path}\n{self.log_tail()}")
            if fetch(self.base + BASELINE, timeout=2)[0] == 200 and len(self.workers()) == WORKERS:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(line for line in text if '"GET ' not in line)[-4000:] or "\n".join(
            text[-lines:]
        )

    def workers(self) -> list[int]:
        """The worker processes: children of the gunicorn arbiter."""
        if not self.process:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_rss_mb(self) -> list[float]:
        """VmRSS of each worker, in MB."""
        sizes = []
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return sizes

    def wait_idle(self, timeout: float = 120) -> bool:
        """Wait until the requests left over from a load run are answered: the trivial view,
        queued behind them in the listening socket, answers quickly twice in a row."""
        deadline = time.monotonic() + timeout
        fast = 0
        while time.monotonic() < deadline:
            status, seconds, _headers, _body = fetch(self.base + BASELINE, timeout=timeout)
            fast = fast + 1 if status == 200 and seconds < 0.2 else 0
            if fast >= 2:
                return True
            time.sleep(0.02)
        return False
