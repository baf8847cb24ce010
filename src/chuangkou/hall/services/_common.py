"""Helpers shared by the hall services: the day, the event log, the clerk at a window."""

import datetime as dt

from django.db import connection
from django.utils import timezone

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.roles import has_role
from chuangkou.org.models import Staff, Window

from .. import permissions
from ..models import ServiceQueue, Ticket, TicketEvent
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


EVENT_CTE = """event AS (
  INSERT INTO {table} (ticket_id, kind, at, window_id, actor_id, note)
  SELECT id, %s, %s, %s, %s, %s FROM {source})"""


def event_cte(source: str) -> str:
    """PostgreSQL: a CTE logging one event (`event_params`) for each ticket row that the CTE
    `source` returns, so that a change and its history row take one round trip."""
    return EVENT_CTE.format(table=TicketEvent._meta.db_table, source=source)


def event_params(event: TicketEvent) -> list:
    at = connection.ops.adapt_datetimefield_value(event.at)
    return [event.kind, at, event.window_id, event.actor_id, event.note]


def with_event_sql(statement: str) -> str:
    """PostgreSQL: `statement` (an UPDATE or INSERT … RETURNING id, …) chained with its event."""
    return f"WITH changed AS ({statement}),\n{event_cte('changed')}\nSELECT * FROM changed"


def update_with_event(ticket: Ticket, event: TicketEvent, changes: dict) -> None:
    """Write `changes` to the ticket and log `event`: one statement on PostgreSQL, two on SQLite."""
    if connection.vendor != "postgresql":
        Ticket.objects.filter(pk=ticket.pk).update(**changes)
        event.ticket = ticket
        event.save(force_insert=True)
        return
    fields = [Ticket._meta.get_field(name) for name in changes]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    values = [
        f.get_db_prep_save(getattr(changes[f.name], "pk", changes[f.name]), connection)
        for f in fields
    ]
    update = f"UPDATE {Ticket._meta.db_table} SET {assignments} WHERE id = %s RETURNING id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(with_event_sql(update), [*values, ticket.pk, *event_params(event)])


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


def desk_clerk(actor, window: Window) -> Staff:
    """The staff record of the clerk signed in at `window` (signing them in at a free window
    they may work); refuses anyone else."""
    staff = permissions.desk_staff(actor, window)  # one query: record, posting, sign-in
    if staff is None:
        raise PermissionDeniedError(NO_STAFF_MESSAGE)
    if not (has_role(actor, *permissions.DESK_ROLES) and permissions.may_work(staff, window)):
        raise PermissionDeniedError(f"您不能在 {window.number} 号窗口叫号。")
    if staff.signed_in_here:  # the usual case: already signed in here
        return staff
    return signin.signed_in_clerk(actor, window)


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


def _no_window(pk) -> DomainError:
    return DomainError(f"窗口编号 {pk} 不存在。", field="window_id")


def lock_window(window: Window) -> Window:
    """Serialise the actions of one window so that it never holds two current tickets; the
    window (re-)read under its row lock (`window` may be a bare reference by id)."""
    sql = f"SELECT * FROM {Window._meta.db_table} WHERE id = %s{_for_update(Window._meta.db_table)}"  # noqa: S608
    found = next(iter(Window.objects.raw(sql, [window.pk])), None)
    if found is None:
        raise _no_window(window.pk)
    return found


LOCK_WINDOW_QUEUES_SQL = """
SELECT w.*, l.servicequeue_id AS served_queue_id FROM {windows} w
LEFT JOIN {links} l ON l.window_id = w.id
WHERE w.id = %s{lock}
"""


def lock_window_queues(window: Window) -> tuple[Window, list[int]]:
    """`lock_window` and the ids of the queues the window serves, in one statement."""
    sql = LOCK_WINDOW_QUEUES_SQL.format(
        windows=Window._meta.db_table,
        links=ServiceQueue.windows.through._meta.db_table,
        lock=_for_update("w"),
    )
    rows = list(Window.objects.raw(sql, [window.pk]))
    if not rows:
        raise _no_window(window.pk)
    return rows[0], [row.served_queue_id for row in rows if row.served_queue_id is not None]
