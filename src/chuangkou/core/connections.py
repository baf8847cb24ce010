"""A request's first read doubles as the connection's health check."""

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
