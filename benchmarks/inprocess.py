"""In-process measurements, one section of the benchmark: render against cached, ETag
revalidation, query counts as content and drafts grow, a PDF render in the renderer process against
WeasyPrint alone on the same HTML, and a stored PDF download against a render.

Each line compares two measurements taken in this run, in this process, so the ratio is what
matters. Query counts are exact and a difference fails the benchmark; times only inform. It adds
its own releases (through the workflow) to the benchmark's data.
"""

import os
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))


class Size:
    """How much data and how many runs: the full benchmark, or the quick mode of scripts/test."""

    def __init__(self, quick: bool):
        self.quick = quick
        self.repeat = 3 if quick else REPEAT
        self.claims = 5 if quick else 20  # claims of the large release
        self.releases = 3 if quick else 30  # releases added to the lists, and drafts added


def timed(func, *, repeat, before=None) -> float:
    """Median seconds of `func()` over `repeat` runs, `before()` run untimed ahead of each."""
    samples = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def timed_pair(first, second, *, repeat) -> tuple[float, float]:
    """Median seconds of `first()` and of `second()`, run in turns, so that whatever else the
    machine is doing weighs on both alike."""
    samples = ([], [])
    for _ in range(repeat):
        for func, kept in zip((first, second), samples, strict=True):
            start = time.perf_counter()
            func()
            kept.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def all_caches_clear() -> None:
    """Cold in every layer: the shared cache, this process's memory of pages, skeletons and
    fragments, and its reading of the public generation (core/page_cache.py,
    core/public_state.py)."""
    from core.page_cache import recent_fragments, recent_pages, recent_skeletons
    from core.public_state import public_state_forget

    cache.clear()
    for memory in (recent_pages, recent_skeletons, recent_fragments):
        memory.clear()
    public_state_forget()


def queries(func) -> int:
    all_caches_clear()
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
    def __init__(self, size: Size):
        self.size = size
        self.rows, self.failed = [], 0

    def _timing(self, ok: bool) -> bool:
        """Times only inform: a missed time target is printed, never counted as a failure."""
        return ok

    def ratio(self, name, slow_label, slow, fast_label, fast, target):
        ratio = slow / fast if fast else float("inf")
        ok = self._timing(ratio >= target)
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
        ok = self._timing(ratio <= target)
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
        mode = "quick mode, " if self.size.quick else ""
        runs = self.size.repeat
        print(f"\nIn process, on {connection.vendor}, {mode}median of {runs} runs\n")
        for name, text, ratio, target, ok in self.rows:
            mark = "ok  " if ok else "MISS"
            print(f"{mark} {name:<{width}}  {text:<{detail}}  {ratio:>7}  (target {target})")
        missed = sum(1 for row in self.rows if not row[4])
        print(f"\n{len(self.rows) - missed} met, {missed} missed", end="")
        print(" (times only inform)" if missed else "")


def measure_release_page(report, client, size, small, large):
    """1-3: the page cache, ETag revalidation, and queries and render time against content."""
    small_url, large_url = small.get_absolute_url(), large.get_absolute_url()
    big = f"{size.claims} claims"

    # 1. The page cache: a cached page against a full render of the same page.
    uncached = timed(get(client, large_url), repeat=size.repeat, before=all_caches_clear)
    get(client, large_url)()
    cached = timed(get(client, large_url), repeat=size.repeat)
    report.ratio("Release page, page cache", "render", uncached, "cached", cached, 5)

    # 2. Revalidation: a reader's browser asking "changed?" with the ETag it has.
    etag = client.get(large_url)["ETag"]
    not_modified = timed(get(client, large_url, 304, HTTP_IF_NONE_MATCH=etag), repeat=size.repeat)
    report.ratio("Release page, ETag revalidation", "render", uncached, "304", not_modified, 5)

    # 3. Content does not multiply queries: 1 claim against many with figures and sources.
    report.same(
        f"Release page queries, 1 vs {big}",
        "1 claim",
        queries(get(client, small_url)),
        big,
        queries(get(client, large_url)),
    )
    small_render = timed(get(client, small_url), repeat=size.repeat, before=all_caches_clear)
    report.bounded(
        f"Release page render, 1 vs {big}", "1", small_render, str(size.claims), uncached, 8
    )


def measure_lists(report, client, size, published_release) -> dict:
    """4-5: lists, the home page, the feed and search do not grow in queries with the releases.
    Returns the query counts taken before the releases were added."""
    home, listing, feed = reverse("myths:home"), reverse("myths:release-list"), "/feed/"
    search = f"{listing}?q=harbour"
    counts_before = {url: queries(get(client, url)) for url in (home, listing, feed, search)}
    for number in range(size.releases):
        published_release(responses=2, title=f"Bench list release {number}")
    total = 2 + size.releases
    for url in (home, listing, feed):
        report.same(
            f"Queries of {url}, 2 vs {total} releases",
            "2",
            counts_before[url],
            str(total),
            queries(get(client, url)),
        )
    # 5. Search: on PostgreSQL the ranked full-text search uses its GIN index.
    report.same(
        f"Search queries, 2 vs {total} releases",
        "2",
        counts_before[search],
        str(total),
        queries(get(client, search)),
    )
    return counts_before


def pdf_layout_args(release) -> tuple[str, dict]:
    """The HTML of `release`'s public PDF and the arguments html_to_pdf() lays it out with."""
    from myths.pdf.render import BASE_URL, PDF_VARIANT, _figure_files, release_pdf_html
    from myths.revisions import revision_content

    html, allowed = release_pdf_html(content=revision_content(release.live_revision))
    return html, {
        "base_url": BASE_URL,
        "files": _figure_files(allowed),
        "max_pages": settings.PRESSDESK_PDF_MAX_PAGES,
        "pdf_variant": PDF_VARIANT,
    }


def measure_pdf(report, client, size, release):
    """6: a render in the long-lived renderer process costs about what WeasyPrint alone does on
    the same HTML; a download reads the stored file and renders nothing."""
    from myths.pdf.tasks import release_pdfs_render
    from myths.pdf.worker import html_to_pdf, run_isolated

    html, options = pdf_layout_args(release)
    timeout = settings.PRESSDESK_PDF_TIMEOUT
    # One untimed run each: the renderer's start and WeasyPrint's first-use caches are paid once
    # per process, not per render.
    html_to_pdf(html, **options)
    run_isolated(html_to_pdf, html, timeout=timeout, **options)
    runs = 3 if size.quick else max(5, size.repeat // 2)
    alone, isolated = timed_pair(
        lambda: html_to_pdf(html, **options),
        lambda: run_isolated(html_to_pdf, html, timeout=timeout, **options),
        repeat=runs,
    )
    report.bounded("PDF render vs WeasyPrint alone", "alone", alone, "renderer", isolated, 1.15)

    pdf_url = reverse("myths:release-pdf", kwargs={"slug": release.slug})
    release_pdfs_render.call(release_id=release.pk)
    # getvalue(): a PDF the worker kept in its memory is an HttpResponse, else a FileResponse.
    stored = timed(lambda: get(client, pdf_url)().getvalue(), repeat=size.repeat)
    report.ratio("PDF download, stored", "render", isolated, "stored file", stored, 20)


def run(*, quick: bool) -> int:
    """Measure and print; returns how many query-count comparisons failed."""
    from myths.models import Release
    from tests.factories import UserFactory, arrange_state, published_release, release_with_content

    size = Size(quick)
    report = Report(size)
    client = Client()
    small = published_release(responses=1, figures=1, sources=1, title="Bench one claim")
    large = published_release(responses=size.claims, figures=3, sources=4, title="Bench many")
    measure_release_page(report, client, size, small, large)
    counts_before = measure_lists(report, client, size, published_release)
    measure_pdf(report, client, size, small)

    # 7. Drafts cost the public pages nothing: drafts in review do not change query counts.
    # A writer submits them, as the workflow requires.
    writer = UserFactory(username="bench-writer", role="writer")
    for number in range(size.releases):
        release = release_with_content(responses=1, title=f"Draft {number}")
        arrange_state(release, Release.Status.IN_REVIEW, author=writer)
    report.same(
        f"Home queries with {size.releases} drafts added",
        "before",
        counts_before[reverse("myths:home")],
        "after",
        queries(get(client, reverse("myths:home"))),
    )
    report.print()
    return report.failed
