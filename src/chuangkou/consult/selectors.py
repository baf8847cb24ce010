"""Reads of 1call: what a user sees, the inbox with its service levels, the overview."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from chuangkou.core.params import date_param

from . import permissions, sla
from .models import Consultation, DutyShift, FaqEntry


def consultations_visible_to(user) -> QuerySet[Consultation]:
    """The center admin: all; an agent: their domains' consultations and those they hold."""
    rows = Consultation.objects.select_related("matter", "department", "agent", "center")
    if permissions.is_admin(user):
        return rows
    domains = permissions.rostered_domains(user)
    staff = permissions.staff_of(user)
    if domains is None:
        return rows.filter(agent=staff) if staff is not None else rows.none()
    ids = [d for d in domains if d is not None]
    return rows.filter(Q(department__isnull=True) | Q(department_id__in=ids) | Q(agent=staff))


@dataclass
class InboxRow:
    consultation: Consultation
    reply_left: int | None  # working minutes to the first-reply deadline (None once replied)
    resolve_left: int | None  # to the resolution deadline (None once closed)

    @property
    def soon(self) -> bool:
        left = [v for v in (self.reply_left, self.resolve_left) if v is not None]
        return any(0 <= v <= sla.SOON_MINUTES for v in left)

    @property
    def breached(self) -> bool:
        left = [v for v in (self.reply_left, self.resolve_left) if v is not None]
        return any(v < 0 for v in left)


INBOX_LIMIT = 300


def inbox(user, *, status: str = "open", now: dt.datetime | None = None) -> list[InboxRow]:
    """待办: open consultations (waiting, or held by anyone; mine first), most urgent first."""
    now = now or timezone.now()
    rows = consultations_visible_to(user)
    if status == "open":
        rows = rows.exclude(status=Consultation.Status.CLOSED)
    elif status in Consultation.Status.values:
        rows = rows.filter(status=status)
    result = []
    for c in rows.order_by("first_reply_due", "id")[:INBOX_LIMIT]:
        result.append(inbox_row(c, now))
    result.sort(key=lambda r: (not r.breached, not r.soon))
    return result


def inbox_row(c: Consultation, now: dt.datetime | None = None) -> InboxRow:
    now = now or timezone.now()
    reply_left = None if c.first_reply_at else sla.minutes_left(c.first_reply_due, now)
    resolve_left = None if c.closed_at else sla.minutes_left(c.resolve_due, now)
    return InboxRow(c, reply_left, resolve_left)


def thread(consultation: Consultation):
    return consultation.messages.select_related("staff").order_by("created_at", "id")


def roster(start: dt.date, end: dt.date) -> QuerySet[DutyShift]:
    return DutyShift.objects.filter(date__range=(start, end)).select_related("staff", "department")


def on_duty_now(now: dt.datetime | None = None) -> QuerySet[DutyShift]:
    local = timezone.localtime(now or timezone.now())
    shift = DutyShift.Shift.AM if local.hour < 12 else DutyShift.Shift.PM
    return roster(local.date(), local.date()).filter(shift=shift)


def public_faq(matter=None) -> QuerySet[FaqEntry]:
    rows = FaqEntry.objects.filter(is_published=True).select_related("matter")
    return rows.filter(matter=matter) if matter is not None else rows


@dataclass
class Overview:
    start: dt.date
    end: dt.date
    volume: int = 0
    closed: int = 0
    waiting: int = 0
    avg_first_reply_minutes: float | None = None
    avg_resolve_minutes: float | None = None
    first_reply_breaches: int = 0
    resolve_breaches: int = 0
    ratings: dict = field(default_factory=dict)
    satisfaction: float | None = None
    top_matters: list = field(default_factory=list)
    by_domain: list = field(default_factory=list)


def overview_period(params) -> tuple[dt.date, dt.date]:
    """The period of 1call 运行情况 and its export from the query (`start`, `end`): the last 30
    days by default, a year at most, the dates swapped when given the wrong way round."""
    end = date_param(params, "end") or timezone.localdate()
    start = date_param(params, "start") or end - dt.timedelta(days=29)
    if start > end:
        start, end = end, start
    return max(start, end - dt.timedelta(days=366)), end


def consultations_between(start: dt.date, end: dt.date) -> QuerySet[Consultation]:
    low, high = bounds(start, end)
    return (
        Consultation.objects.filter(created_at__gte=low, created_at__lt=high)
        .select_related("matter", "department", "agent", "evaluation")
        .order_by("created_at")
    )


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def overview(start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> Overview:
    """1call 运行情况 of the consultations asked from `start` to `end` (local days)."""
    now = now or timezone.now()
    low, high = bounds(start, end)
    rows = Consultation.objects.filter(created_at__gte=low, created_at__lt=high)
    result = Overview(start=start, end=end)
    first, resolve = [], []
    levels: Counter = Counter()
    fields = ("created_at", "first_reply_at", "closed_at", "first_reply_due", "resolve_due")
    for c in rows.select_related("evaluation").only(*fields, "status", "evaluation__level"):
        result.volume += 1
        if c.status == Consultation.Status.WAITING:
            result.waiting += 1
        if c.first_reply_at:
            first.append(sla.working_seconds(c.created_at, c.first_reply_at) / 60)
        if c.closed_at:
            result.closed += 1
            resolve.append(sla.working_seconds(c.created_at, c.closed_at) / 60)
        if (c.first_reply_at or now) > c.first_reply_due:
            result.first_reply_breaches += 1
        if (c.closed_at or now) > c.resolve_due:
            result.resolve_breaches += 1
        if c.evaluation_id:
            levels[c.evaluation.level] += 1
    result.avg_first_reply_minutes = round(sum(first) / len(first), 1) if first else None
    result.avg_resolve_minutes = round(sum(resolve) / len(resolve), 1) if resolve else None
    result.ratings = {level: levels.get(level, 0) for level in (5, 4, 3, 2, 1)}
    rated = sum(levels.values())
    if rated:
        result.satisfaction = round(100 * sum(levels[v] for v in (5, 4, 3)) / rated, 1)
    result.top_matters = list(
        rows.exclude(matter=None)
        .values("matter__code", "matter__name")
        .annotate(n=Count("id"))
        .order_by("-n", "matter__code")[:10]
    )
    result.by_domain = list(
        rows.values("department__name").annotate(n=Count("id")).order_by("-n")[:20]
    )
    return result
