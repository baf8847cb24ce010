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
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        window=window,
        note=note[:200],
    )


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


def lock_ticket(ticket: Ticket) -> Ticket:
    """The ticket re-read under a row lock (PostgreSQL; SQLite serialises writers already)."""
    return Ticket.objects.select_for_update(of=("self",)).select_related("queue").get(pk=ticket.pk)


def lock_window(window: Window) -> Window:
    """Serialise the actions of one window so that it never holds two current tickets."""
    return Window.objects.select_for_update().get(pk=window.pk)


LOCK_WINDOW_QUEUES_SQL = """
SELECT l.servicequeue_id FROM {windows} w
LEFT JOIN {links} l ON l.window_id = w.id
WHERE w.id = %s{lock}
"""


def lock_window_queues(window: Window) -> list[int]:
    """`lock_window` and the ids of the queues the window serves, in one statement."""
    lock = " FOR UPDATE OF w" if connection.features.has_select_for_update_of else ""
    sql = LOCK_WINDOW_QUEUES_SQL.format(
        windows=Window._meta.db_table, links=ServiceQueue.windows.through._meta.db_table, lock=lock
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [window.pk])
        rows = cursor.fetchall()
    if not rows:
        raise Window.DoesNotExist(f"窗口 {window.pk} 不存在。")
    return [queue_id for (queue_id,) in rows if queue_id is not None]
