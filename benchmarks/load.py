"""Load with wrk (`-t2 -c16`, `--latency`) and what its summary says: requests/s, p50, p99, answers
other than 2xx/3xx, socket errors.

Cold load makes every request cold: a small Lua script gives each request a query parameter of its
own (`cold=<thread>x<n>`). A query string the page does not know is rendered and never stored
(core/page_cache.py), so each request pays the whole render, as the readers arriving right after a
publication do, and no request is helped by another's render.
"""

import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

THREADS, CONNECTIONS = 2, 16

COLD_LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  path = args[1]
  sep = string.find(path, "?", 1, true) and "&" or "?"
  counter = 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", path .. sep .. "cold=" .. id .. "x" .. counter)
end
"""

MIXED_LUA = """
function init(args)
  paths = args
  i = 0
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


@dataclass
class Load:
    """One wrk run's summary; seconds for latencies."""

    requests: int = 0
    rate: float = 0.0
    p50: float | None = None
    p99: float | None = None
    bad_status: int = 0  # answers other than 2xx or 3xx
    socket_errors: dict = field(default_factory=dict)
    note: str = ""

    @property
    def errors(self) -> int:
        return self.bad_status + sum(self.socket_errors.values())


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse(output: str) -> Load:
    load = Load()
    if match := re.search(r"(\d+) requests in", output):
        load.requests = int(match.group(1))
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        load.rate = float(match.group(1))
    if match := re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE):
        load.p50 = _seconds(match.group(1))
    if match := re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE):
        load.p99 = _seconds(match.group(1))
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        load.bad_status = int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        names = ("connect", "read", "write", "timeout")
        load.socket_errors = {
            name: int(value)
            for name, value in zip(names, match.groups(), strict=True)
            if int(value)
        }
    return load


def _script(text: str) -> Path:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(text)
    return Path(handle.name)


def wrk_command(base: str, path: str, *, seconds: int, timeout: int, script=None, args=()):
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "--latency",
    ]
    if script:
        command += ["-s", str(script)]
    command.append(base + path)
    if args:
        command += ["--", *args]
    return command


def run(base: str, path: str, *, seconds: int, timeout: int, cold: bool) -> Load:
    """wrk on one path for `seconds`, warm (the path as it is) or cold (every request its own)."""
    script = _script(COLD_LUA) if cold else None
    try:
        command = wrk_command(
            base, path, seconds=seconds, timeout=timeout, script=script, args=[path] if cold else ()
        )
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + timeout + 30
        )
    finally:
        if script:
            script.unlink()
    load = parse(result.stdout)
    if result.returncode != 0 or "requests in" not in result.stdout:
        load.note = (result.stderr or result.stdout).strip()[:200]
        load.socket_errors.setdefault("wrk", 1)
    return load


def start_mixed(base: str, paths: list[str], *, seconds: int, timeout: int):
    """wrk cycling through `paths` in the background; returns (process, script to delete)."""
    script = _script(MIXED_LUA)
    command = wrk_command(
        base, paths[0], seconds=seconds, timeout=timeout, script=script, args=paths
    )
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, script
