"""Issue 10's targets, the query limits CI holds the code to, and the one table.

Timings are printed with the targets they meet or miss (✓/✗) and never decide the exit status;
an error (a socket error, an answer other than 2xx/3xx, a path that fails in process) or a query
count above QUERY_LIMITS does.
"""

from dataclasses import dataclass, field

WARM_RATIO = 0.85
PDF_WARM_RATIO = 0.8  # issue 10, item 3: a cached PDF download ≥ 0.8 of the trivial view
COLD_RATIOS = {
    "page": 0.25,  # release page, claim page
    "list": 0.10,  # home, list, filter, feeds, register
    "search-rare": 0.05,
    "search-common": 0.02,
    "sitemap": None,
    "pdf": None,
}
COLD_P99 = 0.300  # seconds, every cold path under load
QUERIES_COLD, QUERIES_WARM = 4, 0
GROWTH = 1.5  # cold p50 at the largest size over the smallest
RSS_MB = 150

# (cold, warm) queries each path may make; CI fails above them (the quick mode runs in scripts/
# test). The target (4 cold, 0 warm) where the code meets it today, else what it makes
# today, with the gap named, so that a regression fails and an improvement is written down here.
# Measured on main of 27 Nov 2026, after the speed work of issue 10 (one query of the page cache's
# own when its generation reading is a second old, counted cold; none warm).
QUERY_LIMITS = {
    "baseline": (0, 0),
    "home": (4, 0),
    "release page": (4, 0),
    "release list, page 1": (4, 0),
    "release list, last page": (4, 0),
    "filter topic+language": (4, 0),
    # A search that found something is cached under its one spelling, within a budget.
    "search, rare word": (4, 0),
    "search, common word": (4, 0),
    "myth register": (4, 0),
    "claim page": (4, 0),
    "Atom feed": (4, 0),
    "RSS feed": (4, 0),
    "sitemap.xml": (4, 0),
    "sitemap page": (4, 0),
    # The stored file a slug names is kept under the public generation (myths/pdf/views.py).
    "PDF download (stored)": (4, 0),
}


@dataclass
class Row:
    key: str
    name: str
    kind: str
    warm: object = None  # load.Load
    cold: object = None
    queries: tuple | None = None
    cold_alone: float | None = None  # one cold request, when too slow to load
    warm_alone: float | None = None  # one warm request, when too slow to load
    baseline: object = None  # load.Load of the trivial view, measured right before this path
    cold_status: int | None = None  # the status of the cold request alone, when not 200


@dataclass
class SizeResult:
    releases: int
    build_seconds: float
    baseline: object  # load.Load, the baseline runs merged (for the table's first row)
    baseline_runs: list
    rows: list[Row]
    warm_again: float | None = None
    warm_again_note: str = ""
    rss_mb: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    baseline_queries: tuple | None = None


def _ms(seconds) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" ✓" if ok else " ✗")


def warm_target(row: Row) -> float:
    return PDF_WARM_RATIO if row.kind == "pdf" else WARM_RATIO


def ratio(load, baseline) -> float | None:
    if load is None or not baseline.rate or not load.requests:
        return None
    return load.rate / baseline.rate


def _ratio_cell(value, target) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}{_mark(None if target is None else value >= target)}"


def _load_cells(load, baseline, target, *, cold: bool, alone=None) -> list[str]:
    if load is None:
        note = f"not loaded: one request {_ms(alone)}" if alone is not None else "not run"
        return [note, "—", "—", "—"]
    if not load.requests:
        return ["no answer in the run", "—", "—", "—"]
    rate = ratio(load, baseline)
    p99_ok = (load.p99 is not None and load.p99 <= COLD_P99) if cold else None
    return [
        f"{load.rate:,.0f}",
        _ratio_cell(rate, target),
        _ms(load.p50),
        _ms(load.p99) + _mark(p99_ok),
    ]


def query_limit_failures(result: SizeResult) -> list[str]:
    failures = []
    for row in result.rows:
        if row.queries is None or row.key not in QUERY_LIMITS:
            continue
        for label, count, limit in zip(
            ("cold", "warm"), row.queries, QUERY_LIMITS[row.key], strict=True
        ):
            if count > limit:
                failures.append(f"{row.name}: {count} queries {label}, limit {limit}")
    return failures


def table(result: SizeResult) -> str:
    base = result.baseline
    lines = [
        "| path | warm req/s | ratio | p50 | p99 "
        "| cold req/s | ratio | p50 | p99 | cold alone | queries cold/warm |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        f"| trivial view (baseline) | {base.rate:,.0f} | 1 | {_ms(base.p50)} | {_ms(base.p99)} "
        f"| | | | | | {'/'.join(str(n) for n in result.baseline_queries or ('—',))} |",
    ]
    for row in result.rows:
        own = row.baseline or base
        warm = _load_cells(row.warm, own, warm_target(row), cold=False, alone=row.warm_alone)
        cold = _load_cells(
            row.cold, own, COLD_RATIOS.get(row.kind), cold=True, alone=row.cold_alone
        )
        if row.queries is None:
            queries = "—"
        else:
            cold_q, warm_q = row.queries
            queries = (
                f"{cold_q}{_mark(cold_q <= QUERIES_COLD)}/{warm_q}{_mark(warm_q <= QUERIES_WARM)}"
            )
        alone = _ms(row.cold_alone)
        lines.append(f"| {row.name} | " + " | ".join([*warm, *cold, alone, queries]) + " |")
    return "\n".join(lines)


def summary(result: SizeResult) -> str:
    """The targets of the issue, met or missed, for one size."""
    rows = result.rows
    base = result.baseline

    def missed(predicate):
        return [row.name for row in rows if not predicate(row)]

    checks = [
        (
            "warm ratio ≥ 0.85 (PDF ≥ 0.8)",
            missed(lambda r: (ratio(r.warm, r.baseline or base) or 0) >= warm_target(r)),
        ),
        (
            "cold ratio (release/claim ≥ 0.25, lists/feeds/register ≥ 0.10, search ≥ 0.05/0.02)",
            missed(
                lambda r: (
                    COLD_RATIOS.get(r.kind) is None
                    or (ratio(r.cold, r.baseline or base) or 0) >= COLD_RATIOS[r.kind]
                )
            ),
        ),
        (
            "cold p99 ≤ 300 ms",
            missed(
                lambda r: r.cold is not None and r.cold.p99 is not None and r.cold.p99 <= COLD_P99
            ),
        ),
        (
            "queries ≤ 4 cold, 0 warm",
            missed(
                lambda r: (
                    r.queries is not None
                    and r.queries[0] <= QUERIES_COLD
                    and r.queries[1] <= QUERIES_WARM
                )
            ),
        ),
    ]
    lines = []
    for name, misses in checks:
        state = "met" if not misses else f"MISSED by {len(misses)}: {', '.join(misses)}"
        lines.append(f"- {name}: {state}")
    rss = max(result.rss_mb) if result.rss_mb else None
    rss_text = "unknown" if rss is None else f"{rss:.0f} MB"
    sizes = ", ".join(f"{mb:.0f}" for mb in result.rss_mb)
    lines.append(
        f"- worker RSS < {RSS_MB} MB: {'met' if rss is not None and rss < RSS_MB else 'MISSED'}"
        f" (largest {rss_text}; workers {sizes} MB)"
    )
    errors = len(result.errors)
    lines.append(f"- no errors, no 5xx: {'met' if not errors else f'MISSED ({errors})'}")
    again = "not measured" if result.warm_again is None else f"{result.warm_again:.2f} s"
    lines.append(
        f"- every page warm again after a publication under load: {again}"
        + (f" ({result.warm_again_note})" if result.warm_again_note else "")
    )
    return "\n".join(lines)


def growth_table(small: SizeResult, large: SizeResult) -> str:
    lines = [
        f"| path | cold p50 at {small.releases:,} | cold p50 at {large.releases:,} | growth |",
        "|---|--:|--:|--:|",
    ]
    before = {row.key: row for row in small.rows}
    for row in large.rows:
        first = before.get(row.key)

        def p50(r):
            if r is None:
                return None
            return r.cold.p50 if r.cold is not None else r.cold_alone

        a, b = p50(first), p50(row)
        growth = f"{b / a:.2f}{_mark(b / a <= GROWTH)}" if a and b else "—"
        failed = [r.cold_status for r in (first, row) if r is not None and r.cold_status]
        if failed:  # a time cut off by a timeout says nothing about growth
            growth = f"answered {failed[-1]} ✗"
        lines.append(f"| {row.name} | {_ms(a)} | {_ms(b)} | {growth} |")
    return "\n".join(lines)
