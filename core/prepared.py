"""Querysets built and compiled once per process, then run again with new values.

Django builds a queryset (filters, annotations, subqueries resolved) and compiles it to SQL on
every evaluation. For the few hot queries of a cold public page that Python costs more than the
database does: a release page's two queries take 3–5 ms each to build and compile, and under 1 ms
each in PostgreSQL (benchmarks/README.md). A `PreparedQuery` pays that once per process and
database: it builds the queryset with a *sample* value for each parameter, compiles it, finds
where each sample landed in the SQL's parameters, and from then on runs the same SQL with the
caller's values in those places. Rows become model instances as the queryset would make them
(select_related, annotations and all), through Django's own iterable.

A build function must give SQL whose text does not depend on the values (no `__in` with a list,
no None turning `=` into `IS NULL`): preparing compiles with two different sets of samples and
refuses a function whose SQL text differs between them or whose parameter does not appear. Values
must be of the declared type and never None.
"""

import copy
import functools
import inspect
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Sample values no real parameter takes: one per parameter (its place in the signature) and
# series (each preparation compiles twice, with series 0 and 1).
_SAMPLES = {
    str: lambda place, series: f"\x00prepared:{place}:{series}\x00",
    int: lambda place, series: -2_000_000_000 - 1_000 * series - place,
    datetime: lambda place, series: datetime(1901 + series, 2, 3, 4, 5, 6, place, tzinfo=UTC),
}


@dataclass
class _Compiled:
    queryset: QuerySet
    compiler: object
    sql: str
    params: tuple
    slots: tuple  # (position in params, parameter name, adapt)
    # PostgreSQL: `sql` with every parameter but the slots written in as a literal (_inlined).
    inlined_sql: str | None = None
    # connection: the columns' converters on it (_converters); forgotten with the connection.
    converters: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)


class PreparedQuery:
    """`build(**values)` (a function returning a QuerySet, its parameters annotated with str,
    int or datetime) compiled once per database alias; calling it returns the rows as a list."""

    def __init__(self, build: Callable[..., QuerySet], parameters: dict | None = None):
        """`parameters` (name: type) replaces the signature's, for a `build(**values)`."""
        self.build = build
        self.__doc__ = build.__doc__
        if parameters is None:
            signature = inspect.signature(build, eval_str=True)
            parameters = {name: p.annotation for name, p in signature.parameters.items()}
        self.parameters = parameters
        for name, kind in self.parameters.items():
            if kind not in _SAMPLES:
                raise ImproperlyConfigured(
                    f"{build.__qualname__}: {name} must be str, int or datetime"
                )
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        if values.keys() != self.parameters.keys():
            raise TypeError(f"{self.build.__qualname__} takes {', '.join(self.parameters)}")
        for name, value in values.items():
            if not isinstance(value, self.parameters[name]):
                raise TypeError(f"{name}={value!r} is not a {self.parameters[name].__name__}")
        compiled = self._compiled.get(using) or self._compile(using)
        params = list(compiled.params)
        for position, name, adapt in compiled.slots:
            params[position] = adapt(values[name])
        run = copy.copy(compiled.compiler)
        run.connection = connections[using]  # this thread's, not the one that compiled
        run.execute_sql = lambda *args, **kwargs: [_rows(using, compiled, params)]
        converters = _converters(compiled, run)
        if converters is not None:
            run.get_converters = lambda expressions: converters
        queryset = compiled.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: run
        return list(queryset)

    def _compile(self, using: str) -> _Compiled:
        with self._lock:
            if using in self._compiled:
                return self._compiled[using]
            name = self.build.__qualname__
            queryset, compiler, sql, params, forms = self._sql(using, 0)
            _q, _c, sql_again, params_again, _f = self._sql(using, 1)
            if sql != sql_again or len(params) != len(params_again):
                raise ImproperlyConfigured(f"{name}: its SQL depends on the values")
            slots = []
            for position, (value, value_again) in enumerate(zip(params, params_again, strict=True)):
                found = next(((p, form) for p, form, v in forms if v == value), None)
                if found:
                    slots.append((position, *found))
                elif value != value_again:
                    raise ImproperlyConfigured(f"{name}: parameter {position} is not a sample")
            missing = set(self.parameters) - {parameter for _p, parameter, _f in slots}
            if missing:
                raise ImproperlyConfigured(f"{name}: {', '.join(sorted(missing))} not in its SQL")
            compiled = _Compiled(queryset, compiler, sql, tuple(params), tuple(slots))
            self._compiled[using] = compiled
            return compiled

    def _sql(self, using: str, series: int):
        """The queryset built with series `series` of samples, compiled; and each sample in
        each form the SQL's parameters may hold it: as it is, and as the database adapts a
        datetime (SQLite: a string)."""
        adapt_datetime = connections[using].ops.adapt_datetimefield_value
        samples, forms = {}, []
        for place, (name, kind) in enumerate(self.parameters.items()):
            sample = samples[name] = _SAMPLES[kind](place, series)
            forms.append((name, _same, sample))
            if kind is datetime and adapt_datetime(sample) != sample:
                forms.append((name, adapt_datetime, adapt_datetime(sample)))
        queryset = self.build(**samples).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        return queryset, compiler, sql, list(params), forms


def _rows(using: str, compiled: _Compiled, params: list) -> list:
    """The rows of the compiled SQL with `params`, through Django's cursor wrapper (query
    logging, execute wrappers and error translation apply).

    On PostgreSQL the statement is prepared on the connection (settings.py,
    DATABASE_PREPARED_STATEMENTS), with the query's constants (a status, a notice kind) written
    into it and only the caller's values left as parameters. After five runs PostgreSQL then
    keeps a generic plan when it expects it to cost no more than planning each time, and with the
    constants in view its estimates are those of a planned query: a release page's first query
    takes 0.26 ms prepared against 1.8 ms planned every time.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        raw = connection.connection
        if connection.vendor != "postgresql" or raw.prepare_threshold is None:
            cursor.execute(compiled.sql, params)
            return cursor.fetchall()
        if compiled.inlined_sql is None:
            compiled.inlined_sql = _inlined(compiled, raw)
        cursor.cursor.close()
        cursor.cursor = _preparing_cursor_class()(raw)
        cursor.execute(compiled.inlined_sql, [params[position] for position, *_ in compiled.slots])
        return cursor.fetchall()


def _converters(compiled: _Compiled, run) -> dict | None:
    """The converters of the compiled query's columns on `run`'s connection (what Django's
    `results_iter` asks each time: some 40 calls per query), found once per connection; None
    where a column is composite (its converters are found column by column)."""
    kept = compiled.converters.get(run.connection)
    if kept is not None:
        return kept
    columns = [select[0] for select in run.select[0 : run.col_count]]
    if run.has_composite_fields(columns):
        return None
    converters = run.get_converters(columns)
    compiled.converters[run.connection] = converters
    return converters


_PLACEHOLDER = re.compile(r"%s|%%")


def _inlined(compiled: _Compiled, raw_connection) -> str:
    """`compiled.sql` with each parameter that is not a slot written in as a literal, quoted by
    psycopg as the connection's adapters dump it (a `%` in it doubled, as the SQL is still a
    format string for the slots' parameters)."""
    from psycopg import sql

    slots = {position for position, *_ in compiled.slots}
    positions = iter(range(len(compiled.params)))

    def literal(match: re.Match) -> str:
        if match[0] == "%%":
            return "%%"
        position = next(positions)
        if position in slots:
            return "%s"
        value = sql.Literal(compiled.params[position]).as_string(raw_connection)
        return value.replace("%", "%%")

    inlined = _PLACEHOLDER.sub(literal, compiled.sql)
    if next(positions, None) is not None:
        raise ImproperlyConfigured("The compiled SQL holds fewer placeholders than parameters")
    return inlined


@functools.cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Server-side binding, each statement prepared on its first run (psycopg keeps up to
        `prepared_max` per connection, and forgets them with it)."""

        _query_cls = _kept_query_class() or ServerBindingCursor._query_cls

        def execute(self, query, params=None, **kwargs):
            return super().execute(query, params, prepare=True, **kwargs)

    return PreparingCursor


@functools.lru_cache(maxsize=1024)
def _converted(query: str, encoding: str):
    from psycopg import _queries

    return _queries._query2pg_nocache(query.encode(encoding), encoding)


def _kept_query_class():
    """psycopg turns a query's `%s` into `$1` on every run, and keeps the result only for a query
    under 4 KB: a compiled query is longer (a release page's, 6.7 KB, was a tenth of the page's
    time in Python) and the same text every time, so its conversion is kept, keyed by the text.
    None if this psycopg's internals are not the ones this was written against (3.2, 3.3):
    conversion then happens every time, as before (tests/core/test_prepared.py notices)."""
    try:
        from psycopg import _queries
    except ImportError:
        return None
    if not hasattr(_queries, "_query2pg_nocache") or not hasattr(_queries, "PostgresQuery"):
        return None

    class KeptQuery(_queries.PostgresQuery):
        def convert(self, query, vars):
            if not isinstance(query, str) or vars is None:
                return super().convert(query, vars)
            converted = _converted(query, self._tx.encoding)
            self.query, self._want_formats, self._order, self._parts = converted
            self.dump(vars)

    return KeptQuery


def _same(value):
    return value


def prepared(build: Callable[..., QuerySet]) -> PreparedQuery:
    """Decorator: `build` compiled once per process and database (PreparedQuery)."""
    return PreparedQuery(build)


SMALLEST_LIST, LARGEST_LIST = 4, 64


@functools.cache
def _among(build: Callable[..., QuerySet], size: int, others: tuple) -> PreparedQuery:
    names = [f"item_{number}" for number in range(size)]
    return PreparedQuery(
        lambda **values: build(
            [values[name] for name in names], **{name: values[name] for name, _k in others}
        ),
        {**dict.fromkeys(names, int), **dict(others)},
    )


def run_among(build: Callable[..., QuerySet], ids: list[int], **values) -> list | None:
    """`build(ids, **values)`'s rows (a queryset filtering on `__in=ids`), compiled once per
    list size rounded up to a power of two (the list padded with its first id, which changes
    nothing in an `IN`), or None for an empty list or one longer than LARGEST_LIST: the caller
    then runs the queryset itself."""
    if not ids or len(ids) > LARGEST_LIST:
        return None
    size = max(SMALLEST_LIST, 1 << (len(ids) - 1).bit_length())
    padded = [*ids, *[ids[0]] * (size - len(ids))]
    others = tuple(
        (name, next(kind for kind in _SAMPLES if isinstance(value, kind)))
        for name, value in sorted(values.items())
    )
    items = {f"item_{number}": item for number, item in enumerate(padded)}
    return _among(build, size, others)(**items, **values)
