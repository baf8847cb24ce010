"""Monthly partitions of the history tables (core.partitions): PostgreSQL; no-ops on SQLite."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from chuangkou.cases.models import CaseEvent
from chuangkou.cli import main
from chuangkou.core import partitions
from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry
from chuangkou.hall.models import TicketEvent
from tests.hall.factories import TicketFactory

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
TABLES = ["cases_caseevent", "hall_ticketevent"]
pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="declarative partitioning is PostgreSQL's"
)
pytestmark = pytest.mark.django_db


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def home(event_id: int) -> str:
    """The partition a ticket event row is stored in."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM hall_ticketevent WHERE id = %s", [event_id]
        )
        return cursor.fetchone()[0]


def attached(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(partitions._attached(cursor, table))


@pytest.fixture
def events():
    """`events(*moments)`: ticket events of one ticket at those moments, committed as far as the
    deferred foreign keys go (a partition cannot be created under pending trigger events, and in
    production the rows were written by earlier transactions)."""

    def make(*moments):
        ticket = TicketFactory()
        rows = [
            TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.ISSUED, at=moment)
            for moment in moments
        ]
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return ticket, rows

    return make


@pg_only
def test_the_event_tables_are_partitioned_by_month_with_a_default_partition():
    assert partitions.partitioned_tables() == [(t, "at") for t in TABLES]
    this_month = partitions.first_of_month(timezone.localdate())
    for table in TABLES:
        names = attached(table)
        assert f"{table}_default" in names
        assert partitions.partition_name(table, this_month) in names
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            assert cursor.fetchone()[0] == f"public.{table}_id_seq"
    # Tickets and cases stay plain: foreign keys point at their id alone.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relkind FROM pg_class WHERE relname IN ('hall_ticket', 'cases_case')"
        )
        assert {row[0] for row in cursor.fetchall()} == {"r"}


@pg_only
def test_ensure_partitions_creates_the_months_ahead_once():
    report = partitions.ensure_partitions(months_ahead=2, today=dt.date(2031, 11, 20))
    expected = [f"{t}_p{m}" for t in TABLES for m in ("203111", "203112", "203201")]
    assert report.created == expected and report.moved == {}
    for table in TABLES:
        assert {n for n in expected if n.startswith(table)} <= attached(table)
    again = partitions.ensure_partitions(months_ahead=2, today=dt.date(2031, 11, 20))
    assert again.created == [] and again.message == "新建分区 0 个。"


@pg_only
def test_rows_land_in_their_local_month_and_one_query_reads_across_partitions(events):
    partitions.ensure_partitions(months_ahead=1, today=dt.date(2031, 1, 5))
    january_end, february_start = local(2031, 1, 31, 23, 30), local(2031, 2, 1, 0, 30)
    ticket, (late, early, later) = events(february_start, january_end, local(2031, 2, 14, 9))
    assert home(early.pk) == "hall_ticketevent_p203101"  # 15:30 UTC, still January in Beijing
    assert home(late.pk) == home(later.pk) == "hall_ticketevent_p203102"
    assert list(ticket.events.order_by("at", "id")) == [early, late, later]
    assert TicketEvent.objects.filter(at__gte=local(2031, 1, 31), ticket=ticket).count() == 3


@pg_only
def test_rows_in_the_default_partition_move_into_their_new_month(events):
    _ticket, (future, old) = events(local(2032, 3, 9, 10), local(2019, 6, 1, 8))
    assert home(future.pk) == home(old.pk) == "hall_ticketevent_default"

    report = partitions.ensure_partitions(months_ahead=0, today=dt.date(2032, 3, 1))

    assert report.moved == {"hall_ticketevent_p201906": 1, "hall_ticketevent_p203203": 1}
    assert home(future.pk) == "hall_ticketevent_p203203"
    assert home(old.pk) == "hall_ticketevent_p201906"
    assert set(TicketEvent.objects.filter(pk__in=[future.pk, old.pk])) == {future, old}
    assert "移入 2 行" in report.message


@pg_only
def test_detach_refuses_the_current_and_coming_months_and_archives_an_old_one(events):
    today = dt.date(2031, 6, 15)
    partitions.ensure_partitions(months_ahead=0, today=dt.date(2031, 4, 1))
    _ticket, (april, june) = events(local(2031, 4, 2, 9), local(2031, 6, 3, 9))
    for month in (dt.date(2031, 6, 1), dt.date(2031, 8, 1)):
        with pytest.raises(DomainError, match="只能拆出已经过去的月份"):
            partitions.detach_partition(
                actor=None, table="hall_ticketevent", month=month, today=today
            )
    with pytest.raises(DomainError, match="不是按月分区的表"):
        partitions.detach_partition(
            actor=None, table="hall_ticket", month=dt.date(2031, 4, 1), today=today
        )
    with pytest.raises(DomainError, match="没有 2031-03 的分区"):
        partitions.detach_partition(
            actor=None, table="hall_ticketevent", month=dt.date(2031, 3, 1), today=today
        )

    result = partitions.detach_partition(
        actor=None, table="hall_ticketevent", month=dt.date(2031, 4, 20), today=today
    )

    assert (result.partition, result.rows) == ("hall_ticketevent_p203104", 1)
    assert "hall_ticketevent_p203104" not in attached("hall_ticketevent")
    assert list(TicketEvent.objects.filter(pk__in=[april.pk, june.pk])) == [june]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM hall_ticketevent_p203104")
        assert cursor.fetchall() == [(april.pk,)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint "
            "WHERE conrelid = 'hall_ticketevent_p203104'::regclass AND contype = 'f'"
        )
        assert cursor.fetchone()[0] == 0  # the archive keeps no user or ticket from being deleted
    entry = AuditEntry.objects.get(action="system.partition_detach")
    assert entry.object_id == "hall_ticketevent_p203104" and entry.after["rows"] == 1
    # The archived month is not created again while its table is still there.
    report = partitions.ensure_partitions(months_ahead=0, today=today)
    assert "hall_ticketevent_p203104" not in report.created


@pg_only
def test_django_sequence_reset_still_finds_the_id_sequence(events):
    _ticket, (first,) = events(local(2031, 1, 5, 9))
    with connection.cursor() as cursor:
        for model in (TicketEvent, CaseEvent):
            sequences = connection.introspection.get_sequences(cursor, model._meta.db_table)
            assert sequences == [
                {
                    "name": f"{model._meta.db_table}_id_seq",
                    "table": model._meta.db_table,
                    "column": "id",
                }
            ]
        for sql in connection.ops.sequence_reset_sql(no_style(), [TicketEvent, CaseEvent]):
            cursor.execute(sql)
        cursor.execute("SELECT last_value FROM hall_ticketevent_id_seq")
        assert cursor.fetchone()[0] == first.pk
    _ticket, (second,) = events(local(2031, 1, 5, 10))
    assert second.pk == first.pk + 1


@pg_only
def test_partition_by_month_keeps_rows_sequence_indexes_and_foreign_keys():
    ticket = TicketFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE scratch_log (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
            "at timestamptz NOT NULL, ticket_id bigint NOT NULL CONSTRAINT scratch_log_ticket_fk "
            "REFERENCES hall_ticket (id) DEFERRABLE INITIALLY DEFERRED, "
            "note text NOT NULL DEFAULT '')"
        )
        cursor.execute("CREATE INDEX scratch_log_ticket_at ON scratch_log (ticket_id, at)")
        for moment in (local(2020, 1, 31, 23), local(2020, 3, 2, 8), local(2020, 3, 3, 8)):
            cursor.execute(
                "INSERT INTO scratch_log (at, ticket_id) VALUES (%s, %s)", [moment, ticket.pk]
            )
        cursor.execute("DELETE FROM scratch_log WHERE id = 3")  # the sequence stays at 3
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        with connection.schema_editor(atomic=False) as editor:
            partitions.partition_by_month(editor, table="scratch_log", column="at", months_ahead=0)
            partitions.partition_by_month(editor, table="scratch_log", column="at")  # no-op

        names = attached("scratch_log")
        assert {"scratch_log_p202001", "scratch_log_p202002", "scratch_log_p202003"} <= names
        assert "scratch_log_default" in names
        cursor.execute("SELECT id, tableoid::regclass::text FROM scratch_log ORDER BY id")
        assert cursor.fetchall() == [(1, "scratch_log_p202001"), (2, "scratch_log_p202003")]
        cursor.execute(
            "INSERT INTO scratch_log (at, ticket_id) VALUES (now(), %s) RETURNING id", [ticket.pk]
        )
        assert cursor.fetchone()[0] == 4
        cursor.execute(
            "SELECT conname, contype FROM pg_constraint WHERE conrelid = 'scratch_log'::regclass"
        )
        assert dict(cursor.fetchall()) == {"scratch_log_pkey": "p", "scratch_log_ticket_fk": "f"}
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'scratch_log'")
        assert {row[0] for row in cursor.fetchall()} == {
            "scratch_log_pkey",
            "scratch_log_ticket_at",
        }


@pg_only
def test_the_command_lists_creates_and_detaches(capsys):
    assert partitions.create_partitions_ahead.call(months_ahead=1)["supported"] is True
    assert main(["partitions", "--detach", "2020-01"]) == 1
    assert "请用 --table 指定" in capsys.readouterr().err
    out = io.StringIO()
    call_command("partitions", ahead=1, stdout=out)
    call_command("partitions", list=True, stdout=out)
    assert "hall_ticketevent_default\t默认分区" in out.getvalue()
    with pytest.raises(CommandError, match="月份格式应为"):
        call_command("partitions", detach="2031-13", table="hall_ticketevent")
    with pytest.raises(CommandError, match="请用 --table 指定"):
        call_command("partitions", detach="2020-01")
    with pytest.raises(CommandError, match="只能拆出已经过去的月份"):
        call_command("partitions", detach=f"{timezone.localdate():%Y-%m}", table="cases_caseevent")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite answer")
def test_on_sqlite_everything_says_partitioning_is_postgresql_only(capsys):
    assert main(["partitions", "--ahead", "2"]) == 0
    assert "按月分区只用于 PostgreSQL" in capsys.readouterr().out
    assert partitions.create_partitions_ahead.call()["supported"] is False
    out = io.StringIO()
    call_command("partitions", stdout=out)
    call_command("partitions", list=True, detach="2020-01", stdout=out)
    assert out.getvalue().count("按月分区只用于 PostgreSQL") == 2
    report = partitions.ensure_partitions()
    assert not report.supported and report.created == []
    result = partitions.detach_partition(
        actor=None, table="hall_ticketevent", month=dt.date(2020, 1, 1)
    )
    assert not result.supported and "PostgreSQL" in result.message
    assert partitions.list_partitions() == [] and partitions.partitioned_tables() == []
