"""Reads of cases: who sees which cases, the case list, and the figures (办件统计).

The figures read only the daily summary (DailyCaseStats), so their cost follows the number of
days × windows × matters in the period, not the number of cases.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from chuangkou.core.errors import DomainError
from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Center, Department, Window
from chuangkou.org.selectors import departments_headed_by

from .filters import CaseFilter
from .models import Case, DailyCaseStats, ImportJob
from .workdays import is_working_day, working_days_between

MAX_PERIOD_DAYS = 3660
COUNTS = ("accepted", "rejected", "completed", "one_trip", "overdue")


def cases_visible_to(user) -> QuerySet[Case]:
    """受理件 a user may see: all for the center admin, their departments' for a department
    head, the cases they accepted for a clerk (a user with several roles sees the union)."""
    qs = Case.objects.select_related("matter", "department", "center", "window", "clerk")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_role(user, Role.CENTER_ADMIN):
        return qs
    visible = Q(pk__in=[])
    if has_role(user, Role.DEPT_HEAD):
        visible |= Q(department__in=departments_headed_by(user))
    if has_role(user, Role.CLERK):
        visible |= Q(clerk__user=user)
    return qs.filter(visible)


def case_list(*, user, filters: CaseFilter) -> QuerySet[Case]:
    return filters.filter(cases_visible_to(user)).order_by("-accepted_at", "-id")


def case_history(case: Case):
    return case.events.select_related("actor").order_by("at", "id")


def case_visits(case: Case):
    return case.visit_records.select_related("ticket").order_by("visited_at", "id")


def departments_visible_to(user) -> QuerySet[Department]:
    """Departments whose cases and figures a user may see (the department filter)."""
    if has_role(user, Role.CENTER_ADMIN):
        return Department.objects.order_by("code")
    if has_role(user, Role.DEPT_HEAD):
        return departments_headed_by(user).order_by("code")
    return Department.objects.none()


def windows_for_filter(user) -> QuerySet[Window]:
    qs = Window.objects.select_related("center").order_by("center__kind", "center__name", "number")
    if has_role(user, Role.CENTER_ADMIN):
        return qs
    return qs.filter(department__in=departments_visible_to(user))


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    if has_role(user, Role.CENTER_ADMIN):
        return ImportJob.objects.select_related("created_by")
    return ImportJob.objects.none()


# --- figures ---------------------------------------------------------------------------------


def year_earlier(day: dt.date) -> dt.date:
    """The same day a year before (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _ratio(numerator: int, denominator: int, scale: int = 1, places: str = "0.1") -> Decimal | None:
    if not denominator:
        return None
    value = Decimal(numerator * scale) / Decimal(denominator)
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def previous(self) -> "Period":
        """The same period a year earlier (同期)."""
        return Period(year_earlier(self.start), year_earlier(self.end))

    @property
    def working_days(self) -> int:
        return working_days_between(self.start, self.end)


def check_period(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise DomainError("统计期间不能超过 10 年。", field="start")
    return Period(start, end)


def year_on_year_ratio(current: int, previous: int) -> Decimal | None:
    """同比 (倍): current ÷ previous, two decimals, so that a small change stays visible."""
    return _ratio(current, previous, places="0.01")


def year_on_year_change(current: int, previous: int) -> Decimal | None:
    """同比增减 (%): (current − previous) ÷ previous × 100, one decimal (−0.5 for 995 vs 1000)."""
    return _ratio(current - previous, previous, 100)


@dataclass(frozen=True)
class Counts:
    """受理、不予受理、办结、最多跑一次办结、超期办结 of some slice of the summary.

    `accepted` leaves out 不予受理 (行政许可法 art. 32), which `rejected` counts."""

    accepted: int = 0
    rejected: int = 0
    completed: int = 0
    one_trip: int = 0
    overdue: int = 0

    @property
    def one_trip_rate(self) -> Decimal | None:
        """最多跑一次实现率 (%) = 最多跑一次的办结件 ÷ 办结件."""
        return _ratio(self.one_trip, self.completed, 100)

    @property
    def overdue_rate(self) -> Decimal | None:
        """超期率 (%) = 超期办结件 ÷ 办结件."""
        return _ratio(self.overdue, self.completed, 100)


def _counts(row: dict) -> Counts:
    return Counts(**{name: row.get(name) or 0 for name in COUNTS})


@dataclass(frozen=True)
class DepartmentFigures:
    department_id: int
    name: str
    counts: Counts
    previous_accepted: int

    @property
    def year_on_year(self) -> Decimal | None:
        return year_on_year_ratio(self.counts.accepted, self.previous_accepted)

    @property
    def year_on_year_change(self) -> Decimal | None:
        return year_on_year_change(self.counts.accepted, self.previous_accepted)


@dataclass(frozen=True)
class WindowRank:
    rank: int
    window_id: int
    number: str
    name: str
    center: str
    department: str
    accepted: int
    daily_average: Decimal  # two decimals: small windows must not all tie at 0.1

    @property
    def label(self) -> str:
        """A02 不动产登记综合窗口, with the street for a sub-center's window."""
        short = self.center.replace("便民服务中心", "").replace("行政服务中心", "")
        prefix = "" if self.center.endswith("行政服务中心") else f"{short} "
        return f"{prefix}{self.number} {self.name}"


@dataclass(frozen=True)
class CaseFigures:
    """办件统计 of one period and filter."""

    period: Period
    working_days: int
    counts: Counts
    previous_accepted: int
    daily: list[tuple[dt.date, int]] = field(default_factory=list)
    departments: list[DepartmentFigures] = field(default_factory=list)
    windows: list[WindowRank] = field(default_factory=list)
    open_overdue: int = 0  # accepted in the period, still open and past the due date

    @property
    def year_on_year(self) -> Decimal | None:
        """同比: accepted in this period ÷ accepted in the same period a year earlier (倍, two
        decimals); 不予受理 is in neither."""
        return year_on_year_ratio(self.counts.accepted, self.previous_accepted)

    @property
    def year_on_year_change(self) -> Decimal | None:
        """同比增减 (%), one decimal."""
        return year_on_year_change(self.counts.accepted, self.previous_accepted)

    @property
    def daily_average(self) -> Decimal | None:
        """日均受理量 = accepted ÷ working days in the period."""
        return _ratio(self.counts.accepted, self.working_days)


def _summary(user, period: Period, department_id, center_id, matter_id) -> QuerySet:
    qs = DailyCaseStats.objects.filter(date__range=(period.start, period.end))
    if not has_role(user, Role.CENTER_ADMIN):
        qs = qs.filter(department__in=departments_visible_to(user))
    if department_id:
        qs = qs.filter(department_id=department_id)
    if center_id:
        qs = qs.filter(center_id=center_id)
    if matter_id:
        qs = qs.filter(matter_id=matter_id)
    return qs


def _sums():
    return {name: Sum(name) for name in COUNTS}


def _daily(summary: QuerySet, period: Period) -> list[tuple[dt.date, int]]:
    """Accepted per day: every working day of the period, and any other day with cases."""
    by_day = dict(
        summary.values("date").annotate(n=Sum("accepted")).order_by().values_list("date", "n")
    )
    days, day = [], period.start
    while day <= period.end:
        if by_day.get(day) or is_working_day(day):
            days.append((day, by_day.get(day) or 0))
        day += dt.timedelta(days=1)
    return days


def _departments(summary: QuerySet, previous: QuerySet) -> list[DepartmentFigures]:
    before = dict(
        previous.values("department_id")
        .annotate(n=Sum("accepted"))
        .order_by()
        .values_list("department_id", "n")
    )
    rows = {
        r["department_id"]: r
        for r in summary.values("department_id").annotate(**_sums()).order_by()
    }
    names = dict(Department.objects.values_list("pk", "name"))
    result = [
        DepartmentFigures(
            department_id=pk,
            name=names.get(pk, ""),
            counts=_counts(rows.get(pk, {})),
            previous_accepted=before.get(pk) or 0,
        )
        for pk in rows.keys() | before.keys()
    ]
    return sorted(result, key=lambda d: (-d.counts.accepted, d.name))


def window_ranking(summary: QuerySet, working_days: int) -> list[WindowRank]:
    """窗口日均受理量排名: accepted ÷ working days in the period (法定工作日，含调休上班日).

    The divisor is the same for every window: the working days of the period on China's
    official calendar, whether or not the window took cases that day. Online cases (no window)
    and 不予受理 (not in `accepted`) are left out. Ties keep the window number order.
    """
    totals = (
        summary.filter(window__isnull=False)
        .values("window_id")
        .annotate(n=Sum("accepted"))
        .order_by()
        .values_list("window_id", "n")
    )
    totals = [(pk, n) for pk, n in totals if n]
    windows = Window.objects.select_related("center", "department").in_bulk(
        [pk for pk, _ in totals]
    )
    ordered = sorted(totals, key=lambda t: (-t[1], windows[t[0]].center.name, windows[t[0]].number))
    return [
        WindowRank(
            rank=i,
            window_id=pk,
            number=windows[pk].number,
            name=windows[pk].name,
            center=windows[pk].center.name,
            department=windows[pk].department.name,
            accepted=n,
            daily_average=_ratio(n, working_days, places="0.01") or Decimal("0.00"),
        )
        for i, (pk, n) in enumerate(ordered, start=1)
    ]


def _open_overdue(user, period: Period, department_id, center_id, matter_id) -> int:
    """受理件 accepted in the period, still open, with the due date passed (live count)."""
    qs = cases_visible_to(user).filter(
        accepted_date__range=(period.start, period.end),
        status__in=Case.OPEN_STATUSES,
        due_date__lt=timezone.localdate(),
    )
    filters = {"department_id": department_id, "center_id": center_id, "matter_id": matter_id}
    return qs.filter(**{k: v for k, v in filters.items() if v}).count()


def case_figures(
    *,
    user,
    start: dt.date,
    end: dt.date,
    department_id: int | None = None,
    center_id: int | None = None,
    matter_id: int | None = None,
) -> CaseFigures:
    """受理量、日均、各部门、窗口排名、同比、最多跑一次实现率、超期率 for [start, end]."""
    period = check_period(start, end)
    summary = _summary(user, period, department_id, center_id, matter_id)
    previous = _summary(user, period.previous, department_id, center_id, matter_id)
    working_days = period.working_days
    departments = _departments(summary, previous)
    totals = {name: sum(getattr(d.counts, name) for d in departments) for name in COUNTS}
    return CaseFigures(
        period=period,
        working_days=working_days,
        counts=_counts(totals),
        previous_accepted=sum(d.previous_accepted for d in departments),
        daily=_daily(summary, period),
        departments=departments,
        windows=window_ranking(summary, working_days),
        open_overdue=_open_overdue(user, period, department_id, center_id, matter_id),
    )


def centers_for_filter() -> QuerySet[Center]:
    return Center.objects.order_by("kind", "name")
