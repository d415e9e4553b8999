"""Querysets compiled once per process (core/prepared.py): the rows are the queryset's, with new
values each run, and a build function whose SQL depends on its values is refused."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.prepared import PreparedQuery, prepared

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

User = get_user_model()


def joined(name: str, since: datetime, above: int):
    """Users named `name`, joined since `since`, with an id above `above`, each with two
    annotations (one of them the id again): a query of each parameter type."""
    return (
        User.objects.filter(username=name, date_joined__gte=since, pk__gt=above)
        .annotate(same_id=F("pk"), name_again=F("username"))
        .order_by("pk")
    )


@pytest.fixture
def users():
    now = timezone.now()
    made = []
    for number, (name, days) in enumerate([("ann", 1), ("ann", 10), ("bob", 1), ("ann", 3)]):
        user = User.objects.create(username=f"{name}{number}", email=f"{name}@example.org")
        User.objects.filter(pk=user.pk).update(date_joined=now - timedelta(days=days))
        made.append(user)
    return now, made


def test_rows_are_the_querysets_with_each_call_s_values(users):
    now, made = users
    query = PreparedQuery(joined)
    for name, days, above in [
        ("ann0", 2, 0),
        ("ann1", 2, 0),  # joined too long ago
        ("ann1", 11, 0),
        ("bob2", 5, made[2].pk),  # id not above
        ("ann3", 5, made[0].pk),
        ("nobody", 5, 0),
    ]:
        since = now - timedelta(days=days)
        expected = list(joined(name, since, above))
        got = query(name=name, since=since, above=above)
        assert [(u.pk, u.username, u.same_id, u.name_again) for u in got] == [
            (u.pk, u.username, u.same_id, u.name_again) for u in expected
        ]
    assert [u.username for u in query(name="ann3", since=now - timedelta(days=5), above=0)] == [
        "ann3"
    ]


def test_a_run_is_one_query_with_its_own_values(users):
    now, _made = users
    query = PreparedQuery(joined)
    query(name="ann0", since=now - timedelta(days=2), above=0)  # compiled here
    with CaptureQueriesContext(connection) as captured:
        rows = query(name="bob2", since=now - timedelta(days=2), above=0)
    assert [u.username for u in rows] == ["bob2"]
    assert len(captured) == 1
    assert "bob2" in captured[0]["sql"]


def test_related_objects_are_filled_as_select_related_fills_them(users):
    from django.contrib.auth.models import Permission

    @prepared
    def permission(codename: str):
        return Permission.objects.filter(codename=codename).select_related("content_type")

    row = permission(codename="view_user")[0]
    with CaptureQueriesContext(connection) as captured:
        assert row.content_type.model == "user"
    assert len(captured) == 0


def test_values_of_another_type_or_none_are_refused(users):
    now, _made = users
    query = PreparedQuery(joined)
    with pytest.raises(TypeError):
        query(name=None, since=now, above=0)
    with pytest.raises(TypeError):
        query(name="ann0", since=now.date(), above=0)
    with pytest.raises(TypeError):
        query(name="ann0", since=now)


def test_sql_that_depends_on_the_values_is_refused():
    @prepared
    def among(name: str):
        # A list whose length comes from the value: another SQL text per value.
        return User.objects.filter(username__in=list(name))

    with pytest.raises(ImproperlyConfigured, match="depends on the values"):
        among(name="ab")


def test_a_parameter_the_sql_does_not_hold_is_refused():
    @prepared
    def ignoring(name: str):
        return User.objects.all()

    with pytest.raises(ImproperlyConfigured, match="name not in its SQL"):
        ignoring(name="ann")


def test_parameters_of_other_types_are_refused_when_declared():
    with pytest.raises(ImproperlyConfigured):

        @prepared
        def by_ids(ids: list):
            return User.objects.filter(pk__in=ids)


def active_named(name: str):
    """Active users named `name` whose address does not hold "100%": constants of the query (a
    boolean, a LIKE pattern with a percent sign) beside the one value."""
    return User.objects.filter(username=name, is_active=True).exclude(email__contains="100%")


def prepared_statements() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        return cursor.fetchall()


@pytest.mark.database("postgresql")
def test_postgresql_prepares_the_statement_with_its_constants_written_in():
    User.objects.create(username="ann", email="ann@example.org")
    User.objects.create(username="bob", email="bob-100%@example.org")
    User.objects.create(username="cid", email="cid@example.org", is_active=False)
    User.objects.create(username="dan", email="dan-1000@example.org")  # "100", no percent
    query = PreparedQuery(active_named)
    for _ in range(8):  # PostgreSQL plans the first five runs, then may keep a generic plan
        assert [u.username for u in query(name="ann")] == ["ann"]
        assert query(name="bob") == []
        assert query(name="cid") == []
        assert [u.username for u in query(name="dan")] == ["dan"]
    [(statement, generic_plans)] = [
        row for row in prepared_statements() if "auth_user" in row[0] and "100" in row[0]
    ]
    assert "$1" in statement and "$2" not in statement  # the name only; the rest written in
    assert "LIKE" in statement and "100" in statement  # the pattern, written in
    assert generic_plans > 0


@pytest.mark.database("postgresql")
def test_a_long_query_is_converted_for_psycopg_once():
    """psycopg keeps its `%s` -> `$1` conversion only for queries under 4 KB; a compiled query's
    is kept whatever its length (core.prepared._converted), and the rows are the same."""
    from core.prepared import _converted

    User.objects.create(username="ann", email="ann@example.org")

    def long_named(name: str):
        # Over 4 KB of SQL: the same annotation under many names.
        return User.objects.filter(username=name).annotate(
            **{f"name_{'x' * 40}_{n}": F("username") for n in range(60)}
        )

    query = PreparedQuery(long_named)
    assert [u.username for u in query(name="ann")] == ["ann"]
    assert len(query._compiled[connection.alias].inlined_sql) > 4096
    before = _converted.cache_info()
    for name in ("ann", "bob", "ann"):
        assert [u.username for u in query(name=name)] == (["ann"] if name == "ann" else [])
    after = _converted.cache_info()
    assert after.hits - before.hits == 3 and after.misses == before.misses


@pytest.mark.database("postgresql")
def test_without_prepared_statements_the_query_runs_unprepared():
    User.objects.create(username="ann", email="ann@example.org")
    connection.ensure_connection()
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        query = PreparedQuery(active_named)
        assert [u.username for u in query(name="ann")] == ["ann"]
        assert not [row for row in prepared_statements() if "auth_user" in row[0]]
    finally:
        raw.prepare_threshold = threshold


def test_database_prepared_statements_setting_reaches_the_connection():
    from tests.faults.servers import free_port, request_in_new_process

    url = f"postgres://postgres@127.0.0.1:{free_port()}/pressdesk"
    default = request_in_new_process("/", DATABASE_URL=url)["options"]
    assert (
        default["prepare_threshold"] > 1_000_000
    )  # never by count: only what core/prepared.py asks
    off = request_in_new_process("/", DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0")
    assert off["options"]["prepare_threshold"] is None


def users_among(ids: list[int], since: datetime):
    return User.objects.filter(pk__in=ids, date_joined__gte=since).order_by("pk")


def test_a_list_is_run_at_the_size_its_length_rounds_up_to(users):
    from core.prepared import LARGEST_LIST, run_among

    now, made = users
    ids = [user.pk for user in made]
    since = now - timedelta(days=5)  # all but the user who joined 10 days ago
    for chosen in ([ids[0]], ids[:3], ids, [ids[1], ids[1], ids[3]], [ids[0], 10**9], ids * 2):
        expected = [u.pk for u in users_among(chosen, since)]
        assert [u.pk for u in run_among(users_among, chosen, since=since)] == expected
    assert run_among(users_among, [], since=since) is None
    assert run_among(users_among, list(range(1, LARGEST_LIST + 2)), since=since) is None
