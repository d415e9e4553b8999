"""Pressdesk's performance targets, measured side by side in one run.

    .venv/bin/python scripts/bench.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://… .venv/bin/python scripts/bench.py   # plus PostgreSQL search

Each line compares two measurements taken in this run on this machine, so the figure that matters
is the ratio, not the milliseconds. Query counts are exact. The script builds its own data in a
throwaway database, prints a table and exits non-zero when a target is missed. It is not part of
the test suite: tests assert query counts, never times.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="pressdesk-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
os.environ["DJANGO_MEDIA_ROOT"] = str(WORK / "media")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

import warnings  # noqa: E402

import django  # noqa: E402

# WhiteNoise warns that collectstatic has not run; the benchmark serves no static files.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))


def timed(func, *, repeat=REPEAT, before=None) -> float:
    """Median seconds of `func()` over `repeat` runs, `before()` run untimed ahead of each."""
    samples = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def queries(func) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


def get(client, url, expect=200, **headers):
    def call():
        response = client.get(url, **headers)
        assert response.status_code == expect, (url, response.status_code)
        return response

    return call


class Report:
    def __init__(self):
        self.rows, self.failed = [], 0

    def ratio(self, name, slow_label, slow, fast_label, fast, target):
        ratio = slow / fast if fast else float("inf")
        ok = ratio >= target
        self.failed += not ok
        self.rows.append(
            (
                name,
                f"{slow_label} {slow * 1000:.1f} ms / {fast_label} {fast * 1000:.2f} ms",
                f"{ratio:.1f}x",
                f">= {target}x",
                ok,
            )
        )

    def same(self, name, small_label, small, large_label, large, unit="queries"):
        ok = small == large
        self.failed += not ok
        self.rows.append(
            (name, f"{small_label} {small} / {large_label} {large} {unit}", "", "equal", ok)
        )

    def bounded(self, name, small_label, small, large_label, large, target):
        ratio = large / small if small else float("inf")
        ok = ratio <= target
        self.failed += not ok
        self.rows.append(
            (
                name,
                f"{small_label} {small * 1000:.1f} ms / {large_label} {large * 1000:.1f} ms",
                f"{ratio:.2f}x",
                f"<= {target}x",
                ok,
            )
        )

    def print(self):
        width = max(len(r[0]) for r in self.rows)
        detail = max(len(r[1]) for r in self.rows)
        print(f"\nPressdesk benchmark on {connection.vendor}, median of {REPEAT} runs\n")
        for name, text, ratio, target, ok in self.rows:
            mark = "ok  " if ok else "MISS"
            print(f"{mark} {name:<{width}}  {text:<{detail}}  {ratio:>7}  (target {target})")
        print(f"\n{len(self.rows) - self.failed} met, {self.failed} missed")


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from myths.models import Release
    from tests.factories import ReleaseFactory, UserFactory, arrange_state, published_release

    report = Report()
    client = Client()
    small = published_release(responses=1, figures=1, sources=1, title="Bench one claim")
    large = published_release(responses=20, figures=3, sources=4, title="Bench twenty claims")
    small_url, large_url = small.get_absolute_url(), large.get_absolute_url()

    # 1. The page cache: a cached page against a full render of the same page.
    uncached = timed(get(client, large_url), before=cache.clear)
    get(client, large_url)()
    cached = timed(get(client, large_url))
    report.ratio("Release page, page cache", "render", uncached, "cached", cached, 5)

    # 2. Revalidation: a reader's browser asking "changed?" with the ETag it has.
    etag = client.get(large_url)["ETag"]
    not_modified = timed(get(client, large_url, 304, HTTP_IF_NONE_MATCH=etag))
    report.ratio("Release page, ETag revalidation", "render", uncached, "304", not_modified, 5)

    # 3. Content does not multiply queries: 1 claim against 20 claims with figures and sources.
    report.same(
        "Release page queries, 1 vs 20 claims",
        "1 claim",
        queries(get(client, small_url)),
        "20 claims",
        queries(get(client, large_url)),
    )
    small_render = timed(get(client, small_url), before=cache.clear)
    report.bounded(
        "Release page render, 1 vs 20 claims", "1", small_render, "20", uncached, target=8
    )

    # 4. Lists do not grow in queries with the number of releases.
    home, listing, feed = reverse("myths:home"), reverse("myths:release-list"), "/feed/"
    counts_before = {url: queries(get(client, url)) for url in (home, listing, feed)}
    for number in range(30):
        published_release(responses=2, title=f"Bench list release {number}")
    for url in (home, listing, feed):
        report.same(
            f"Queries of {url}, 2 vs 32 releases",
            "2",
            counts_before[url],
            "32",
            queries(get(client, url)),
        )

    # 5. The PDF: the first download renders, the next ones come from the cache.
    pdf_url = reverse("myths:release-pdf", kwargs={"slug": small.slug})
    from myths.pdf import render as pdf_module

    def clear_pdf_cache():
        cache.clear()

    cold = timed(get(client, pdf_url), repeat=max(3, REPEAT // 5), before=clear_pdf_cache)
    get(client, pdf_url)()
    warm = timed(get(client, pdf_url))
    report.ratio("PDF download, cached", "cold render", cold, "cached", warm, 20)
    assert pdf_module  # imported so a broken PDF module fails here, not later

    # 6. Search: on PostgreSQL the ranked full-text search uses its GIN index.
    search = f"{listing}?q=harbour"
    search_queries = queries(get(client, search))
    report.same(
        "Search queries, 32 releases", "expected", counts_before[listing], "got", search_queries
    )

    # 7. Drafts cost the public pages nothing: 30 drafts in review do not change query counts.
    writer = UserFactory(username="bench-writer")
    for number in range(30):
        arrange_state(
            ReleaseFactory(title=f"Draft {number}"), Release.Status.IN_REVIEW, author=writer
        )
    report.same(
        "Home queries with 30 drafts added",
        "before",
        counts_before[home],
        "after",
        queries(get(client, home)),
    )

    report.print()
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
