"""Fault experiments against a production-like Pressdesk: what the public sees when caches and
databases misbehave, measured on gunicorn with several workers.

    .venv/bin/python scripts/faults.py           # about 15 s of load per experiment
    .venv/bin/python scripts/faults.py --quick   # a few seconds each, exit 1 on a failed check

The script starts everything it needs on 127.0.0.1 and tears it all down at exit, failure or
signal: a throwaway PostgreSQL cluster and redis-server (temporary folders, free ports), a helper
process that migrates, builds releases and runs workflow transitions against that database (as an
editor in the admin would), and gunicorn (`pressdesk.wsgi`, 3 workers, DEBUG off), once with the
default local-memory cache and once with REDIS_URL. Load is bounded: a few threads, a fixed request
rate and count, a hard time limit. It prints one table per experiment:

  a. withdrawal visibility: a published release is withdrawn; reads still serving it are stale;
  b. publish visibility: an approved release is published; lists still without it are stale;
  c. Redis outage: redis-server stops under load and starts again;
  d. PostgreSQL outage: the cluster stops (pg_ctl stop -m fast) under load and starts again;
  e. Redis snapshot restore: Redis is saved, a release withdrawn, Redis restarted from the save;
  f. PostgreSQL hung: the postmaster is frozen (SIGSTOP), so connections are never answered;
  g. a table locked: a transaction holds an exclusive lock on the releases table.

The checks (failures make the exit status 1): no 500 (a 503 with Retry-After while the database is
down is the designed answer; any other 5xx, or no answer at all, fails), no stale read later than
1 s after a withdrawal or publication, no answer slower than 3 s while the database is down, and
every outage recovered before the experiment ends. Requests are counted from the moment of the
fault or of the transition; an outage has a row for the requests sent while the service was down
and one for those sent once it was back. "stale until" is the time from the transition to the last
stale read ("never": stale reads went on to the end); "recover" the time from the restart to the
first request after which every answer was a 2xx.
"""

import argparse
import atexit
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _newest_pg_bin() -> Path:
    """PostgreSQL's binaries: PRESSDESK_PG_BIN, else the newest Debian install (as scripts/test)."""
    if "PRESSDESK_PG_BIN" in os.environ:
        return Path(os.environ["PRESSDESK_PG_BIN"])
    installs = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    return installs[-1] if installs else Path("/usr/lib/postgresql/bin")


PG_BIN = _newest_pg_bin()
STALE_AFTER = 1.0  # seconds after a transition from which a stale read fails the run
SLOW_ANSWER = 3.0  # seconds: a slower answer while the database is down fails the run
WORKERS = 3
# Longer than gunicorn's worker timeout (30 s): a request is answered, or its worker was killed.
CLIENT_TIMEOUT = 35


# --- Teardown: whatever was started is stopped, whatever happens. ------------------------------

_cleanups: list = []


def on_exit(func, *args):
    """Run `func(*args)` at exit, latest first."""
    _cleanups.append((func, args))


def _teardown():
    while _cleanups:
        func, args = _cleanups.pop()
        try:
            func(*args)
        except Exception as error:  # keep tearing down the rest
            print(f"teardown: {func.__name__}: {error}", file=sys.stderr)


def _on_signal(signum, frame):
    _teardown()
    sys.exit(128 + signum)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen, grace: float = 10):
    """SIGTERM the process group we started (gunicorn's workers with their master), then kill."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until(check, *, limit: float, what: str):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {limit:.0f} s")


# --- The services: PostgreSQL, Redis, gunicorn, the workflow helper. ---------------------------


class Postgres:
    """A throwaway cluster: trust authentication, 127.0.0.1 only, run as `postgres` under root."""

    def __init__(self, work: Path):
        self.dir = work / "pg"
        self.dir.mkdir()
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self.run_as = []
        if os.geteuid() == 0:  # initdb refuses root
            os.chmod(work, 0o755)  # noqa: S103 - so `postgres` can reach its folder
            shutil.chown(self.dir, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]

    def _ctl(self, *args):
        command = [*self.run_as, str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), *args]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run(command, check=True, **quiet)  # noqa: S603 - our own fixed command

    def create(self):
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "-A"]
        command = [*self.run_as, *initdb, "trust"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - fixed command
        on_exit(self.stop)
        self.start()

    def start(self):
        options = f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def stop(self):
        if (self.dir / "data" / "postmaster.pid").exists():
            self.thaw()  # a frozen server would not hear pg_ctl
            self._ctl("-m", "fast", "-w", "stop")

    def _postmaster(self) -> int:
        return int((self.dir / "data" / "postmaster.pid").read_text().split()[0])

    def freeze(self):
        """Hang the server without closing its port: connections are accepted, never answered."""
        os.kill(self._postmaster(), signal.SIGSTOP)

    def thaw(self):
        os.kill(self._postmaster(), signal.SIGCONT)


class Redis:
    """redis-server in its own folder: no snapshot unless asked (SAVE); loads dump.rdb on start."""

    def __init__(self, work: Path):
        self.dir = work / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def _answers(self) -> bool:
        try:
            return self.client().ping()
        except Exception:
            return False

    def start(self):
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.dir)]
        log = open(self.dir / "log", "a")  # noqa: SIM115 - the server writes to it until it stops
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
            command, stdout=log, stderr=log, start_new_session=True
        )
        on_exit(self.stop)
        wait_until(self._answers, limit=10, what="redis-server")

    def stop(self):
        if self.process:
            stop_process(self.process)  # with --save '' it writes no snapshot on the way out

    def snapshot(self):
        self.client().save()

    def forget_snapshot(self):
        (self.dir / "dump.rdb").unlink(missing_ok=True)


def service_env(postgres: Postgres, work: Path, redis_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PRESSDESK_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="pressdesk.settings",
        DATABASE_URL=postgres.url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="faults-" + "x" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_MEDIA_ROOT=str(work / "media"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONWARNINGS="ignore",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


class Gunicorn:
    def __init__(self, env: dict, work: Path, name: str):
        self.env, self.log = env, work / f"gunicorn-{name}.log"
        self.port = free_port()
        self.process = None

    def _answers(self) -> bool:
        return fetch(self.port, "/", timeout=2)[0] == 200

    def launch(self):
        """Start gunicorn without waiting: it boots while the helper builds the data."""
        command = [sys.executable, "-m", "gunicorn", "pressdesk.wsgi", "--workers", str(WORKERS)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--timeout", "30"]
        command += ["--graceful-timeout", "3"]
        log = open(self.log, "a")  # noqa: SIM115 - the workers log tracebacks to it until they stop
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
            command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        on_exit(self.stop)

    def wait(self):
        wait_until(self._answers, limit=60, what="gunicorn")

    def stop(self):
        if self.process:
            stop_process(self.process)


class Helper:
    """A Django process on the same database and cache as gunicorn, running the workflow the way
    the admin does; commands and answers are JSON lines (see `serve()`)."""

    def __init__(self, env: dict, log: Path):
        self.process = subprocess.Popen(  # noqa: S603 - this script, in its --serve mode
            [sys.executable, __file__, "--serve"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(log, "a"),  # noqa: SIM115 - closed with the process
            text=True,
            start_new_session=True,
        )
        on_exit(stop_process, self.process)

    def ask(self, command: str, **arguments):
        self.process.stdin.write(json.dumps({"command": command, **arguments}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the helper died on {command}")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"helper, {command}: {answer['error']}")
        return answer


# --- The helper's side: Django set up against the throwaway database. --------------------------


def _release_row(release) -> dict:
    return {"pk": release.pk, "title": release.title, "url": release.get_absolute_url()}


def _build(names: dict) -> dict:
    """Published and approved releases, made through the workflow as the tests make them."""
    from django.core.management import call_command

    from tests.factories import arrange_state, published_release, release_with_content

    call_command("migrate", verbosity=0)
    built = {}
    for name, state in names.items():
        title = f"Fault experiment {name.replace('-', ' ')}"
        if state == "published":
            release = published_release(responses=1, title=title)
        else:
            release = arrange_state(release_with_content(responses=1, title=title), state)
        built[name] = _release_row(release)
    return built


def _transition(name: str, pk: int) -> dict:
    from myths import workflow
    from myths.models import Release
    from tests.factories import UserFactory

    publisher = UserFactory(username="fault-publisher", role="publisher")
    release = Release.objects.get(pk=pk)
    if name == "withdraw":
        workflow.release_withdraw(release=release, actor=publisher, comment="Fault experiment.")
    else:
        workflow.release_publish(release=release, actor=publisher)
    return {"committed": time.time()}  # after commit and its on-commit cache bump


def _lock(seconds: float) -> dict:
    """Hold an exclusive lock on the releases table, as a long migration or a stuck job would."""
    from django.db import connection, transaction

    from myths.models import Release

    with transaction.atomic(), connection.cursor() as cursor:
        table = connection.ops.quote_name(Release._meta.db_table)
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        time.sleep(seconds)
    return {}


def serve():
    """Answer the parent's commands on stdin until it closes it."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import override_settings

    # The users made here never sign in: a fast hasher keeps the set-up short.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()

    for line in sys.stdin:
        request = json.loads(line)
        connection.close()  # the database may have been restarted since the last command
        try:
            if request["command"] == "build":
                answer = _build(request["names"])
            elif request["command"] == "lock":
                answer = _lock(request["seconds"])
            else:
                answer = _transition(request["command"], request["pk"])
        except Exception as error:
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


# --- Load: a few threads, a fixed pace and count, a hard deadline. -----------------------------


def fetch(port: int, path: str, timeout: float) -> tuple[int | None, bool, bytes]:
    """(status, has Retry-After, body); status None when no answer came."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.getheader("Retry-After") is not None, response.read()
    except (OSError, http.client.HTTPException):
        return None, False, b""
    finally:
        connection.close()


@dataclass
class Answer:
    sent: float  # time.time() when the request left
    took: float
    status: int | None
    retry_after: bool
    stale: bool


@dataclass
class Load:
    """GET `paths` in turn from `threads` threads, `rate` requests a second in all, until
    `stop()`, `limit` seconds or `max_requests` requests, whichever comes first.

    `stale(path, status, body)` says whether an answer shows what should no longer be seen."""

    port: int
    paths: list
    stale: object = None
    threads: int = WORKERS  # no more clients than workers: an answer's time is not a queue's
    rate: float = 40
    limit: float = 60
    max_requests: int = 5000
    answers: list = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._count = iter(range(self.max_requests))
        self._lock = threading.Lock()
        self._deadline = time.monotonic() + self.limit
        self._workers = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.threads)
        ]
        for worker in self._workers:
            worker.start()

    def _next(self) -> bool:
        with self._lock:
            return next(self._count, None) is not None

    def _run(self, number: int):
        pace = self.threads / self.rate
        turn = number
        while not self._stop.is_set() and time.monotonic() < self._deadline and self._next():
            path = self.paths[turn % len(self.paths)]
            turn += 1
            started, sent = time.monotonic(), time.time()
            status, retry_after, body = fetch(self.port, path, timeout=CLIENT_TIMEOUT)
            took = time.monotonic() - started
            stale = bool(self.stale and status and self.stale(path, status, body))
            self.answers.append(Answer(sent, took, status, retry_after, stale))
            self._stop.wait(max(0.0, pace - took))

    def stop(self) -> list:
        self._stop.set()
        return self.finish()

    def finish(self) -> list:
        """Wait for the load to reach its request count or its deadline."""
        for worker in self._workers:
            worker.join()
        return self.answers


# --- Measurements and the report. --------------------------------------------------------------


@dataclass
class Row:
    experiment: str
    run: str
    answers: list
    stale_checked: bool = False
    recovered_after: float | None = None  # seconds; None when not an outage
    recovery_expected: bool = False
    stale_since: float | None = None  # time of the transition, for visibility experiments
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # measured, reported, not failing

    def count(self, test) -> int:
        return sum(1 for answer in self.answers if test(answer))

    @property
    def designed_503(self) -> int:
        return self.count(lambda a: a.status == 503 and a.retry_after)

    @property
    def other_5xx(self) -> int:
        return self.count(lambda a: a.status and a.status >= 500 and not self._designed(a))

    @staticmethod
    def _designed(answer) -> bool:
        return answer.status == 503 and answer.retry_after

    def stale_until(self) -> str:
        """Seconds from the transition to the last stale read: "none" without any, "never" when
        stale reads went on until the last second of the measurement."""
        ordered = sorted(self.answers, key=lambda a: a.sent)
        stale = [a.sent for a in ordered if a.stale]
        if not stale:
            return "none"
        if ordered[-1].sent - stale[-1] < STALE_AFTER:  # stale to the end of the measurement
            return "never"
        return f"{stale[-1] - self.stale_since:.1f}"

    def stale_share(self) -> str:
        stale = self.count(lambda a: a.stale)
        return f"{stale} ({100 * stale / len(self.answers):.0f}%)" if self.answers else "0"


def answered_2xx(answer: Answer) -> bool:
    return answer.status is not None and 200 <= answer.status < 300


def recovery_seconds(answers: list, restarted: float) -> float | None:
    """Seconds from the restart to the first request after which every answer was a 2xx;
    None when the last answer was not one."""
    ordered = sorted(answers, key=lambda a: a.sent)
    if not ordered or not answered_2xx(ordered[-1]):
        return None
    first_good = ordered[-1].sent
    for answer in reversed(ordered):
        if not answered_2xx(answer):
            break
        first_good = answer.sent
    return max(0.0, first_good - restarted)


def judge(row: Row, failures: list):
    """Fill `row.problems` with the checks it fails."""
    if row.other_5xx:
        row.problems.append(f"{row.other_5xx} answers 5xx other than 503 with Retry-After")
    no_answer = row.count(lambda a: a.status is None)
    if no_answer:
        row.problems.append(
            f"{no_answer} requests got no answer (a closed connection or {CLIENT_TIMEOUT} s)"
        )
    if row.stale_since is not None:
        late = row.count(lambda a: a.stale and a.sent > row.stale_since + STALE_AFTER)
        if late:
            row.problems.append(f"{late} stale reads later than {STALE_AFTER:.0f} s")
    if row.recovery_expected and row.recovered_after is None:
        row.problems.append("not recovered when the experiment ended")
    failures.extend(f"{row.experiment} [{row.run}]: {p}" for p in row.problems)


COLUMNS = ("run", "requests", "2xx", "4xx", "503+RA", "other 5xx", "no answer", "stale")
COLUMNS += ("stale until s", "slowest s", "recover s", "checks")


def cells(row: Row) -> tuple:
    """One line of a table, in COLUMNS order."""
    recovered = "-"
    if row.recovery_expected:
        recovered = "never" if row.recovered_after is None else f"{row.recovered_after:.1f}"
    return (
        row.run,
        str(len(row.answers)),
        str(row.count(answered_2xx)),
        str(row.count(lambda a: a.status and 400 <= a.status < 500)),
        str(row.designed_503),
        str(row.other_5xx),
        str(row.count(lambda a: a.status is None)),
        row.stale_share() if row.stale_checked else "-",
        row.stale_until() if row.stale_checked else "-",
        f"{max((a.took for a in row.answers), default=0.0):.2f}",
        recovered,
        "FAIL" if row.problems else "ok",
    )


def print_table(title: str, rows: list):
    lines = [COLUMNS, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    print(f"\n{title}")
    for line in lines:
        print("  " + "  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))
    for row in rows:
        for problem in row.problems:
            print(f"  ! {row.run}: {problem}")
        for note in row.notes:
            print(f"  ~ {row.run}: {note} (reported, not checked)")


# --- The experiments. --------------------------------------------------------------------------


@dataclass
class Setting:
    """What one gunicorn run needs: its port, helper, releases, and how long to measure."""

    run: str
    port: int
    helper: Helper
    releases: dict
    warm: float
    measure: float
    redis: Redis | None = None
    postgres: Postgres | None = None


def _shows(title: str):
    encoded = title.encode()
    return lambda path, status, body: status == 200 and encoded in body


def _lacks(title: str):
    encoded = title.encode()
    return lambda path, status, body: status == 200 and encoded not in body


def _around_transition(setting: Setting, command: str, paths: list, release: dict, stale) -> Row:
    """Load on `paths`, run `command` on `release`, keep reading for `measure` s."""
    load = Load(setting.port, paths, stale=stale, limit=setting.warm + setting.measure + 30)
    time.sleep(setting.warm)  # every worker caches the pages first
    committed = setting.helper.ask(command, pk=release["pk"])["committed"]
    time.sleep(setting.measure)
    answers = [a for a in load.stop() if a.sent >= committed]
    return Row(command, setting.run, answers, stale_checked=True, stale_since=committed)


def withdrawal_visibility(setting: Setting) -> list:
    release = setting.releases[f"withdraw-{setting.run}"]
    paths = [release["url"], "/releases/", "/"]
    return [_around_transition(setting, "withdraw", paths, release, _shows(release["title"]))]


def publish_visibility(setting: Setting) -> list:
    release = setting.releases[f"publish-{setting.run}"]
    # The release's own page was a 404, which is never cached: the lists are what can be stale.
    paths = ["/releases/", "/"]
    return [_around_transition(setting, "publish", paths, release, _lacks(release["title"]))]


def _outage(setting: Setting, name: str, stop, start, hold=time.sleep) -> list:
    """Public load; `stop()` the service, `hold(measure)`, `start()` it; measure recovery.
    Two rows: the requests sent while the service was down, and those sent once it was back."""
    load = Load(
        setting.port, public_paths(setting.releases), limit=setting.warm + 3 * setting.measure + 40
    )
    time.sleep(setting.warm)
    stopped = time.time()
    stop()
    hold(setting.measure)
    start()
    restarted = time.time()
    time.sleep(setting.measure)
    answers = load.stop()
    down = Row(name, f"{setting.run}, down", [a for a in answers if stopped <= a.sent < restarted])
    back = Row(name, f"{setting.run}, back", [a for a in answers if a.sent >= restarted])
    back.recovery_expected = True
    back.recovered_after = recovery_seconds(back.answers, restarted)
    return [down, back]


def public_paths(releases: dict) -> list:
    return [releases["steady"]["url"], "/releases/", "/", "/feed/", "/myths/"]


def redis_outage(setting: Setting) -> list:
    def start():
        setting.redis.forget_snapshot()
        setting.redis.start()

    return _outage(setting, "redis outage", setting.redis.stop, start)


def _bounded(rows: list, *, checked: bool = True) -> list:
    """While the database is in trouble every answer must still come within SLOW_ANSWER."""
    for row in rows:
        slow = row.count(lambda a: a.took > SLOW_ANSWER)
        if slow:
            (row.problems if checked else row.notes).append(
                f"{slow} answers slower than {SLOW_ANSWER:.0f} s"
            )
    return rows


def postgres_outage(setting: Setting) -> list:
    postgres = setting.postgres
    return _bounded(_outage(setting, "postgres outage", postgres.stop, postgres.start))


def _longer_than_slow(hold):
    """A hang shorter than SLOW_ANSWER could not show an answer slower than it."""
    return lambda seconds: hold(max(seconds, SLOW_ANSWER + 1.0))


def postgres_hung(setting: Setting) -> list:
    postgres = setting.postgres
    hold = _longer_than_slow(time.sleep)
    return _bounded(_outage(setting, "postgres hung", postgres.freeze, postgres.thaw, hold))


def postgres_locked(setting: Setting) -> list:
    def hold(seconds):
        setting.helper.ask("lock", seconds=seconds)

    nothing = lambda: None  # noqa: E731 - the lock is held and released by `hold`
    rows = _outage(setting, "table locked", nothing, nothing, _longer_than_slow(hold))
    # How long a query may wait for a lock is the statement timeout's business, a choice between
    # slow editors' saves and stalled readers: measured here, not held to the outage bound.
    return _bounded(rows, checked=False)


def snapshot_restore(setting: Setting) -> list:
    """Save Redis, withdraw, restart Redis from the save: reads serving the release are stale."""
    release = setting.releases["snapshot-redis"]
    paths = [release["url"], "/releases/", "/"]
    load = Load(setting.port, paths, stale=_shows(release["title"]), limit=setting.warm + 60)
    time.sleep(setting.warm)
    setting.redis.snapshot()  # the backup, taken while the release is public
    setting.helper.ask("withdraw", pk=release["pk"])
    time.sleep(setting.warm)
    setting.redis.stop()
    setting.redis.start()  # from the old dump.rdb
    restarted = time.time()
    time.sleep(setting.measure)
    answers = [a for a in load.stop() if a.sent >= restarted]
    return [
        Row("snapshot restore", setting.run, answers, stale_checked=True, stale_since=restarted)
    ]


EXPERIMENTS = {
    "a. Withdrawal visibility (reads serving a withdrawn release)": (
        withdrawal_visibility,
        ("locmem", "redis"),
    ),
    "b. Publish visibility (lists without a published release)": (
        publish_visibility,
        ("locmem", "redis"),
    ),
    "c. Redis outage (redis-server stopped, then started empty)": (redis_outage, ("redis",)),
    "d. PostgreSQL outage (pg_ctl stop -m fast, then start)": (
        postgres_outage,
        ("locmem", "redis"),
    ),
    "e. Redis snapshot restore (SAVE, withdraw, restart from the save)": (
        snapshot_restore,
        ("redis",),
    ),
    "f. PostgreSQL hung (postmaster frozen with SIGSTOP: connections never answered)": (
        postgres_hung,
        ("locmem",),
    ),
    "g. Release table locked (a transaction holds ACCESS EXCLUSIVE on it)": (
        postgres_locked,
        ("locmem",),
    ),
}


def releases_needed() -> dict:
    names = {"steady": "published", "snapshot-redis": "published"}
    for run in ("locmem", "redis"):
        names[f"withdraw-{run}"] = "published"
        names[f"publish-{run}"] = "approved"
    return names


_STARTED = time.monotonic()


def progress(message: str):
    print(f"[{time.monotonic() - _STARTED:5.1f} s] {message}", file=sys.stderr, flush=True)


def keep_logs(work: Path, folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    for log in work.rglob("*log"):
        if log.is_file():
            shutil.copy(log, folder / "-".join(log.relative_to(work).parts))


def chosen(only: str) -> dict:
    """The experiments whose letter is in `only` (all when empty)."""
    return {title: plan for title, plan in EXPERIMENTS.items() if not only or title[0] in only}


def run_all(quick: bool, only: str = "", logs: Path | None = None) -> int:
    work = Path(tempfile.mkdtemp(prefix="pressdesk-faults-"))
    on_exit(shutil.rmtree, work, True)
    if logs:
        on_exit(keep_logs, work, logs)  # after the services stopped, before the folder goes
    postgres, redis = Postgres(work), Redis(work)
    progress("starting PostgreSQL and Redis")
    postgres.create()
    redis.start()
    warm, measure = (1.0, 2.0) if quick else (3.0, 15.0)
    experiments = chosen(only)
    results = {title: [] for title in experiments}
    helpers, servers = {}, {}
    for run, redis_url in (("locmem", None), ("redis", redis.url)):
        env = service_env(postgres, work, redis_url)
        helpers[run] = Helper(env, work / f"helper-{run}.log")
        servers[run] = Gunicorn(env, work, run)
        servers[run].launch()
    progress("migrating and building releases through the workflow")
    releases = helpers["locmem"].ask("build", names=releases_needed())
    for run, server in servers.items():
        if not any(run in runs for _, runs in experiments.values()):
            continue
        progress(f"waiting for gunicorn ({run} cache)")
        server.wait()
        # Each worker imports and compiles its templates on its first requests: not measured.
        Load(server.port, public_paths(releases), max_requests=60, limit=30).finish()
        setting = Setting(run, server.port, helpers[run], releases, warm, measure, redis, postgres)
        for title, (experiment, runs) in experiments.items():
            if run in runs:
                progress(f"{run}: {experiment.__name__}")
                results[title].extend(experiment(setting))
        server.stop()
    return report(results, quick)


def report(results: dict, quick: bool) -> int:
    failures: list = []
    for title, rows in results.items():
        for row in rows:
            judge(row, failures)
        print_table(title, rows)
    mode = "quick mode" if quick else "full mode"
    print(f"\n{len(failures)} failed checks ({mode}, {WORKERS} gunicorn workers)")
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds per experiment")
    parser.add_argument("--only", default="", help="experiment letters to run, e.g. --only ae")
    parser.add_argument("--logs", type=Path, help="copy the servers' logs into this folder")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.serve:
        serve()
        return 0
    atexit.register(_teardown)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    return run_all(options.quick, options.only, options.logs)


if __name__ == "__main__":
    sys.exit(main())
