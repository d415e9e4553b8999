"""Which version of the public site is current: the public generation and the horizon, read in
one query and kept by each process for at most a second.

- The *generation* (core/cache.py) is bumped in the transaction of every change to what the
  public sees.
- The *horizon* is the next moment something becomes public or stops being public without any
  transition or bump (a scheduled release falling due, a release expiring). The apps that know
  such moments register a source with `register_horizon()` (myths does, from its
  AppConfig.ready), so core imports no app.

A cached page must not cost a query, so each process keeps the pair it last read (a
`PublicState`) and reads it again when the monotonic clock says a second has passed, or at once
when the wall clock reaches the horizon. A change made by another process or server is thus seen
within a second; the process that bumps forgets its pair at once (`public_state_forget`), so its
own next request sees the change. The pair comes from the
database, never from the cache: a Redis restored from an old snapshot cannot bring an old
generation back.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet, Subquery
from django.utils import timezone

from .models import PublicGeneration

# How long a process may serve pages under what it last read. Issue 10's rule: a publication or a
# withdrawal is effective on every worker and every server within a second.
REVALIDATE_SECONDS = 1.0

HorizonSource = Callable[[datetime], QuerySet]
_sources: list[HorizonSource] = []


def register_horizon(source: HorizonSource) -> HorizonSource:
    """Add a source of "the next time public content changes by itself" (idempotent).

    `source(now)` returns a queryset of the moments after `now`, one column
    (`values_list(field, flat=True)`) ordered earliest first; only its first row is read, so an
    index on the column (partial, with the source's conditions) makes it one index probe.
    """
    if source not in _sources:
        _sources.append(source)
    return source


def _first_moment(source: HorizonSource, now: datetime) -> QuerySet:
    return source(now)[:1]


def public_horizon(now: datetime | None = None) -> datetime | None:
    """The earliest moment any registered source says the public content changes by itself
    (one query per source; requests use `public_state`, which reads it with the generation)."""
    now = now or timezone.now()
    moments = [next(iter(_first_moment(source, now)), None) for source in _sources]
    return min((moment for moment in moments if moment is not None), default=None)


@dataclass(frozen=True)
class PublicState:
    """The generation and horizon read at `read_at` (the monotonic clock's reading)."""

    generation: int
    horizon: datetime | None
    read_at: float

    def fresh(self, now: datetime, clock_reading: float) -> bool:
        """Still usable: read less than REVALIDATE_SECONDS ago, and the horizon not reached."""
        if self.horizon is not None and now >= self.horizon:
            return False
        return 0 <= clock_reading - self.read_at < REVALIDATE_SECONDS


def public_state_query(now: datetime) -> QuerySet:
    """The generation row, with each horizon source's first moment after `now` as a subquery
    (`horizon_0`, `horizon_1`, …)."""
    moments = {
        f"horizon_{number}": Subquery(_first_moment(source, now))
        for number, source in enumerate(_sources)
    }
    rows = PublicGeneration.objects.filter(pk=PublicGeneration.ROW).annotate(**moments)
    return rows.values("value", *moments)


def read_public_state(now: datetime, clock_reading: float) -> PublicState:
    """The generation and horizon as the database has them: one query."""
    row = next(iter(public_state_query(now)), None)
    if row is None:  # no row (a flushed database): generation 0, as public_generation() says
        return PublicState(0, public_horizon(now), clock_reading)
    found = [moment for name, moment in row.items() if name != "value" and moment is not None]
    return PublicState(row["value"], min(found, default=None), clock_reading)


class ProcessSnapshot:
    """This process's PublicState, read again once it is no longer fresh.

    `clock` is a monotonic clock (the wall clock may jump; tests pass one they control). Threads
    share one snapshot: at worst two of them read the database at the same moment.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._state: PublicState | None = None

    def get(self, now: datetime) -> PublicState:
        state, reading = self._state, self.clock()
        if state is None or not state.fresh(now, reading):
            state = self._state = read_public_state(now, reading)
        return state

    def forget(self) -> None:
        self._state = None


snapshot = ProcessSnapshot()


def public_state(now: datetime | None = None) -> PublicState:
    """The current generation and horizon: no query while this process's snapshot is fresh."""
    return snapshot.get(now or timezone.now())


def public_state_forget() -> None:
    """Make this process read the generation and horizon again on its next request."""
    snapshot.forget()
