"""Reads of the hall: who sees which tickets, a ticket's place in its queue, the workstation,
the display board and the kiosk. Figures over a period are in `metrics.py`."""

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from chuangkou.catalog.models import Matter
from chuangkou.core.connections import prepared_cursor
from chuangkou.core.roles import Role, has_role, roles_of
from chuangkou.core.rows import RowLoader
from chuangkou.org.models import Center, Staff, Window

from . import permissions
from .filters import AppointmentFilter, SlotFilter, TicketFilter
from .models import (
    Appointment,
    AppointmentSlot,
    HallSettings,
    ServiceQueue,
    Ticket,
    TicketEvent,
    WindowSignIn,
)

CALL_EVENTS = (TicketEvent.Kind.CALLED, TicketEvent.Kind.RECALLED)
CURRENT = (Ticket.Status.CALLED, Ticket.Status.SERVING)
OPEN_STATUSES = (Ticket.Status.WAITING, *CURRENT, Ticket.Status.PARKED)
RECENT_CALLS = 8
BOOKED_STATUSES = (
    Appointment.Status.BOOKED,
    Appointment.Status.CHECKED_IN,
    Appointment.Status.LATE,
)


def settings_for(center: Center) -> HallSettings:
    """The center's rules; the defaults (not saved) when it has none yet."""
    return HallSettings.objects.filter(center=center).first() or HallSettings(center=center)


# -- visibility -------------------------------------------------------------------------------


def hall_centers_visible_to(user) -> QuerySet[Center]:
    """Centers whose hall a user may look after: every center for the center admin; the
    centers where their departments have windows for a department head; else their own."""
    qs = Center.objects.order_by("kind", "name")
    held = roles_of(user)
    if not held:
        return qs.none()
    if Role.CENTER_ADMIN in held:
        return qs
    visible = Q(pk__in=[])
    if Role.DEPT_HEAD in held:
        windows = Window.objects.filter(department__heads=user)
        visible |= Q(pk__in=windows.values("center_id"))
    if held & {Role.LOBBY_MANAGER, Role.CLERK}:
        staff = permissions.staff_of(user)
        if staff is not None:
            visible |= Q(pk=staff.center_id)
        elif Role.LOBBY_MANAGER in held:
            return qs
    return qs.filter(visible)


def default_center(user) -> Center | None:
    staff = permissions.staff_of(user)
    centers = hall_centers_visible_to(user)
    if staff is not None and centers.filter(pk=staff.center_id).exists():
        return staff.center
    return centers.first()


def _ticket_queues_rule(user) -> Q | None:
    """Whose tickets a user sees, as a rule on queues (None: all): whole centers for admins and
    lobby managers; for a department head, the queues served by their department's windows."""
    held = roles_of(user)
    if Role.CENTER_ADMIN in held:
        return None
    visible = Q(pk__in=[])
    if Role.LOBBY_MANAGER in held:
        visible |= Q(center__in=hall_centers_visible_to(user))
    if Role.DEPT_HEAD in held:
        served = ServiceQueue.objects.filter(windows__department__heads=user).values("pk")
        visible |= Q(pk__in=served)
    return visible


def ticket_queues(user) -> QuerySet[ServiceQueue]:
    """The queues whose tickets `tickets_visible_to(user)` gives (e.g. to pick summary rows)."""
    rule = _ticket_queues_rule(user)
    return ServiceQueue.objects.all() if rule is None else ServiceQueue.objects.filter(rule)


def tickets_visible_to(user) -> QuerySet[Ticket]:
    """Tickets in the lists: those of `ticket_queues(user)`."""
    qs = Ticket.objects.select_related("queue", "window", "clerk", "matter", "issued_by")
    rule = _ticket_queues_rule(user)
    return (
        qs if rule is None else qs.filter(queue__in=ServiceQueue.objects.filter(rule).values("pk"))
    )


def ticket_list(*, user, filters: TicketFilter) -> QuerySet[Ticket]:
    return filters.filter(tickets_visible_to(user)).order_by("-service_date", "-issued_at", "-id")


def ticket_events(ticket: Ticket) -> QuerySet[TicketEvent]:
    return ticket.events.select_related("window", "actor").order_by("at", "id")


def queues_visible_to(user) -> QuerySet[ServiceQueue]:
    return ServiceQueue.objects.filter(center__in=hall_centers_visible_to(user)).select_related(
        "center"
    )


QUEUE_TO_ISSUE_SQL = "SELECT {columns}, {issuer_center} FROM {queues} q WHERE q.id = %s"


@lru_cache(maxsize=1)
def _queue_to_issue() -> tuple[str, RowLoader]:
    queues = RowLoader(ServiceQueue)
    issuer_center, _ = permissions.staff_center_sql()
    sql = QUEUE_TO_ISSUE_SQL.format(
        columns=queues.columns("q"),
        issuer_center=issuer_center,
        queues=connection.ops.quote_name(ServiceQueue._meta.db_table),
    )
    return sql, queues


def queue_to_issue(queue_id: int, issuer) -> ServiceQueue | None:
    """The queue a ticket is to be issued in, and in the same statement the center of the
    issuer's staff record, which the 帮办 permission check then needs no statement for."""
    sql, queues = _queue_to_issue()
    signed_in = getattr(issuer, "is_authenticated", False)
    _, staff_params = permissions.staff_center_sql()
    with prepared_cursor() as cursor:
        cursor.execute(sql, [issuer.pk if signed_in else None, *staff_params, queue_id])
        row = cursor.fetchone()
    if row is None:
        return None
    if signed_in:
        permissions.remember_staff_center(issuer, row[-1])
    return queues.load(row[:-1])


def appointments_visible_to(user) -> QuerySet[Appointment]:
    qs = Appointment.objects.select_related("slot", "slot__queue", "slot__queue__center", "ticket")
    if not has_role(user, *permissions.APPOINTMENT_READERS):
        return qs.none()
    return qs.filter(slot__queue__center__in=hall_centers_visible_to(user))


def appointment_list(*, user, filters: AppointmentFilter) -> QuerySet[Appointment]:
    return filters.filter(appointments_visible_to(user)).order_by(
        "-slot__date", "slot__start", "id"
    )


def slot_list(*, user, filters: SlotFilter) -> QuerySet[AppointmentSlot]:
    qs = AppointmentSlot.objects.filter(queue__center__in=hall_centers_visible_to(user))
    qs = qs.select_related("queue", "queue__center").annotate(
        booked=Count("appointments", filter=Q(appointments__status__in=BOOKED_STATUSES))
    )
    return filters.filter(qs).order_by("date", "start", "queue__prefix")


# -- a ticket's place in its queue --------------------------------------------------------------


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same queue and day that will be called before this one."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    before = Q(priority=ticket.priority) & (
        Q(issued_at__lt=ticket.issued_at) | Q(issued_at=ticket.issued_at, pk__lt=ticket.pk)
    )
    if not ticket.priority:
        before |= Q(priority=True)
    return (
        Ticket.objects.filter(
            queue_id=ticket.queue_id, service_date=ticket.service_date, status=Ticket.Status.WAITING
        )
        .filter(before)
        .count()
    )


def serving_window_count(queue: ServiceQueue) -> int:
    return queue.windows.filter(is_active=True).count()


def estimated_wait_minutes(queue: ServiceQueue, ahead: int) -> int:
    """预计等候 = people ahead × the queue's average service minutes ÷ active windows serving
    the queue (at least one), rounded up to whole minutes."""
    windows = max(1, serving_window_count(queue))
    return math.ceil(ahead * queue.average_service_minutes / windows)


@dataclass(frozen=True)
class TicketProgress:
    """What the person holding a ticket sees (no personal data)."""

    ticket: Ticket
    ahead: int
    wait_minutes: int
    window_number: str = ""
    transferred_from: str = ""

    @property
    def is_today(self) -> bool:
        return self.ticket.service_date == timezone.localdate()

    @property
    def is_open(self) -> bool:
        return self.is_today and self.ticket.status in OPEN_STATUSES

    @property
    def is_expired(self) -> bool:
        """Still open, but of a past day: numbers are valid on their day only."""
        return not self.is_today and self.ticket.status in OPEN_STATUSES


PROGRESS_COUNTS = """
  (SELECT COUNT(*) FROM {tickets} t
   WHERE t.queue_id = %s AND t.service_date = %s AND t.status = '{waiting}'
     AND ((t.priority = %s AND (t.issued_at < %s OR (t.issued_at = %s AND t.id < {own_id})))
          OR (%s AND t.priority = %s))) AS ahead,
  (SELECT COUNT(*) FROM {links} l JOIN {windows} w ON w.id = l.window_id
   WHERE l.servicequeue_id = %s AND w.is_active = %s) AS windows"""


def progress_counts_sql(own_id: str = "%s") -> str:
    """`people_ahead` and `serving_window_count` of a waiting ticket as two columns of a SELECT;
    `own_id` is the SQL of the ticket's id (a parameter, or the id an issuing CTE returns)."""
    return PROGRESS_COUNTS.format(
        tickets=Ticket._meta.db_table,
        links=ServiceQueue.windows.through._meta.db_table,
        windows=Window._meta.db_table,
        own_id=own_id,
        waiting=Ticket.Status.WAITING.value,
    )


def progress_counts_params(ticket: Ticket, *, own_id: bool = True) -> list:
    ops = connection.ops
    issued_at = ops.adapt_datetimefield_value(ticket.issued_at)
    return [
        ticket.queue_id, ops.adapt_datefield_value(ticket.service_date),
        ticket.priority, issued_at, issued_at, *([ticket.pk] if own_id else []),
        not ticket.priority, True,
        ticket.queue_id, True,
    ]  # fmt: skip


def _ahead_and_windows(ticket: Ticket) -> tuple[int, int]:
    """`people_ahead` and `serving_window_count` of a waiting ticket in one statement, or as
    counted by the statement that issued it (`counted_at_issue`, PostgreSQL), used once: for
    the answer to the issue, later readings count again."""
    counted = ticket.__dict__.pop("counted_at_issue", None)
    if counted is not None:
        return counted
    sql = f"SELECT {progress_counts_sql()}"
    params = progress_counts_params(ticket)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        ahead, windows = cursor.fetchone()
    return ahead, windows


def ticket_progress(ticket: Ticket, *, transferred_from: str = "") -> TicketProgress:
    if ticket.status == Ticket.Status.WAITING:
        ahead, windows = _ahead_and_windows(ticket)
        wait = math.ceil(ahead * ticket.queue.average_service_minutes / max(1, windows))
    else:
        ahead, wait = 0, 0
    return TicketProgress(
        ticket=ticket,
        ahead=ahead,
        wait_minutes=wait,
        window_number=ticket.window.number if ticket.window_id else "",
        transferred_from=transferred_from,
    )


def public_ticket(token: str | uuid.UUID) -> TicketProgress | None:
    """The ticket behind a QR code; after a transfer, the number it was transferred to."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return None
    related = ("queue", "queue__center", "window")
    ticket = Ticket.objects.select_related(*related).filter(public_token=token).first()
    if ticket is None:
        return None
    first = ticket
    while ticket.status == Ticket.Status.TRANSFERRED:
        following = Ticket.objects.select_related(*related).filter(transferred_from=ticket).first()
        if following is None:
            break
        ticket = following
    return ticket_progress(ticket, transferred_from=first.number if ticket != first else "")


# -- kiosk and lobby ---------------------------------------------------------------------------


def waiting_counts(center: Center, day: dt.date | None = None) -> dict[int, int]:
    day = day or timezone.localdate()
    rows = (
        Ticket.objects.filter(queue__center=center, service_date=day, status=Ticket.Status.WAITING)
        .values("queue_id")
        .annotate(n=Count("id"))
    )
    return {r["queue_id"]: r["n"] for r in rows}


@dataclass(frozen=True)
class QueueCount:
    queue: ServiceQueue
    waiting: int
    serving: int = 0
    done: int = 0


def kiosk_queues(center: Center) -> list[QueueCount]:
    counts = waiting_counts(center)
    queues = ServiceQueue.objects.filter(center=center, is_active=True).order_by("prefix")
    return [QueueCount(q, counts.get(q.pk, 0)) for q in queues]


def kiosk_matters(center: Center) -> list[tuple[str, list[tuple[Matter, ServiceQueue]]]]:
    """按事项取号: the active matters of the center's active queues, by department."""
    pairs = (
        ServiceQueue.matters.through.objects.filter(
            servicequeue__center=center, servicequeue__is_active=True, matter__is_active=True
        )
        .select_related("matter", "matter__department", "servicequeue")
        .order_by("matter__department__code", "matter__code", "servicequeue__prefix")
    )
    groups: dict[str, list[tuple[Matter, ServiceQueue]]] = {}
    seen: set[int] = set()
    for pair in pairs:
        if pair.matter_id in seen:
            continue
        seen.add(pair.matter_id)
        groups.setdefault(pair.matter.department.name, []).append((pair.matter, pair.servicequeue))
    return list(groups.items())


def today_counts(center: Center) -> list[QueueCount]:
    """Today's waiting / being served / done per queue (for dashboards and the lobby)."""
    today = timezone.localdate()
    rows = (
        Ticket.objects.filter(queue__center=center, service_date=today)
        .values("queue_id")
        .annotate(
            waiting=Count("id", filter=Q(status=Ticket.Status.WAITING)),
            serving=Count("id", filter=Q(status__in=CURRENT)),
            done=Count("id", filter=Q(status=Ticket.Status.DONE)),
        )
    )
    by_queue = {r["queue_id"]: r for r in rows}
    empty = {"waiting": 0, "serving": 0, "done": 0}
    return [
        QueueCount(q, **{k: by_queue.get(q.pk, empty)[k] for k in empty})
        for q in ServiceQueue.objects.filter(center=center).order_by("prefix")
    ]


def lobby_waiting(center: Center) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(
            queue__center=center,
            service_date=timezone.localdate(),
            status__in=(Ticket.Status.WAITING, Ticket.Status.PARKED),
        )
        .select_related("queue", "issued_by", "window")
        .order_by("-priority", "issued_at", "id")
    )


# -- the clerk's workstation -------------------------------------------------------------------


def desk_windows(staff: Staff) -> QuerySet[Window]:
    """Windows a clerk may sign in to (see `permissions.windows_posted_to`)."""
    return permissions.windows_posted_to(staff).order_by("center__kind", "number")


def signed_in_window(staff: Staff) -> Window | None:
    """The window the clerk is signed in to now, if any."""
    sign_in = (
        WindowSignIn.objects.filter(staff=staff, signed_out_at__isnull=True)
        .select_related("window__center")
        .first()
    )
    return sign_in.window if sign_in else None


def window_sign_ins(center) -> list[WindowSignIn]:
    """Who is signed in at which window of a center now (the lobby manager's list)."""
    return list(
        WindowSignIn.objects.filter(window__center=center, signed_out_at__isnull=True)
        .select_related("window", "staff")
        .order_by("window__number")
    )


@dataclass
class DeskState:
    window: Window
    current: Ticket | None
    parked: list[Ticket]
    queues: list[QueueCount]
    rules: HallSettings
    transfer_targets: list[ServiceQueue] = field(default_factory=list)

    @property
    def waiting_total(self) -> int:
        return sum(q.waiting for q in self.queues)

    def _current_is(self, status: str) -> bool:
        return self.current is not None and self.current.status == status

    @property
    def can_call(self) -> bool:
        return self.current is None

    @property
    def can_recall(self) -> bool:
        return self._current_is(Ticket.Status.CALLED)

    can_start = can_recall

    @property
    def can_finish(self) -> bool:
        return self._current_is(Ticket.Status.SERVING)

    can_park = can_finish

    @property
    def can_transfer(self) -> bool:
        return self.current is not None and bool(self.transfer_targets)

    @property
    def can_no_show(self) -> bool:
        return self.can_recall and self.current.recall_count >= self.rules.max_recalls


def desk_state(window: Window) -> DeskState:
    today = timezone.localdate()
    mine = Ticket.objects.filter(window=window, service_date=today).select_related(
        "queue", "matter"
    )
    queues = list(window.queues.order_by("prefix"))
    counts = waiting_counts(window.center, today)
    return DeskState(
        window=window,
        current=mine.filter(status__in=CURRENT).first(),
        parked=list(mine.filter(status=Ticket.Status.PARKED).order_by("issued_at")),
        queues=[QueueCount(q, counts.get(q.pk, 0)) for q in queues],
        rules=settings_for(window.center),
        transfer_targets=list(
            ServiceQueue.objects.filter(center_id=window.center_id, is_active=True).order_by(
                "prefix"
            )
        ),
    )


# -- the display board -------------------------------------------------------------------------


def call_sentence(number: str, window_number: str) -> str:
    """The voice call: 请 A012 号到 5 号窗口办理."""
    return f"请 {number} 号到 {window_number} 号窗口办理"


@dataclass(frozen=True)
class BoardCall:
    event_id: int
    number: str
    window_number: str
    queue_name: str
    at: dt.datetime
    recalled: bool = False

    @property
    def sentence(self) -> str:
        return call_sentence(self.number, self.window_number)


@dataclass
class BoardState:
    center: Center
    current: list[Ticket]
    recent: list[BoardCall]
    queues: list[QueueCount]

    @property
    def announce(self) -> BoardCall | None:
        """The newest call or recall: the board speaks it once."""
        return self.recent[0] if self.recent else None


def board_state(center: Center) -> BoardState:
    today = timezone.localdate()
    current = (
        Ticket.objects.filter(queue__center=center, service_date=today, status__in=CURRENT)
        .select_related("window", "queue")
        .order_by("window__number")
    )
    events = (
        TicketEvent.objects.filter(
            ticket__queue__center=center,
            ticket__service_date=today,
            kind__in=CALL_EVENTS,
            window__isnull=False,
            at__gte=timezone.make_aware(dt.datetime.combine(today, dt.time.min)),  # one month
        )
        .select_related("ticket", "ticket__queue", "window")
        .order_by("-at", "-id")[: RECENT_CALLS * 4]
    )
    return BoardState(
        center=center,
        current=list(current),
        recent=_latest_per_ticket(events),
        queues=kiosk_queues(center),
    )


def _latest_per_ticket(events) -> list[BoardCall]:
    """最近叫号: each number once, at its latest call; a recall moves it up (marked 重呼)
    instead of repeating it."""
    calls: dict[int, BoardCall] = {}
    for e in events:
        if e.ticket_id in calls:
            continue
        calls[e.ticket_id] = BoardCall(
            event_id=e.pk,
            number=e.ticket.number,
            window_number=e.window.number,
            queue_name=e.ticket.queue.name,
            at=e.at,
            recalled=e.kind == TicketEvent.Kind.RECALLED,
        )
        if len(calls) == RECENT_CALLS:
            break
    return list(calls.values())


# -- appointments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenSlot:
    slot: AppointmentSlot
    booked: int

    @property
    def remaining(self) -> int:
        return max(0, self.slot.capacity - self.booked)


def bookable_slots(queue: ServiceQueue, day: dt.date) -> list[OpenSlot]:
    """Slots of the queue on `day` that have not started yet, with their remaining places."""
    now = timezone.localtime()
    slots = (
        AppointmentSlot.objects.filter(queue=queue, date=day)
        .annotate(booked=Count("appointments", filter=Q(appointments__status__in=BOOKED_STATUSES)))
        .order_by("start")
    )
    return [
        OpenSlot(s, s.booked)
        for s in slots
        if day > now.date() or (day == now.date() and s.start > now.time())
    ]


def booking_days(queue: ServiceQueue, days: int = 14) -> list[dt.date]:
    today = timezone.localdate()
    return list(
        AppointmentSlot.objects.filter(
            queue=queue, date__gte=today, date__lte=today + dt.timedelta(days=days)
        )
        .order_by("date")
        .values_list("date", flat=True)
        .distinct()
    )
