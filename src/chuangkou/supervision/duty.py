"""Who was on duty (当班) at a window or in the lobby at a given moment, from the hall's records.

A supervisor names windows by their number only; the person a finding concerns is resolved here,
in order of reliability:
1. the window sign-in (窗口签到) open at that moment;
2. the ticket served at that window at that moment (called/started … finished), else the
   nearest desk event (叫号、开始办理、办结 …) at that window within `NEAR` by a clerk;
3. the window's posting, when exactly one active staff member is posted there.
The lobby manager is the person who issued tickets for citizens (帮办取号) nearest that moment.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from chuangkou.hall.models import Ticket, TicketEvent, WindowSignIn
from chuangkou.org.models import Staff

from .models import ObservedWindow

NEAR = dt.timedelta(minutes=30)
LOBBY_NEAR = dt.timedelta(minutes=90)
Source = ObservedWindow.Source


@dataclass(frozen=True)
class Duty:
    staff: Staff | None
    source: str


def on_duty(window, at: dt.datetime) -> Duty:
    """The clerk on duty at `window` at `at`, and what says so."""
    for find, source in (
        (_signed_in, Source.SIGN_IN),
        (_serving, Source.TICKET),
        (_posted, Source.POSTING),
    ):
        staff = find(window, at)
        if staff is not None:
            return Duty(staff, source)
    return Duty(None, Source.UNKNOWN)


def _signed_in(window, at) -> Staff | None:
    sign_in = (
        WindowSignIn.objects.filter(window=window, signed_in_at__lte=at)
        .filter(Q(signed_out_at__isnull=True) | Q(signed_out_at__gt=at))
        .select_related("staff")
        .order_by("-signed_in_at")
        .first()
    )
    return sign_in.staff if sign_in else None


def _serving(window, at) -> Staff | None:
    ticket = (
        Ticket.objects.filter(window=window, clerk__isnull=False, called_at__lte=at)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=at))
        .select_related("clerk")
        .order_by("-called_at")
        .first()
    )
    if ticket is not None:
        return ticket.clerk
    events = TicketEvent.objects.filter(
        window=window, actor__isnull=False, at__gte=at - NEAR, at__lte=at + NEAR
    ).values_list("actor_id", "at")
    nearest = min(events, key=lambda e: abs(e[1] - at), default=None)
    if nearest is None:
        return None
    return Staff.objects.filter(user_id=nearest[0]).first()


def _posted(window, at) -> Staff | None:
    posted = list(
        Staff.objects.filter(window=window, status=Staff.Status.ACTIVE, hire_date__lte=at.date())[
            :2
        ]
    )
    return posted[0] if len(posted) == 1 else None


def lobby_manager_on_duty(center, at: dt.datetime) -> Staff | None:
    """The lobby manager (大堂经理) who issued tickets for citizens nearest `at` at `center`."""
    issued = Ticket.objects.filter(
        queue__center=center,
        issued_by__isnull=False,
        issued_at__gte=at - LOBBY_NEAR,
        issued_at__lte=at + LOBBY_NEAR,
    ).values_list("issued_by_id", "issued_at")
    nearest = min(issued, key=lambda e: abs(e[1] - at), default=None)
    if nearest is None:
        return None
    return Staff.objects.filter(user_id=nearest[0]).first()
