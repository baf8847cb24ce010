"""Database triggers that make the audit table append-only (UPDATE, DELETE and, on PostgreSQL,
TRUNCATE are refused), installed by migration 0005.

`lifted()` takes them off for a moment: only for tests that play an attacker with full database
access, and for the test runner's flush between transactional tests. The application never
calls it.
"""

from contextlib import contextmanager

from django.db import connections

TABLE = "core_auditentry"
MESSAGE = "审计日志只能追加，不能修改或删除。"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]
POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}（%）', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
]


def create_sql(vendor: str) -> list[str]:
    return POSTGRES_CREATE if vendor == "postgresql" else SQLITE_CREATE


def drop_sql(vendor: str) -> list[str]:
    return POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP


def _execute(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def lifted(using: str = "default"):
    """Run the block with the append-only triggers off (as the table's owner could)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # ALTER TABLE waits for no deferred foreign-key checks of this transaction's inserts
        pending = ["SET CONSTRAINTS ALL IMMEDIATE"] if connection.in_atomic_block else []
        off = [*pending, f"ALTER TABLE {TABLE} DISABLE TRIGGER USER"]
        on = [f"ALTER TABLE {TABLE} ENABLE TRIGGER USER"]
    else:
        off, on = SQLITE_DROP, SQLITE_CREATE
    _execute(connection, off)
    try:
        yield
    finally:
        _execute(connection, on)


def missing(using: str = "default") -> list[str]:
    """The append-only triggers that are absent or disabled (empty when all is well)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'",
                [TABLE],
            )
            expected = [f"{TABLE}_append_only", f"{TABLE}_no_truncate"]
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            expected = [f"{TABLE}_no_update", f"{TABLE}_no_delete"]
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]
