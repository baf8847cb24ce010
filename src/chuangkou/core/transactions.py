"""Transactions around writes, by how many statements they take."""

import contextlib

from django.db import connection, transaction


def atomic_unless_one_statement(statements: int):
    """`transaction.atomic()` around writes of several statements. On PostgreSQL a write of one
    statement is atomic by itself: wrapped, it would also send BEGIN and COMMIT, three round trips
    instead of one (the hot paths, e.g. issuing a ticket in one CTE). SQLite always gets the
    transaction: its writers queue when an IMMEDIATE transaction begins (core.sqlite). Inside a
    caller's transaction the statement simply joins it."""
    if statements == 1 and connection.vendor == "postgresql":
        return contextlib.nullcontext()
    return transaction.atomic()
