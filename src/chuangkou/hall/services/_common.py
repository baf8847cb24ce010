"""Helpers shared by the hall services: the day, the event log, the clerk at a window."""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.utils import timezone

from chuangkou.core.connections import prepared_cursor
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.roles import has_role
from chuangkou.core.rows import RowLoader
from chuangkou.org.models import Assignment, Staff, Window

from .. import permissions
from ..models import ServiceQueue, Ticket, TicketEvent, WindowSignIn
from . import signin

NO_STAFF_MESSAGE = "您的账号没有关联窗口人员档案，不能使用叫号工作台。请联系中心管理员。"


def new_event(
    kind: str, *, at: dt.datetime, actor=None, window: Window | None = None, note: str = ""
) -> TicketEvent:
    """One row of a ticket's history (not saved yet)."""
    return TicketEvent(
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        window=window,
        note=note[:200],
    )


EVENT_COLUMNS = "ticket_id, kind, at, window_id, actor_id, note"  # `event_params`, after the id
EVENT_CTE = """event AS (
  INSERT INTO {table} ({columns})
  SELECT id, %s, %s, %s, %s, %s FROM {source})"""


def event_cte(source: str) -> str:
    """PostgreSQL: a CTE logging one event (`event_params`) for each ticket row that the CTE
    `source` returns, so that a change and its history row take one round trip."""
    return EVENT_CTE.format(table=TicketEvent._meta.db_table, columns=EVENT_COLUMNS, source=source)


def event_params(event: TicketEvent) -> list:
    at = connection.ops.adapt_datetimefield_value(event.at)
    return [event.kind, at, event.window_id, event.actor_id, event.note]


def with_event_sql(statement: str) -> str:
    """PostgreSQL: `statement` (an UPDATE or INSERT … RETURNING id, …) chained with its event."""
    return f"WITH changed AS ({statement}),\n{event_cte('changed')}\nSELECT * FROM changed"


EVENT_INSERT = "INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)"


def insert_event(ticket: Ticket, event: TicketEvent) -> None:
    """SQLite: log `event` of `ticket` by a fixed statement (PostgreSQL chains it to the change:
    `event_cte`)."""
    with connection.cursor() as cursor:
        sql = EVENT_INSERT.format(table=TicketEvent._meta.db_table, columns=EVENT_COLUMNS)
        cursor.execute(sql, [ticket.pk, *event_params(event)])


def update_with_event(ticket: Ticket, event: TicketEvent, changes: dict) -> None:
    """Write `changes` to the ticket and log `event`: one statement on PostgreSQL, two on SQLite
    (fixed statements on both, not the ORM's UPDATE and save)."""
    fields = [Ticket._meta.get_field(name) for name in changes]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    values = [
        f.get_db_prep_save(getattr(changes[f.name], "pk", changes[f.name]), connection)
        for f in fields
    ]
    update = f"UPDATE {Ticket._meta.db_table} SET {assignments} WHERE id = %s"  # noqa: S608
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(update, [*values, ticket.pk])
        insert_event(ticket, event)
        return
    with prepared_cursor() as cursor:
        sql = with_event_sql(f"{update} RETURNING id")
        cursor.execute(sql, [*values, ticket.pk, *event_params(event)])


def record_event(
    ticket: Ticket,
    kind: str,
    *,
    at: dt.datetime,
    actor=None,
    window: Window | None = None,
    note: str = "",
) -> TicketEvent:
    """One row of the ticket's history, in the same transaction as the change it records."""
    event = new_event(kind, at=at, actor=actor, window=window, note=note)
    event.ticket = ticket
    event.save(force_insert=True)
    return event


def check_today(ticket: Ticket) -> None:
    """A ticket is valid on the day it was issued only (号码每日重新编排)."""
    if ticket.service_date != timezone.localdate():
        raise DomainError(
            f"{ticket.number} 是 {ticket.service_date:%Y-%m-%d} 的号，已失效，不能再办理。"
        )


def check_status(ticket: Ticket, allowed: tuple[str, ...], action: str) -> None:
    if ticket.status not in allowed:
        raise DomainError(
            f"{ticket.number} 当前为“{ticket.get_status_display()}”，不能{action}。",
            field="status",
        )


LOCK_TICKET_SQL = """
SELECT t.*, q.center_id AS queue_center_id, q.name AS queue_name
FROM {tickets} t JOIN {queues} q ON q.id = t.queue_id
WHERE t.id = %s{lock}
"""


def _for_update(of: str) -> str:
    if not connection.features.has_select_for_update:
        return ""  # SQLite: the IMMEDIATE transaction serialises writers already
    return f" FOR UPDATE OF {of}" if connection.features.has_select_for_update_of else " FOR UPDATE"


def with_queue(ticket: Ticket) -> Ticket:
    """Attach the queue's center and name read with the ticket (`queue_center_id`,
    `queue_name` columns); its other fields load if used."""
    values = (ticket.queue_id, ticket.queue_center_id, ticket.queue_name)
    ticket.queue = ServiceQueue.from_db(connection.alias, ["id", "center_id", "name"], values)
    return ticket


def lock_ticket(ticket: Ticket) -> Ticket:
    """The ticket (re-)read under a row lock with its queue's center and name, in one plain
    statement; `ticket` may be a bare reference by id."""
    sql = LOCK_TICKET_SQL.format(
        tickets=Ticket._meta.db_table, queues=ServiceQueue._meta.db_table, lock=_for_update("t")
    )
    found = next(iter(Ticket.objects.raw(sql, [ticket.pk])), None)
    if found is None:
        raise DomainError(f"排队号 {ticket.pk} 不存在。", status=404)
    return with_queue(found)


DESK_SQL = """
SELECT {window_columns}{queue_column}{ticket_columns}, {staff_columns},
  EXISTS (SELECT 1 FROM {assignments} a WHERE a.staff_id = s.id AND a.window_id = w.id
          AND a.start_date <= %s AND (a.end_date IS NULL OR a.end_date >= %s)) AS posted_here,
  EXISTS (SELECT 1 FROM {sign_ins} i WHERE i.staff_id = s.id AND i.window_id = w.id
          AND i.signed_out_at IS NULL) AS signed_in_here
FROM {windows} w{queue_join}{ticket_join}
LEFT JOIN {staff} s ON s.id = (
  SELECT id FROM {staff} WHERE user_id = %s AND status <> %s
  ORDER BY LENGTH(staff_no), staff_no LIMIT 1)
WHERE w.id = %s{lock}
"""


@dataclass(frozen=True)
class _DeskQuery:
    sql: str
    windows: RowLoader
    tickets: RowLoader | None
    staff: RowLoader


@lru_cache(maxsize=4)
def _desk_query(with_queues: bool, with_ticket: bool) -> _DeskQuery:
    windows, staff = RowLoader(Window), RowLoader(Staff)
    tickets = RowLoader(Ticket) if with_ticket else None
    links = ServiceQueue.windows.through._meta.db_table
    sql = DESK_SQL.format(
        window_columns=windows.columns("w"),
        queue_column=", l.servicequeue_id" if with_queues else "",
        ticket_columns=f", {tickets.columns('t')}, tq.center_id, tq.name" if tickets else "",
        staff_columns=staff.columns("s"),
        assignments=Assignment._meta.db_table,
        sign_ins=WindowSignIn._meta.db_table,
        windows=Window._meta.db_table,
        queue_join=f" LEFT JOIN {links} l ON l.window_id = w.id" if with_queues else "",
        ticket_join=(
            f" JOIN {Ticket._meta.db_table} t ON t.id = %s"
            f" JOIN {ServiceQueue._meta.db_table} tq ON tq.id = t.queue_id"
            if tickets
            else ""
        ),
        staff=Staff._meta.db_table,
        # PostgreSQL locks the rows in the order of this list (the window first, as everywhere)
        lock=_for_update("w, t" if tickets else "w"),
    )
    return _DeskQuery(sql, windows, tickets, staff)


@dataclass(frozen=True)
class Desk:
    """A window read under its row lock, the acting user's staff record (or None) with
    `posted_here` and `signed_in_here` set, the ids of the queues it serves (for call next) and
    the ticket acted on, also under its row lock, with its queue's center and name."""

    window: Window
    staff: Staff | None
    queue_ids: list[int]
    ticket: Ticket | None


def lock_desk(
    actor, window: Window, *, with_queues: bool = False, ticket: Ticket | None = None
) -> Desk:
    """Serialise the actions of one window so that it never holds two current tickets: the
    window (re-)read under its row lock (`window`, `ticket`: bare references by id will do),
    together with what the desk checks need, in one statement: the actor's staff record as
    `staff_of` picks it (not 离职, the lowest staff number), whether a current posting (org
    Assignment) sends them to this window, whether they are signed in here, the window's queues
    and the ticket. An unknown window is a 400, an unknown ticket a 404."""
    query = _desk_query(with_queues, ticket is not None)
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    ticket_id = [ticket.pk] if ticket is not None else []
    with prepared_cursor() as cursor:
        cursor.execute(query.sql, [today, today, *ticket_id, user_id, Staff.Status.LEFT, window.pk])
        rows = cursor.fetchall()
    if not rows:
        if ticket is not None and Window.objects.filter(pk=window.pk).exists():
            raise DomainError(f"排队号 {ticket.pk} 不存在。", status=404)
        raise DomainError(f"窗口编号 {window.pk} 不存在。", field="window_id")
    return _desk_of(query, rows, with_queues)


def _desk_of(query: _DeskQuery, rows: list[tuple], with_queues: bool) -> Desk:
    first, at = rows[0], len(query.windows.fields)
    window = query.windows.load(first[:at])
    queue_ids = [row[at] for row in rows if row[at] is not None] if with_queues else []
    at += with_queues
    ticket = None
    if query.tickets is not None:
        end = at + len(query.tickets.fields)
        ticket = query.tickets.load(first[at:end])
        ticket.queue_center_id, ticket.queue_name = first[end], first[end + 1]
        ticket, at = with_queue(ticket), end + 2
    values = first[at:-2]
    staff = query.staff.load(values) if values[0] is not None else None
    if staff is not None:
        staff.posted_here, staff.signed_in_here = bool(first[-2]), bool(first[-1])
    return Desk(window, staff, queue_ids, ticket)


def desk_clerk(actor, desk: Desk) -> Staff:
    """The staff record of the clerk signed in at the desk's window (signing them in at a free
    window they may work); refuses anyone else. The desk was read by `lock_desk`."""
    staff, window = desk.staff, desk.window
    if staff is None:
        raise PermissionDeniedError(NO_STAFF_MESSAGE)
    if not (has_role(actor, *permissions.DESK_ROLES) and permissions.may_work(staff, window)):
        raise PermissionDeniedError(f"您不能在 {window.number} 号窗口叫号。")
    if staff.signed_in_here:  # the usual case: already signed in here
        return staff
    return signin.signed_in_clerk(actor, window)
