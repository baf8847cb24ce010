"""Monthly range partitions (PostgreSQL) of the large history tables that no foreign key points
into: ticket events and case events, partitioned by their time `at`.

A partitioned table keeps one partition per local month (`<table>_pYYYYMM`, Asia/Shanghai month
boundaries) and a DEFAULT partition (`<table>_default`), so an insert never fails for a month not
created yet. `ensure_partitions` creates the coming months ahead (daily schedule, `chuangkou
serve`/`demo` at start, `chuangkou partitions`) and moves rows that landed in the default partition
into their month; `detach_partition` takes an old month out of the table for archiving.

Which tables: those the migrations converted (`partition_by_month`), read back from the catalog
(pg_partitioned_table), so core names no other app. Tickets and cases are not partitioned: every
unique key of a partitioned table must contain the partition key, so the many foreign keys into
them (cases, feedback, honors, pre-review, events …) could no longer point at `id` alone.

SQLite has no partitioning: every function here is a no-op there and says so. SQL is built
from table and column names of the catalog or of the migrations, always quoted by `_q` (S608).
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django_tasks import task

from . import audit
from .errors import DomainError

MONTHS_AHEAD = 3
ONLY_POSTGRESQL = "按月分区只用于 PostgreSQL；当前数据库（SQLite）不分区，无需操作。"
_MONTH_SUFFIX = re.compile(r"_p(\d{4})(\d{2})$")
LOCK_TIMEOUT = "10s"  # never queue for long behind a running query (and block the queue's writes)


@dataclass
class PartitionReport:
    supported: bool
    message: str
    created: list[str] = field(default_factory=list)
    moved: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "supported": self.supported,
            "message": self.message,
            "created": self.created,
            "moved": self.moved,
            "skipped": self.skipped,
        }


@dataclass
class DetachResult:
    supported: bool
    message: str
    partition: str = ""
    rows: int = 0


@dataclass(frozen=True)
class PartitionInfo:
    table: str
    name: str
    month: dt.date | None
    rows: int | None  # live rows as the statistics collector counts them (approximate)
    is_default: bool = False


# -- months ------------------------------------------------------------------------------------


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local month as aware datetimes."""
    zone = _zone()
    start = dt.datetime.combine(first_of_month(month), dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(add_months(month, 1), dt.time.min, tzinfo=zone)
    return start, end


def partition_name(table: str, month: dt.date) -> str:
    return f"{table}_p{month:%Y%m}"


def default_name(table: str) -> str:
    return f"{table}_default"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _bound_sql(month: dt.date) -> str:
    start, end = month_bounds(month)
    return f"FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"


# -- catalog -----------------------------------------------------------------------------------


def _partitioned_tables(cursor) -> list[tuple[str, str]]:
    """(table, column) of every table range-partitioned on one column, in this schema."""
    cursor.execute(
        """
        SELECT c.relname, a.attname
        FROM pg_partitioned_table p
        JOIN pg_class c ON c.oid = p.partrelid
        JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
        WHERE p.partstrat = 'r' AND p.partnatts = 1 AND pg_table_is_visible(c.oid)
        ORDER BY c.relname
        """
    )
    return [(row[0], row[1]) for row in cursor.fetchall()]


def _attached(cursor, table: str) -> dict[str, str]:
    """Partition name → its bound expression (`DEFAULT` or `FOR VALUES FROM … TO …`)."""
    cursor.execute(
        """
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = %s::regclass
        """,
        [table],
    )
    return dict(cursor.fetchall())


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return cursor.fetchone()[0]


def _months_in(cursor, table: str, column: str) -> list[dt.date]:
    """The local months that have rows in `table` (oldest first)."""
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', {_q(column)} AT TIME ZONE %s)::date "  # noqa: S608
        f"FROM {_q(table)} ORDER BY 1",
        [settings.TIME_ZONE],
    )
    return [row[0] for row in cursor.fetchall()]


def is_supported(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def partitioned_tables(using: str = "default") -> list[tuple[str, str]]:
    if not is_supported(using):
        return []
    with connections[using].cursor() as cursor:
        return _partitioned_tables(cursor)


def list_partitions(using: str = "default") -> list[PartitionInfo]:
    if not is_supported(using):
        return []
    result = []
    with connections[using].cursor() as cursor:
        for table, _column in _partitioned_tables(cursor):
            cursor.execute(
                """
                SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', s.n_live_tup
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
                WHERE i.inhparent = %s::regclass ORDER BY c.relname
                """,
                [table],
            )
            for name, is_default, estimate in cursor.fetchall():
                found = None if is_default else _MONTH_SUFFIX.search(name)
                month = dt.date(int(found[1]), int(found[2]), 1) if found else None
                rows = int(estimate) if estimate is not None and estimate >= 0 else None
                result.append(PartitionInfo(table, name, month, rows, bool(is_default)))
    return result


# -- converting a plain table (migrations) ------------------------------------------------------


def partition_by_month(schema_editor, *, table: str, column: str, months_ahead=MONTHS_AHEAD):
    """Turn the plain `table` into one range-partitioned by month on `column` (PostgreSQL only;
    a no-op elsewhere and when it is partitioned already), keeping its columns, rows, id sequence,
    indexes and foreign keys under their names. The primary key becomes (id, column)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if table in dict(_partitioned_tables(cursor)):
            return
        cursor.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
        pk_name, pk_column = _primary_key(cursor, table)
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid), x.indisunique
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass AND NOT x.indisprimary ORDER BY i.relname
            """,
            [table],
        )
        indexes = cursor.fetchall()
        unique = [name for name, _sql, is_unique in indexes if is_unique]
        if unique:
            raise ValueError(f"{table}: unique indexes {unique} cannot survive partitioning")
        cursor.execute(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype IN ('f', 'u', 'x') ORDER BY conname
            """,
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk_column])
        old_sequence = cursor.fetchone()[0]
        sequence_state = None
        if old_sequence:
            cursor.execute(f"SELECT last_value, is_called FROM {old_sequence}")  # noqa: S608
            sequence_state = cursor.fetchone()
        months = _months_in(cursor, table, column)

        new = f"{table}__partitioned"
        cursor.execute(
            f"CREATE TABLE {_q(new)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            f"INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({_q(column)})"
        )
        cursor.execute(f"ALTER TABLE {_q(new)} ALTER COLUMN {_q(pk_column)} DROP DEFAULT")
        current = first_of_month(timezone.localdate())
        month = min([*months, current])
        last = max([*months, add_months(current, months_ahead)])
        while month <= last:
            cursor.execute(
                f"CREATE TABLE {_q(partition_name(table, month))} PARTITION OF {_q(new)} "
                f"FOR VALUES {_bound_sql(month)}"
            )
            month = add_months(month, 1)
        cursor.execute(f"CREATE TABLE {_q(default_name(table))} PARTITION OF {_q(new)} DEFAULT")
        cursor.execute(f"INSERT INTO {_q(new)} SELECT * FROM {_q(table)}")  # noqa: S608
        cursor.execute(f"DROP TABLE {_q(table)}")  # fails if anything still refers to it
        cursor.execute(f"ALTER TABLE {_q(new)} RENAME TO {_q(table)}")

        sequence = f"{table}_{pk_column}_seq"
        cursor.execute(
            f"CREATE SEQUENCE {_q(sequence)} AS bigint OWNED BY {_q(table)}.{_q(pk_column)}"
        )
        cursor.execute(
            f"ALTER TABLE {_q(table)} ALTER COLUMN {_q(pk_column)} "
            f"SET DEFAULT nextval('{sequence}'::regclass)"
        )
        cursor.execute(f"SELECT max({_q(pk_column)}) FROM {_q(table)}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        last_value, is_called = sequence_state or (None, False)
        given = (last_value or 0) if is_called else (last_value or 1) - 1
        top = max(highest, given)
        cursor.execute("SELECT setval(%s, %s, %s)", [sequence, max(top, 1), top > 0])

        cursor.execute(
            f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(pk_name)} "
            f"PRIMARY KEY ({_q(pk_column)}, {_q(column)})"
        )
        for _name, sql, _unique in indexes:
            cursor.execute(sql)
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        cursor.execute(f"ANALYZE {_q(table)}")


def _primary_key(cursor, table: str) -> tuple[str, str]:
    cursor.execute(
        """
        SELECT c.conname, a.attname FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.conrelid = %s::regclass AND c.contype = 'p'
        """,
        [table],
    )
    rows = cursor.fetchall()
    if len(rows) != 1:
        raise ValueError(f"{table}: expected a one-column primary key, found {rows}")
    return rows[0]


# -- months ahead ------------------------------------------------------------------------------


def ensure_partitions(
    *, months_ahead: int = MONTHS_AHEAD, today: dt.date | None = None, using: str = "default"
) -> PartitionReport:
    """Create this month's and the next `months_ahead` months' partitions of every partitioned
    table, and a partition for any month whose rows sit in the default partition (moving them
    there), all in one transaction. Idempotent."""
    if not is_supported(using):
        return PartitionReport(False, ONLY_POSTGRESQL)
    current = first_of_month(today or timezone.localdate())
    report = PartitionReport(True, "")
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        for table, column in _partitioned_tables(cursor):
            attached = _attached(cursor, table)
            ahead = {add_months(current, n) for n in range(months_ahead + 1)}
            stray = set(_months_in(cursor, default_name(table), column))
            for month in sorted(ahead | stray):
                name = partition_name(table, month)
                if name in attached:
                    continue
                if _exists(cursor, name):  # an archived (detached) month: leave its rows be
                    report.skipped.append(name)
                    continue
                moved = _create_month(cursor, table, column, month)
                report.created.append(name)
                if moved:
                    report.moved[name] = moved
    parts = [f"新建分区 {len(report.created)} 个"]
    if report.moved:
        parts.append(f"从默认分区移入 {sum(report.moved.values())} 行")
    if report.skipped:
        parts.append(f"已归档（拆出）的月份未重建：{'、'.join(report.skipped)}")
    report.message = "；".join(parts) + "。"
    return report


def _create_month(cursor, table: str, column: str, month: dt.date) -> int:
    """One month's partition; rows of that month in the default partition move into it first
    (PostgreSQL refuses a partition whose rows sit in the default one). Returns the rows moved."""
    name, default = partition_name(table, month), default_name(table)
    start, end = month_bounds(month)
    where = f"{_q(column)} >= %s AND {_q(column)} < %s"
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_q(default)} WHERE {where})", [start, end])  # noqa: S608
    if not cursor.fetchone()[0]:
        cursor.execute(
            f"CREATE TABLE {_q(name)} PARTITION OF {_q(table)} FOR VALUES {_bound_sql(month)}"
        )
        return 0
    cursor.execute(
        f"CREATE TABLE {_q(name)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING STORAGE)"
    )
    cursor.execute(
        f"WITH moved AS (DELETE FROM {_q(default)} WHERE {where} RETURNING *) "  # noqa: S608
        f"INSERT INTO {_q(name)} SELECT * FROM moved",
        [start, end],
    )
    moved = cursor.rowcount
    cursor.execute(
        f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(name)} FOR VALUES {_bound_sql(month)}"
    )
    return moved


# -- archiving ---------------------------------------------------------------------------------


def detach_partition(
    *,
    actor,
    table: str,
    month: dt.date,
    today: dt.date | None = None,
    using: str = "default",
) -> DetachResult:
    """Take the partition of a past `month` out of `table` (ALTER TABLE … DETACH PARTITION): its
    rows leave the table and stay in the plain table `<table>_pYYYYMM` for archiving. Audited."""
    if not is_supported(using):
        return DetachResult(False, ONLY_POSTGRESQL)
    month = first_of_month(month)
    current = first_of_month(today or timezone.localdate())
    if month >= current:
        raise DomainError(
            f"只能拆出已经过去的月份：{month:%Y-%m} 是本月或以后的月份，仍在写入。", field="month"
        )
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        if table not in dict(_partitioned_tables(cursor)):
            raise DomainError(f"{table} 不是按月分区的表。", field="table")
        name = partition_name(table, month)
        if name not in _attached(cursor, table):
            raise DomainError(f"{table} 没有 {month:%Y-%m} 的分区（可能已经拆出）。", field="month")
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute(f"SELECT count(*) FROM {_q(name)}")  # noqa: S608
        rows = cursor.fetchone()[0]
        cursor.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(name)}")
        # The archive is a snapshot: its foreign keys would keep users, windows and tickets from
        # being deleted while it waits to be dumped.
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [name],
        )
        for (constraint,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {_q(name)} DROP CONSTRAINT {_q(constraint)}")
        audit.record(
            actor=actor,
            action="system.partition_detach",
            object_type="partition",
            object_id=name,
            after={"table": table, "month": f"{month:%Y-%m}", "rows": rows},
            actor_name="" if actor else "系统（命令行）",
        )
    return DetachResult(
        True,
        f"已拆出 {name}（{rows} 行），它已不属于 {table}，仍作为单独的表留在数据库中："
        f"归档（pg_dump -t {name}）后可删除。",
        partition=name,
        rows=rows,
    )


@task()
def create_partitions_ahead(months_ahead: int = MONTHS_AHEAD) -> dict:
    """The daily schedule's job (jobs/schedules.py)."""
    return ensure_partitions(months_ahead=months_ahead).as_json()
