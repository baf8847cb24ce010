"""Helpers shared by the hall services: the day, the event log, the clerk at a window."""

import datetime as dt

from django.utils import timezone

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.org.models import Staff, Window

from .. import permissions
from ..models import Ticket, TicketEvent
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
    staff = permissions.staff_of(actor)
    if staff is None:
        raise PermissionDeniedError(NO_STAFF_MESSAGE)
    if not permissions.can_operate_window(actor, window, staff):
        raise PermissionDeniedError(f"您不能在 {window.number} 号窗口叫号。")
    current = signin.open_sign_in(window)
    if current is not None and current.staff_id == staff.pk:  # the usual case: already here
        return current.staff
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
