"""Every read of 人文关怀, each starting from the user: a person's own leave and bookings, the
head's staffing view (who is away, nothing else), figures without names, talks for their holder
and the center admin."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Department, Staff
from chuangkou.org.selectors import departments_headed_by

from .models import Appointment, CareTalk, CounselingSlot, PsychLeave

MIN_GROUP = 5  # figures of a group smaller than this are shown as "<5"
SUPPRESSED = "<5"


def my_leaves(user) -> QuerySet[PsychLeave]:
    return PsychLeave.objects.filter(staff__user=user).order_by("-date")


def leave_this_month(user, today: dt.date) -> PsychLeave | None:
    return my_leaves(user).filter(month=today.replace(day=1)).first()


@dataclass(frozen=True)
class Away:
    date: dt.date
    name: str
    department: str
    window: str


def staffing(user, start: dt.date, end: dt.date) -> list[Away]:
    """人员在岗安排: who of the head's departments is away on a day (心理假), and nothing else."""
    leaves = (
        PsychLeave.objects.filter(
            staff__department__in=departments_headed_by(user), date__range=(start, end)
        )
        .select_related("staff__department", "staff__window")
        .order_by("date", "staff__name")
    )
    return [
        Away(
            date=leave.date,
            name=leave.staff.name,
            department=leave.staff.department.name,
            window=str(leave.staff.window.number) if leave.staff.window else "",
        )
        for leave in leaves
    ]


@dataclass(frozen=True)
class FigureRow:
    label: str
    headcount: int | str
    months: list[int | str]
    total: int | str


@dataclass(frozen=True)
class LeaveFigures:
    year: int
    rows: list[FigureRow]

    @property
    def month_labels(self) -> list[str]:
        return [f"{m} 月" for m in range(1, 13)]


def _counts_by_department(year: int) -> dict[int, list[int]]:
    counts: dict[int, list[int]] = {}
    rows = (
        PsychLeave.objects.filter(date__year=year)
        .annotate(m=ExtractMonth("date"))
        .values("staff__department_id", "m")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault(row["staff__department_id"], [0] * 12)[row["m"] - 1] += row["n"]
    return counts


def _row(label: str, headcount: int, months: list[int]) -> FigureRow:
    if headcount < MIN_GROUP:
        return FigureRow(label, SUPPRESSED, [SUPPRESSED] * 12, SUPPRESSED)
    return FigureRow(label, headcount, months, sum(months))


def leave_figures(year: int) -> LeaveFigures:
    """心理假 days taken per month and department, no names. A department of fewer than 5 people
    is folded into one row of the small departments, itself shown as "<5" when that group is
    smaller than 5, so no one can be singled out (also not by subtracting from a total)."""
    counts = _counts_by_department(year)
    heads = dict(
        Staff.objects.filter(status=Staff.Status.ACTIVE)
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    rows, small_heads, small_months = [], 0, [0] * 12
    for department in Department.objects.order_by("code", "pk"):
        months, headcount = counts.get(department.pk, [0] * 12), heads.get(department.pk, 0)
        if headcount >= MIN_GROUP:
            rows.append(_row(department.name, headcount, months))
        elif headcount or any(months):
            small_heads += headcount
            small_months = [a + b for a, b in zip(small_months, months, strict=True)]
    if small_heads or any(small_months):
        rows.append(_row("人数不足 5 人的部门（合并）", small_heads, small_months))
    return LeaveFigures(year=year, rows=rows)


# 心理咨询 ---------------------------------------------------------------------------------------


def _active_booking():
    return Appointment.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True)


def open_slots(user) -> QuerySet[CounselingSlot]:
    """Slots a staff member may book: to come, not withdrawn, not booked."""
    return (
        CounselingSlot.objects.filter(starts_at__gt=timezone.now(), withdrawn=False)
        .exclude(counselor=user)
        .annotate(booked=Exists(_active_booking()))
        .filter(booked=False)
        .select_related("counselor")
        .order_by("starts_at")
    )


def my_appointments(user) -> QuerySet[Appointment]:
    """The bookings the user made (as the client)."""
    return (
        Appointment.objects.filter(client=user)
        .select_related("slot__counselor")
        .order_by("-slot__starts_at")
    )


def counselor_slots(user) -> QuerySet[CounselingSlot]:
    """The counselor's own slots with whether each is booked."""
    return (
        CounselingSlot.objects.filter(counselor=user, withdrawn=False)
        .annotate(booked=Exists(_active_booking()))
        .order_by("-starts_at")
    )


def counselor_appointments(user) -> QuerySet[Appointment]:
    """预约 at the counselor's own slots (only the counselor sees who booked)."""
    return (
        Appointment.objects.filter(slot__counselor=user)
        .select_related("slot", "client__staff__department")
        .order_by("-slot__starts_at")
    )


def appointments_visible_to(user) -> QuerySet[Appointment]:
    return Appointment.objects.filter(Q(client=user) | Q(slot__counselor=user)).select_related(
        "slot__counselor", "client"
    )


def counseling_figures(year: int) -> list[int]:
    """Sessions held per month (not cancelled), no names: the admin's count of use."""
    months = [0] * 12
    rows = (
        Appointment.objects.filter(cancelled_at__isnull=True, slot__starts_at__year=year)
        .annotate(m=ExtractMonth("slot__starts_at"))
        .values("m")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        months[row["m"] - 1] = row["n"]
    return months


# 约谈 -------------------------------------------------------------------------------------------


def talks_visible_to(user) -> QuerySet[CareTalk]:
    """约谈记录: all for the center admin; otherwise only the talks the user held."""
    qs = CareTalk.objects.select_related("staff__department", "held_by")
    if has_role(user, Role.CENTER_ADMIN):
        return qs
    return qs.filter(held_by=user) if getattr(user, "is_authenticated", False) else qs.none()


def talk_list(user, filters) -> QuerySet[CareTalk]:
    return filters.filter(talks_visible_to(user))


def staff_for_talks(user) -> QuerySet[Staff]:
    qs = Staff.objects.filter(status=Staff.Status.ACTIVE).select_related("department")
    if has_role(user, Role.CENTER_ADMIN):
        return qs.order_by("department__code", "name")
    return qs.filter(department__in=departments_headed_by(user)).order_by("name")
