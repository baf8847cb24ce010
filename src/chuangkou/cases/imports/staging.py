"""The staging table of one import: checked rows wait there, then are published in one step.

Checked rows go, batch after batch, into a temporary table of the import's own database
connection (`CREATE TEMP TABLE`): on SQLite a temporary table lives in the connection's own
temporary database, so filling it takes no lock on the main database and logins, tickets and
every other write go on while a large file is checked. On PostgreSQL the batches are COPYed.

`publish` then moves every staged row into the cases table with one `INSERT … SELECT` (on
PostgreSQL COPY out and COPY in, which inserts many rows at a time), inside the caller's
transaction (with the daily summary and the audit entry): the only moment the
import holds the write lock, and C code does the work. A connection that dies takes its
temporary table with it, so a killed import leaves nothing behind.
"""

import contextlib
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter

from django.db import connection, transaction
from psycopg.errors import UniqueViolation

from ..models import Case
from .checking import SPOOL_FIELDS

TABLE = "ck_case_import_staging"
PUBLISH_CACHE_KIB = 256 * 1024  # SQLite page cache while publishing
# row_no: the file's row, for errors found across the staged rows (numbers already taken)
COLUMNS = ["row_no", *SPOOL_FIELDS]
_ROW_AND_NUMBER = itemgetter(0, 1)
_NUMBER_AND_ROW = itemgetter(1, 0)


def _quoted(names: Sequence[str]) -> str:
    qn = connection.ops.quote_name
    return ", ".join(qn(Case._meta.get_field(n).column) for n in names)


class Staging:
    """The temporary table of checked rows on the current connection."""

    def __init__(self) -> None:
        self.rows = 0
        self.sqlite = connection.vendor == "sqlite"
        self.case_table = connection.ops.quote_name(Case._meta.db_table)
        self.columns = _quoted(SPOOL_FIELDS)

    def open(self) -> "Staging":
        """A fresh, empty staging table with the cases table's column types."""
        self.drop()
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE {TABLE} AS SELECT 0 AS row_no, {self.columns} "  # noqa: S608
                f"FROM {self.case_table} WHERE 1 = 0"
            )
        self.rows = 0
        return self

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        self.rows = 0

    def add(self, rows: list[tuple], *, write: bool = True) -> None:
        """One batch of checked rows (tuples in COLUMNS order, values as the database takes
        them), in a short transaction of its own that touches only the staging table. Staged
        even when the file has errors (`write` False): its numbers already taken are listed."""
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.sqlite:
                self._add_sqlite(cursor, rows)
            else:
                sql = f"COPY {TABLE} (row_no, {self.columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    write = copy.write_row
                    for row in rows:
                        write(row)
        self.rows += len(rows)

    @staticmethod
    def _add_sqlite(cursor, rows: list[tuple]) -> None:
        marks = ", ".join(["%s"] * len(COLUMNS))
        sql = f"INSERT INTO {TABLE} VALUES ({marks})"  # noqa: S608 (constant names)
        if connection.in_atomic_block:  # already inside the caller's transaction (tests)
            cursor.executemany(sql, rows)
            return
        # A deferred BEGIN, not Django's BEGIN IMMEDIATE: writing to the temporary database
        # only, this transaction never takes the main database's write lock.
        cursor.execute("BEGIN")
        try:
            cursor.executemany(sql, rows)
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    def taken_numbers(self) -> list[tuple[int, str]]:
        """(row, number) of every staged row whose number is already in the cases table."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.row_no, s.number FROM {TABLE} s "  # noqa: S608
                f"JOIN {self.case_table} c ON c.number = s.number ORDER BY s.row_no"
            )
            return cursor.fetchall()

    def publish(self, job_id: int) -> int:
        """Every staged row into the cases table (the caller holds the transaction); the
        staging table is dropped. Returns the number of cases written.

        SQLite: one INSERT … SELECT. PostgreSQL: the staged rows out and back in with COPY, in
        blocks through a temporary file, since COPY FROM inserts many rows at a time where
        INSERT … SELECT goes row by row."""
        with connection.cursor() as cursor:
            if self.sqlite:
                # a page cache that holds the indexes being filled (the default 2 MB makes
                # every index insert of a large file a read from disk), for this step only
                cursor.execute("PRAGMA main.cache_size")
                cache_size = int(cursor.fetchone()[0])
                cursor.execute(f"PRAGMA main.cache_size = {-PUBLISH_CACHE_KIB}")
                try:
                    cursor.execute(
                        f"INSERT INTO {self.case_table} ({self.columns}, import_job_id) "  # noqa: S608
                        f"SELECT {self.columns}, %s FROM {TABLE}",
                        [job_id],
                    )
                    created = cursor.rowcount
                finally:
                    cursor.execute(f"PRAGMA main.cache_size = {cache_size}")
            else:
                created = self._publish_by_copy(cursor.cursor, int(job_id))
        self.drop()
        return created

    def _publish_by_copy(self, raw, job_id: int) -> int:
        out = f"COPY (SELECT {self.columns}, {job_id} FROM {TABLE}) TO STDOUT"  # noqa: S608
        into = f"COPY {self.case_table} ({self.columns}, import_job_id) FROM STDIN"
        with tempfile.TemporaryFile() as buffer:
            with raw.copy(out) as copy:
                for block in copy:
                    buffer.write(block)
            buffer.seek(0)
            with raw.copy(into) as copy:
                while block := buffer.read(1 << 20):
                    copy.write(block)
        return raw.rowcount if raw.rowcount >= 0 else self.rows


class DirectWrite:
    """PostgreSQL: checked rows COPYed straight into the cases table, in the caller's
    transaction (open for the whole import: nothing is visible before its commit, and a killed
    import's rows go with its connection). No staging pass, no second copy.

    Each batch is COPYed by a helper thread on the same database connection while the next
    batch is checked (psycopg's connection lock keeps any other statement of the import
    waiting until the batch is in), so the server's inserting and Python's checking overlap.
    All of it runs inside a savepoint: when the file has any error, or a batch breaks the
    unique index of the numbers (a number already in the system), the copied rows are rolled
    back, nothing more is copied, and the numbers of every checked row are looked up instead,
    so every taken number is listed."""

    def __init__(self, job_id: int) -> None:
        self.rows = 0
        self.job_id = int(job_id)
        self.case_table = connection.ops.quote_name(Case._meta.db_table)
        self.columns = _quoted(SPOOL_FIELDS)
        self.numbers: list[tuple[int, str]] = []  # (row, number) of every checked row
        self.taken: list[tuple[int, str]] = []
        self.writing = True
        self._savepoint = None
        self._pool = None
        self._pending = None

    def open(self) -> "DirectWrite":
        if not connection.in_atomic_block:
            raise RuntimeError("DirectWrite needs the caller's transaction")
        self._savepoint = transaction.savepoint()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ck-import-copy")
        return self

    def add(self, rows: list[tuple], *, write: bool = True) -> None:
        """One batch of checked rows (staging's COLUMNS order); `write` False once the file
        has errors (then nothing more is copied)."""
        if not rows:
            return
        self.numbers.extend(map(_ROW_AND_NUMBER, rows))
        self._settle()
        if not write and self.writing:
            self._stop()
        if self.writing:
            self._pending = self._pool.submit(self._copy, connection.connection, rows)

    def _copy(self, raw, rows: list[tuple]) -> int:
        sql = f"COPY {self.case_table} ({self.columns}, import_job_id) FROM STDIN"
        job_id = self.job_id
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                write((*row[1:], job_id))
        return len(rows)

    def _settle(self) -> None:
        """Wait for the batch being copied; a broken unique index stops the copying."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            self.rows += pending.result()
        except UniqueViolation:
            self._stop()

    def _stop(self) -> None:
        """Nothing of this file stays or is copied any more."""
        self.writing = False
        transaction.savepoint_rollback(self._savepoint)
        self.rows = 0

    def taken_numbers(self) -> list[tuple[int, str]]:
        """(row, number) of the checked rows whose number is already in the cases table."""
        self._settle()
        self._close_pool()
        if self.writing:
            transaction.savepoint_commit(self._savepoint)
            return []  # every row went in: no number was taken
        with connection.cursor() as cursor:
            for start in range(0, len(self.numbers), 20_000):
                by_number = dict(map(_NUMBER_AND_ROW, self.numbers[start : start + 20_000]))
                cursor.execute(
                    f"SELECT number FROM {self.case_table} WHERE number = ANY(%s)",  # noqa: S608
                    [list(by_number)],
                )
                self.taken.extend((by_number[n], n) for (n,) in cursor.fetchall())
        return sorted(self.taken)

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def drop(self) -> None:
        """After an error: wait for the helper thread (the caller's transaction is rolled
        back)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            with contextlib.suppress(Exception):
                pending.result()
        self._close_pool()

    def publish(self, job_id: int) -> int:
        """The rows are in already: their count."""
        return self.rows
