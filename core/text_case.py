"""Case-insensitive comparison in every script, on SQLite as on PostgreSQL.

SQLite's LOWER and LIKE fold ASCII letters only ("Выборы" never matches "выборы"), so on SQLite
`UnicodeLower` calls Python's str.lower, registered on each new connection (`register_sqlite`,
connected by myths' AppConfig); PostgreSQL's LOWER already lowers any script in a UTF-8 database.
str.lower rather than str.casefold, so both databases agree (casefold turns "ß" into "ss").
"""

from django.db.models import Func, TextField

SQLITE_FUNCTION = "pressdesk_lower"


def unicode_lower(value: str) -> str:
    """`value` as UnicodeLower stores it: compare the two with `contains` or `exact`."""
    return value.lower()


def _sqlite_lower(value):
    return None if value is None else unicode_lower(str(value))


def register_sqlite(sender, connection, **kwargs):
    """connection_created receiver: teach a new SQLite connection `pressdesk_lower()`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_lower, deterministic=True)


class UnicodeLower(Func):
    """The expression's text in lower case, in any script and on any database."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)
