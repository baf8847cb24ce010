"""Connections on the hot paths (the first read as the health check, prepared statements), and a
connection of its own for a long job's progress (`SideConnection`)."""

import contextlib
import functools

from django.db import InterfaceError, OperationalError, connections


def first_read(read, using: str = "default"):
    """`read()`, a request's first statement, run as the kept connection's health check.

    With CONN_HEALTH_CHECKS Django sends `SELECT 1` before a request's first statement: a round
    trip on every request, as long as the statement itself on the hot paths. A read that every
    request of a kind makes first (the session, the API token) can be the check instead: it runs
    without the `SELECT 1` and, when the kept connection turns out dead (the server restarted or
    closed it), the connection is closed and the read runs once more on a new one. An error on a
    live connection (a timeout, a bad statement) is raised as it is."""
    connection = connections[using]
    if (
        connection.connection is None  # connecting now: a new connection needs no check
        or not connection.health_check_enabled
        or connection.health_check_done
        or connection.in_atomic_block
    ):
        return read()
    connection.health_check_done = True
    try:
        return read()
    except (OperationalError, InterfaceError):
        if connection.is_usable():
            raise
        connection.close()
        return read()


@contextlib.contextmanager
def prepared_cursor(using: str = "default"):
    """A cursor for a hot path's fixed statements, which PostgreSQL then plans once per connection.

    Django's PostgreSQL cursors bind the parameters in the client and never prepare, so every run
    of a statement is planned again; for the queue's statements (the token with its account, the
    window lock with the desk's checks, the CTEs that number, claim and log a ticket) planning
    costs more than running them (0.2–0.4 ms against 0.05–0.3 ms each). This cursor binds on the
    server and prepares each statement the first time it runs (psycopg keeps up to 100 per
    connection; Django's own cursors go on as before). For fixed statement texts whose parameters
    PostgreSQL can type (no bare `%s IS NULL`). SQLite: Django's cursor."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.connection.prepare_threshold = 0  # only server-binding cursors ever prepare
    with connection.wrap_database_errors:
        raw = _preparing_cursor_class()(connection.connection)
    with connection._prepare_cursor(raw) as cursor:
        yield cursor


@functools.cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Django's server-binding cursor. psycopg leaves the statement of a prepared execution
        out of `_query`, where Django's query log (DEBUG, the tests' statement counts) reads it;
        set here as psycopg does for an unprepared one."""

        def _send_query_prepared(self, name, pgq, *, binary=None):
            self._query = pgq
            return super()._send_query_prepared(name, pgq, binary=binary)

    return PreparingCursor


class SideConnection:
    """A connection of its own beside the job's, for the progress of a long job (import, export):
    each `update` commits at once, whatever the job's own connection holds: a transaction whose
    rows must stay invisible until it commits, or (SQLite) a read still streaming rows, which
    cannot turn into a write once another connection has written ("database is locked").
    Close it when the job ends."""

    def __init__(self, using: str = "default"):
        self.connection = connections.create_connection(using)

    def update(self, model, pk: int, **fields) -> None:
        """UPDATE one row of `model` (fields by name, values as the model takes them)."""
        side, meta = self.connection, model._meta
        sets, params = [], []
        for name, value in fields.items():
            f = meta.get_field(name)
            sets.append(f"{side.ops.quote_name(f.column)} = %s")
            params.append(f.get_db_prep_save(value, connection=side))
        table = side.ops.quote_name(meta.db_table)
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {', '.join(sets)} WHERE id = %s",  # noqa: S608
                [*params, pk],
            )

    def close(self) -> None:
        self.connection.close()
