"""`python -m benchmarks`: build, serve, load, count, print; see benchmarks/README.md.

    python -m benchmarks --releases 1000            # one size
    python -m benchmarks --releases 1000,100000     # two sizes in one run, plus the growth table
    python -m benchmarks --quick                    # small data, 1 s per path: scripts/test

Exits 1 on an error (a socket error or an answer other than 2xx/3xx under load, a path that does
not answer 200, a broken run) or a query count above targets.QUERY_LIMITS; never on a timing.
"""

import argparse
import re
import shutil
import signal
import statistics
import sys
import time
import traceback

from . import load, targets
from .environment import world_prepare
from .server import BASELINE, Server, fetch

QUICK_RELEASES = 60
QUICK_MODELS = 3
SLOW_ALONE = 2.0  # seconds: a cold path slower than this alone is measured once, not loaded
WARM_AGAIN_WINDOW = {True: 10, False: 60}  # at most, seconds of load around the publication


_STARTED = time.perf_counter()


def _log(message: str) -> None:
    print(f"[{time.perf_counter() - _STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


def _merged(runs: list) -> load.Load:
    """The baseline runs (one before each path) as one: median rate and p50, worst p99."""
    merged = load.Load()
    measured = [r for r in runs if r.requests and r.p50 is not None] or [load.Load(p50=0, p99=0)]
    merged.requests = sum(r.requests for r in measured)
    merged.rate = statistics.median(r.rate for r in measured)
    merged.p50 = statistics.median(r.p50 for r in measured)
    merged.p99 = max(r.p99 or 0 for r in measured)
    return merged


def _errors_of(name: str, series: str, result: load.Load) -> list[str]:
    if not result.errors:
        return []
    parts = []
    if result.bad_status:
        parts.append(f"{result.bad_status} answers not 2xx/3xx")
    parts += [f"{count} socket {kind} errors" for kind, count in result.socket_errors.items()]
    return [f"{name}, {series}: {', '.join(parts)} {result.note}".strip()]


def approved_release():
    """A release approved and waiting, for the real publication of the warm-again measurement."""
    from myths.models import Release
    from tests.factories import arrange_state, release_with_content

    release = release_with_content(
        responses=5, figures=1, sources=2, title=f"Breaking: the harbour at {time.time():.0f}"
    )
    return arrange_state(release, Release.Status.APPROVED)


def publish(release) -> None:
    from myths import workflow
    from tests.factories import UserFactory

    publisher = UserFactory(role="publisher")
    workflow.release_publish(release=release, actor=publisher)


def warm_again(server, paths, release, *, quick: bool):
    """Seconds from a publication (through the workflow, under a load cycling over every path,
    all warm) until every path answers at warm speed again.

    A path is warm again from the first of three answers in a row no slower than its threshold:
    three times the median of its answers under the same load before the publication, and at
    least 10 ms more than it. Also returns the wrk summary of the load, for its errors."""
    urls = [p.path for p in paths]
    for url in urls:
        fetch(server.base + url, timeout=60)
    window = WARM_AGAIN_WINDOW[quick]
    process, script = load.start_mixed(server.base, urls, seconds=window, timeout=30)
    try:
        time.sleep(1)
        before = {url: [] for url in urls}
        for _round in range(5):
            for url in urls:
                before[url].append(fetch(server.base + url, timeout=30)[1])
        threshold = {
            url: max(3 * statistics.median(times), statistics.median(times) + 0.010)
            for url, times in before.items()
        }
        publish(release)
        published = time.perf_counter()
        streak = {url: [] for url in urls}
        warm_at = {}
        while len(warm_at) < len(urls) and time.perf_counter() - published < window - 2:
            for url in urls:
                if url in warm_at:
                    continue
                started = time.perf_counter() - published
                status, seconds, _headers, _body = fetch(server.base + url, timeout=30)
                if status == 200 and seconds <= threshold[url]:
                    streak[url].append(started)
                    if len(streak[url]) == 3:
                        warm_at[url] = streak[url][0]
                else:
                    streak[url] = []
        note = ""
        if len(warm_at) < len(urls):
            note = f"{len(urls) - len(warm_at)} paths not warm within {window - 2} s"
        result = max(warm_at.values()) if len(warm_at) == len(urls) else None
    finally:
        process.send_signal(signal.SIGINT)  # wrk stops and prints its summary
        output, _stderr = process.communicate(timeout=window + 60)
        script.unlink()
    return result, note, load.parse(output)


def loaded(server, path, seconds: int, *, cold: bool) -> load.Load:
    """wrk on `path` (None: the baseline), with a timeout long enough to measure slow answers."""
    return load.run(
        server.base, path.path if path else BASELINE, seconds=seconds, timeout=30, cold=cold
    )


def warm_measure(server, path, row, seconds: int) -> list[str]:
    """Fill the cache with one request, then load the path as it is."""
    server.wait_idle()
    url = server.base + path.path
    status, took, _headers, _body = fetch(url, timeout=30)
    if status == 200:  # once more, from the cache (a search is never cached)
        status, took, _headers, _body = fetch(url, timeout=30)
    if status != 200:
        row.warm_alone = took
        return [f"{path.path} answered {status} after {took:.1f} s"]
    if took > SLOW_ALONE:
        row.warm_alone = took  # loading it would queue minutes of work on 2 workers
        return []
    row.warm = loaded(server, path, seconds, cold=False)
    return _errors_of(path.name, "warm", row.warm)


def cold_measure(server, path, row, seconds: int) -> list[str]:
    """One cold request alone, then a load in which every request is cold (load.COLD_LUA)."""
    server.wait_idle()
    separator = "&" if "?" in path.path else "?"
    url = f"{server.base}{path.path}{separator}cold=alone"
    status, took, _headers, _body = fetch(url, timeout=30)
    row.cold_alone = took
    if status != 200:
        row.cold_status = status
        return [f"{path.path} answered {status} cold after {took:.1f} s"]
    if took > SLOW_ALONE:
        return []  # loading it would queue minutes of work on 2 workers
    row.cold = loaded(server, path, seconds, cold=True)
    return _errors_of(path.name, "cold", row.cold)


def measure(
    world, releases: int, build_seconds: float, *, seconds: int, quick: bool, only=frozenset()
):
    from . import paths as public

    errors = []
    server = Server(world.work)
    server.start()
    try:
        status, took, _headers, body = fetch(server.base + "/sitemap.xml", timeout=120)
        if status != 200:
            errors.append(f"/sitemap.xml answered {status} after {took:.1f} s")
        rows_paths = public.public_paths(public.sitemap_page_of(body))
        public.release_pdf_store(rows_paths[-1])
        if only:  # a few paths, while working on them (--only)
            rows_paths = [path for path in rows_paths if path.key in only]
        release = approved_release()
        _log(f"  counting queries in process ({len(rows_paths)} paths)")
        counts = public.query_counts(rows_paths, errors)
        public.cold_unstored(rows_paths, counts, errors)
        rows = [targets.Row(p.key, p.name, p.kind, queries=counts.get(p.key)) for p in rows_paths]
        baseline_runs = []
        for path, row in zip(rows_paths, rows, strict=True):
            _log(f"  {path.name}")
            # The baseline right before each path: on a shared machine the ceiling moves, and
            # each path is compared with the ceiling of its own minute.
            server.wait_idle()
            row.baseline = loaded(server, None, seconds, cold=False)
            baseline_runs.append(row.baseline)
            errors += _errors_of("baseline", f"before {path.name}", row.baseline)
            errors += warm_measure(server, path, row, seconds)
            public.cold_start()
            errors += cold_measure(server, path, row, seconds)
        _log("  warm again after a publication")
        server.wait_idle()
        steady = [p for p, r in zip(rows_paths, rows, strict=True) if r.cold is not None]
        again, note, mixed = warm_again(server, steady, release, quick=quick)
        errors += _errors_of("all paths", "during the publication", mixed)
        server.wait_idle()
        result = targets.SizeResult(
            releases=releases,
            build_seconds=build_seconds,
            baseline=_merged(baseline_runs),
            baseline_runs=baseline_runs,
            rows=rows,
            warm_again=again,
            warm_again_note=note,
            rss_mb=server.worker_rss_mb(),
            errors=errors,
            baseline_queries=counts.get("baseline"),
        )
    finally:
        server.stop()
    if "Traceback" in server.log_path.read_text(errors="replace"):
        result.errors.append(f"gunicorn logged a traceback: {server.log_tail()[-1500:]}")
    return result


def print_result(result, *, seconds: int) -> None:
    rates = [r.rate for r in result.baseline_runs] or [0]
    runs = f"{min(rates):,.0f} to {max(rates):,.0f}"
    print(
        f"\n## {result.releases:,} published releases\n\n"
        f"Built in {result.build_seconds:.0f} s. wrk -t{load.THREADS} -c{load.CONNECTIONS}, "
        f"{seconds} s per path and series. The trivial view is loaded right before each path "
        f"({runs} req/s; median {result.baseline.rate:,.0f}): each ratio is to the run before "
        f"its path. Cold alone: one request, no load. ✓/✗ mark the targets.\n"
    )
    print(targets.table(result))
    print("\nTargets:\n")
    print(targets.summary(result))
    if result.errors:
        print("\nErrors:\n")
        for error in result.errors:
            print(f"- {error}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--releases",
        default="1000",
        help="published releases, or two sizes separated by a comma (default 1000)",
    )
    parser.add_argument("--seconds", type=int, default=None, help="wrk time per path and series")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_RELEASES} releases, 1 s per path"
    )
    parser.add_argument("--no-in-process", action="store_true", help="skip the in-process section")
    parser.add_argument(
        "--only",
        default="",
        help='measure only these paths, by key, comma-separated (e.g. "release page,home"; '
        '"search, rare word,search, common word": a comma followed by a space is a key\'s own)',
    )
    args = parser.parse_args(argv)
    # Some keys hold a comma and a space ("search, rare word"): only a bare comma separates.
    only = frozenset(key.strip() for key in re.split(r",(?! )", args.only) if key.strip())
    if only and args.quick:
        parser.error("--only measures part of the table; the quick mode checks all of it")
    unknown = only - set(targets.QUERY_LIMITS)
    if unknown:
        parser.error(f"unknown path keys: {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        print("The benchmark needs wrk (apt-get install wrk).", file=sys.stderr)
        return 1
    sizes = [QUICK_RELEASES] if args.quick else sorted(int(n) for n in args.releases.split(","))
    seconds = args.seconds or (1 if args.quick else 5)

    started = time.perf_counter()
    world = world_prepare()
    from . import data

    _log(f"Benchmark on {world.vendor}: model releases through the workflow")
    models = data.models_publish(QUICK_MODELS if args.quick else data.MODELS)
    builder = data.Builder(models)
    results, failed = [], 0
    for number, size in enumerate(sizes):
        _log(f"Building {size:,} published releases")
        built = builder.grow(size, log=_log)
        shape = data.copies_check()
        if shape:
            print("\nCopies not shaped as the workflow makes them:\n")
            print("\n".join(f"- {problem}" for problem in shape))
            failed += len(shape)
        _log(f"Measuring at {size:,} releases ({built:.0f} s to build)")
        result = measure(world, size, built, seconds=seconds, quick=args.quick, only=only)
        results.append(result)
        print_result(result, seconds=seconds)
        limits = targets.query_limit_failures(result)
        if limits:
            print("\nQuery counts above their limits (targets.QUERY_LIMITS):\n")
            for line in limits:
                print(f"- {line}")
        failed += len(result.errors) + len(limits)
        if number == 0 and not args.no_in_process:
            from . import inprocess

            try:
                failed += inprocess.run(quick=args.quick)
            except Exception:  # a broken section must not cost the sizes still to measure
                traceback.print_exc()
                failed += 1
    if len(results) > 1:
        print(f"\n## Growth from {results[0].releases:,} to {results[-1].releases:,} releases\n")
        print(targets.growth_table(results[0], results[-1]))
    if args.quick:
        failed += quick_check(results[0])
    print(f"\nBenchmark took {time.perf_counter() - started:.0f} s; exit {1 if failed else 0}.")
    return 1 if failed else 0


def quick_check(result) -> int:
    """The quick mode checks itself: every path was loaded warm and cold and parsed."""
    missing = [
        row.name
        for row in result.rows
        if row.warm is None
        or row.cold is None
        or not row.warm.requests
        or not row.cold.requests
        or row.queries is None
    ]
    if result.baseline.rate <= 0 or missing:
        print(f"\nQuick mode incomplete: no measurement for {', '.join(missing) or 'the baseline'}")
        return 1
    return 0
