"""Writing many rows fast: PostgreSQL's COPY, SQLite's executemany.

Django's `bulk_create` prepares every value of every row through the field (≈10 µs a value) and
SQLite batches stop at 999 parameters. `insert_rows` sends plain tuples instead: values are
adapted only where the database needs it (dates and times on SQLite, as Django itself stores
them). It returns no primary keys and runs no `save()` or signals: callers pass complete,
checked rows (the demo; the import benchmark's baseline). The case import itself stages its
rows and publishes them in one statement (`imports.staging`).
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import connection, models

SQLITE_BATCH = 5000


def _adapters(model, fields: Sequence[str]) -> list:
    """Per column: a function turning the Python value into what the database driver takes."""
    ops = connection.ops
    adapters = []
    for name in fields:
        field = model._meta.get_field(name)
        if connection.vendor != "sqlite":
            adapters.append(None)
        elif isinstance(field, models.DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(field, models.DateField):
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    return adapters


def _adapted(rows: Iterable[Sequence], adapters: list) -> Iterator[tuple]:
    active = [(i, fn) for i, fn in enumerate(adapters) if fn is not None]
    for row in rows:
        if active:
            row = list(row)
            for i, fn in active:
                if row[i] is not None:
                    row[i] = fn(row[i])
        yield tuple(row)


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (tuples in `fields` order, FKs as `<name>_id` values); returns the count."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    rows = _adapted(rows, _adapters(model, fields))
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (names from _meta)
        while chunk := list(islice(rows, SQLITE_BATCH)):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count
