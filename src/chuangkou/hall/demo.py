"""The hall part of the demo: the main center's queues (A 不动产登记 … F 综合通办) on the
windows of their departments, one 便民服务 queue per sub-center, today's tickets in every state
(so that the board and the workstation look alive), three weeks of history with their events
(so that the figures pages show numbers) and a few appointments.

The day is simulated: people arrive (more in the morning), the staffed windows of a queue
call them in turn, most are served, a few do not come (过号) or give up (取消). Every draw comes
from `random.Random(SEED)`, so the rows depend only on the date of loading. Rows are
bulk-inserted (system data, not user actions); one audit entry summarises the load.
"""

import datetime as dt
import functools
import math
import random
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangkou.catalog.models import Matter
from chuangkou.core import audit
from chuangkou.core.calendar import is_working_day
from chuangkou.org.models import Center, Staff, Window

from . import summary
from .models import (
    Appointment,
    AppointmentSlot,
    HallSettings,
    QueueCounter,
    ServiceQueue,
    Ticket,
    TicketEvent,
)
from .services.tickets import format_number

SEED = 2018
HISTORY_WORKING_DAYS = 16
OPENS = dt.time(8, 30)
LUNCH = (210, 300)  # minutes after opening: 12:00–13:30
CLOSES = 510  # 17:00
TODAY_CUT = 100  # today's simulation stops 100 minutes after opening (10:10)
TODAY_RUSH = 2.2  # today is a busy day: the queues are long
JUST_ARRIVED = 4
OPEN_MINUTES = CLOSES - (LUNCH[1] - LUNCH[0])


@dataclass(frozen=True)
class QueueSpec:
    prefix: str
    name: str
    departments: tuple[str, ...]
    minutes: int
    daily: int  # tickets on an ordinary day
    also_served_by: tuple[str, ...] = ()  # 通办: windows of these queues serve this one too


MAIN_QUEUES = [
    QueueSpec("A", "不动产登记", ("不动产登记", "住建"), 12, 42),
    QueueSpec("B", "公安交警", ("公安交警", "公安户籍出入境"), 9, 38),
    QueueSpec("C", "人力社保/医保", ("人力社保", "医保"), 8, 34),
    QueueSpec("D", "市场监管/税务（综合）", ("市场监管", "税务", "卫健", "城管"), 10, 30),
    QueueSpec("E", "公积金", ("公积金",), 9, 20),
    QueueSpec("F", "综合通办", ("民政", "残联"), 10, 16, also_served_by=("C",)),
]
GREEN_REASONS = ["elderly", "elderly", "disabled", "pregnant"]


@dataclass
class Planned:
    """One simulated ticket: times in minutes after opening."""

    queue: ServiceQueue
    day: dt.date
    arrive: float
    channel: str = Ticket.Channel.KIOSK
    priority_reason: str = ""
    matter: Matter | None = None
    status: str = Ticket.Status.WAITING
    window: Window | None = None
    call: float | None = None
    start: float | None = None
    end: float | None = None
    recalls: list[float] = field(default_factory=list)
    cancel: float | None = None
    phone: str = ""


@functools.cache
def _opening(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, OPENS))


def _aware(day: dt.date, minutes: float) -> dt.datetime:
    return _opening(day) + dt.timedelta(seconds=round(minutes * 60))


def _arrivals(rng: random.Random, count: int, until: float | None) -> list[float]:
    """Arrival minutes: 60 % in the morning; all before `until` when the day is cut short,
    with a few who have just come in (still waiting at `until`)."""
    if until is not None:
        just_in = [rng.uniform(until - 12, until) for _ in range(JUST_ARRIVED)]
        return sorted([rng.uniform(0, until) for _ in range(count)] + just_in)
    morning, afternoon = (0, LUNCH[0]), (LUNCH[1], CLOSES - 30)
    return sorted(
        rng.uniform(*(morning if rng.random() < 0.6 else afternoon)) for _ in range(count)
    )


def _staffed(windows: list[Window], spec: QueueSpec, count: int) -> list[Window]:
    needed = math.ceil(count * spec.minutes / (OPEN_MINUTES * 0.8))
    return windows[: max(1, min(len(windows), needed))]


def _simulate(rng, plans: list[Planned], windows: list[Window], minutes: int, cut: float | None):
    """Serve the planned tickets at the windows in arrival order; stop the clock at `cut`."""
    free = {w.pk: 0.0 for w in windows}
    for p in plans:
        if rng.random() < 0.02:
            p.cancel = p.arrive + rng.uniform(5, 25)
            p.status = Ticket.Status.CANCELLED
            continue
        if not windows:
            continue
        window = min(windows, key=lambda w: (free[w.pk], w.number))
        call = max(p.arrive, free[window.pk]) + rng.uniform(0.1, 1.0)
        if LUNCH[0] <= call < LUNCH[1]:
            call = LUNCH[1] + rng.uniform(0, 3)
        if call >= CLOSES:
            p.cancel, p.status = float(CLOSES), Ticket.Status.CANCELLED
            continue
        p.window, p.call = window, call
        if rng.random() < 0.04:
            p.recalls = [call + 1, call + 2, call + 3]
            p.end, p.status = call + 3.5, Ticket.Status.NO_SHOW
        else:
            p.start = call + rng.uniform(0.5, 2)
            p.end = p.start + minutes * rng.lognormvariate(0, 0.45)
            p.status = Ticket.Status.DONE
        free[window.pk] = p.end + 0.3
    if cut is not None:
        for p in plans:
            _stop_clock(p, cut)


def _stop_clock(p: Planned, cut: float) -> None:
    """What a ticket looks like at minute `cut` of the day."""
    if p.cancel is not None:
        if p.cancel > cut:
            p.cancel, p.status = None, Ticket.Status.WAITING
        return
    if p.call is None or p.call >= cut:
        p.call = p.start = p.end = p.window = None
        p.recalls, p.status = [], Ticket.Status.WAITING
        return
    p.recalls = [r for r in p.recalls if r < cut]
    if p.end <= cut:
        return
    if p.start is not None and p.start <= cut:
        p.status, p.end = Ticket.Status.SERVING, None
    else:
        p.status, p.start, p.end = Ticket.Status.CALLED, None, None


def _plan_day(rng, day, specs, queues, windows_of, matters_of, lobby, cut=None, rush=1.0):
    plans: list[Planned] = []
    for spec in specs:
        queue = queues[spec.prefix]
        share = 1.0 if cut is None else cut / OPEN_MINUTES
        count = round(spec.daily * rush * share * rng.uniform(0.8, 1.2))
        arrivals = _arrivals(rng, count, cut)
        staffed = _staffed(windows_of[spec.prefix], spec, round(spec.daily * rng.uniform(0.9, 1.1)))
        day_plans = [Planned(queue, day, t) for t in arrivals]
        for p in day_plans:
            r = rng.random()
            if r < 0.06 and lobby is not None:
                p.channel, p.priority_reason = Ticket.Channel.LOBBY, rng.choice(GREEN_REASONS)
            elif r < 0.16:
                p.channel = Ticket.Channel.LOBBY
            elif r < 0.22:
                p.channel, p.priority_reason = Ticket.Channel.APPOINTMENT, "appointment"
                p.phone = f"13{rng.randint(5, 9)}{rng.randint(0, 99_999_999):08d}"
            if matters_of[spec.prefix] and rng.random() < 0.7:
                p.matter = rng.choice(matters_of[spec.prefix])
        _simulate(rng, day_plans, staffed, spec.minutes, cut)
        plans.extend(day_plans)
    return plans


def _ticket_rows(rng, plans: list[Planned], clerk_of: dict, lobby, shift: dt.timedelta):
    seqs: dict[tuple[int, dt.date], int] = {}
    tickets, events = [], []
    for p in sorted(plans, key=lambda p: (p.day, p.queue.prefix, p.arrive)):
        key = (p.queue.pk, p.day)
        seqs[key] = seqs.get(key, 0) + 1

        def at(minutes, p=p):
            return _aware(p.day, minutes) - shift if minutes is not None else None

        clerk = clerk_of.get(p.window.pk) if p.window else None
        served = round((p.end - p.start) * 60) if p.start is not None and p.end else 0
        finished = p.end if p.status in (Ticket.Status.DONE, Ticket.Status.NO_SHOW) else p.cancel
        tickets.append(
            Ticket(
                queue=p.queue,
                service_date=p.day,
                seq=seqs[key],
                number=format_number(p.queue.prefix, seqs[key]),
                matter=p.matter,
                status=p.status,
                channel=p.channel,
                priority=bool(p.priority_reason),
                priority_reason=p.priority_reason,
                issued_by=lobby if p.channel == Ticket.Channel.LOBBY else None,
                phone=p.phone,
                window=p.window,
                clerk=clerk,
                issued_at=at(p.arrive),
                called_at=at(p.call),
                started_at=at(p.start),
                finished_at=at(finished),
                recall_count=len(p.recalls),
                service_seconds=served,
                public_token=uuid.UUID(int=rng.getrandbits(128), version=4),
            )
        )
        actor = clerk.user if clerk is not None else None
        steps = [(TicketEvent.Kind.ISSUED, p.arrive, None, lobby if p.channel == "lobby" else None)]
        steps += [(TicketEvent.Kind.CALLED, p.call, p.window, actor)] if p.call is not None else []
        steps += [(TicketEvent.Kind.RECALLED, r, p.window, actor) for r in p.recalls]
        if p.start is not None:
            steps.append((TicketEvent.Kind.STARTED, p.start, p.window, actor))
        if p.status == Ticket.Status.DONE:
            steps.append((TicketEvent.Kind.FINISHED, p.end, p.window, actor))
        elif p.status == Ticket.Status.NO_SHOW:
            steps.append((TicketEvent.Kind.NO_SHOW, p.end, p.window, actor))
        elif p.status == Ticket.Status.CANCELLED:
            steps.append((TicketEvent.Kind.CANCELLED, p.cancel, None, lobby))
        events.append([(kind, at(m), w, a) for kind, m, w, a in steps])
    return tickets, events


def _past_working_days(today: dt.date, count: int) -> list[dt.date]:
    days, day = [], today
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            days.append(day)
    return sorted(days)


def _main_queues(main: Center) -> tuple[dict, dict, dict]:
    windows = list(Window.objects.filter(center=main, is_active=True).select_related("department"))
    queues, windows_of, matters_of = {}, {}, {}
    for spec in MAIN_QUEUES:
        queue = ServiceQueue.objects.create(
            center=main, prefix=spec.prefix, name=spec.name, average_service_minutes=spec.minutes
        )
        own = [w for w in windows if w.department.name in spec.departments]
        matters = list(Matter.objects.filter(department__name__in=spec.departments, is_active=True))
        queue.windows.set(own)
        queue.matters.set(matters)
        queues[spec.prefix], windows_of[spec.prefix], matters_of[spec.prefix] = queue, own, matters
    for spec in MAIN_QUEUES:
        for other in spec.also_served_by:  # 通办窗口 serve several queues
            queues[spec.prefix].windows.add(*windows_of[other])
    return queues, windows_of, matters_of


def _sub_center_queues() -> int:
    count = 0
    for center in Center.objects.filter(kind=Center.Kind.SUB):
        windows = list(Window.objects.filter(center=center, is_active=True))
        queue = ServiceQueue.objects.create(
            center=center, prefix="A", name="便民服务", average_service_minutes=10
        )
        queue.windows.set(windows)
        queue.matters.set(Matter.objects.filter(department__window__in=windows).distinct())
        count += 1
    return count


def _appointments(rng, queues: dict, today: dt.date) -> int:
    """Slots for today and the next working days of A and E; a few bookings."""
    days = [today] + [d for d in (today + dt.timedelta(days=i) for i in range(1, 10))][:7]
    days = [d for d in days if is_working_day(d) or d == today]
    slots = []
    for prefix in ("A", "E"):
        for day in days:
            for hour, minute in ((9, 0), (9, 30), (10, 0), (10, 30), (14, 0), (14, 30), (15, 0)):
                start = dt.time(hour, minute)
                end = dt.time(hour + (minute + 30) // 60, (minute + 30) % 60)
                slots.append(
                    AppointmentSlot(
                        queue=queues[prefix], date=day, start=start, end=end, capacity=4
                    )
                )
    slots = AppointmentSlot.objects.bulk_create(slots)
    booked = []
    now = timezone.now()
    for slot in rng.sample(slots, min(14, len(slots))):
        booked.append(
            Appointment(
                slot=slot,
                phone=f"13{rng.randint(5, 9)}{rng.randint(0, 99_999_999):08d}",
                code=f"{rng.randint(0, 999_999):06d}",
                booked_at=now - dt.timedelta(days=1),
                public_token=uuid.UUID(int=rng.getrandbits(128), version=4),
            )
        )
    Appointment.objects.bulk_create(booked)
    return len(booked)


def load() -> None:
    main = Center.objects.filter(kind=Center.Kind.MAIN).order_by("pk").first()
    if main is None:
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    HallSettings.objects.get_or_create(center=main)
    queues, windows_of, matters_of = _main_queues(main)
    sub_queues = _sub_center_queues()
    users = get_user_model().objects.filter(username__in=["lobby01", "clerk01", "clerk02"])
    users = {u.username: u for u in users}
    lobby = users.get("lobby01")
    clerk_of = {}
    for staff in Staff.objects.filter(center=main, window__isnull=False).select_related("user"):
        if staff.status != Staff.Status.LEFT and (
            staff.window_id not in clerk_of or staff.user_id is not None
        ):
            clerk_of[staff.window_id] = staff
    accounts = {u.pk for u in users.values()}
    demo_desks = {s.window_id for s in clerk_of.values() if s.user_id in accounts}

    plans = []
    for day in _past_working_days(today, HISTORY_WORKING_DAYS):
        plans += _plan_day(rng, day, MAIN_QUEUES, queues, windows_of, matters_of, lobby)
    history, history_events = _ticket_rows(rng, plans, clerk_of, lobby, dt.timedelta(0))

    # Today: the desks of clerk01/clerk02 are left free so that they can call the next one.
    free_today = {k: [w for w in v if w.pk not in demo_desks] for k, v in windows_of.items()}
    today_plans = _plan_day(
        rng, today, MAIN_QUEUES, queues, free_today, matters_of, lobby, TODAY_CUT, TODAY_RUSH
    )
    shift = max(
        dt.timedelta(0), _aware(today, TODAY_CUT) - timezone.now() + dt.timedelta(minutes=1)
    )
    current, current_events = _ticket_rows(rng, today_plans, clerk_of, lobby, shift)

    tickets = Ticket.objects.bulk_create(history + current)
    if any(t.pk is None for t in tickets):  # databases that return no ids from bulk inserts
        rows = Ticket.objects.values_list("pk", "queue", "service_date", "seq")
        ids = {(q, d, s): pk for pk, q, d, s in rows}
        for t in tickets:
            t.pk = ids[(t.queue_id, t.service_date, t.seq)]
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket_id=t.pk,
            kind=kind,
            at=at,
            window_id=window.pk if window else None,
            actor_id=actor.pk if actor else None,
        )
        for t, steps in zip(tickets, history_events + current_events, strict=True)
        for kind, at, window, actor in steps
    )
    last = {}
    for t in tickets:
        last[(t.queue_id, t.service_date)] = max(last.get((t.queue_id, t.service_date), 0), t.seq)
    QueueCounter.objects.bulk_create(
        QueueCounter(queue_id=q, service_date=d, last_seq=n) for (q, d), n in last.items()
    )
    appointments = _appointments(rng, queues, today)
    if history:  # the past days' 排队日汇总, so that the figures take the fast path
        summary.rebuild_range(start=min(t.service_date for t in history), end=today)
    audit.record(
        actor=None,
        action="demo.load",
        object_type="hall",
        after={
            "queues": len(queues) + sub_queues,
            "tickets": len(tickets),
            "today": len(current),
            "appointments": appointments,
        },
    )
