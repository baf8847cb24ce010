"""Reads of organisation and staff data: who may see what, and the staff figures."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from chuangkou.core.roles import Role, has_role

from .filters import StaffFilter
from .models import Department, Separation, Staff, on_exchange

WHOLE_CENTER_ROLES = (Role.CENTER_ADMIN, Role.SYSADMIN, Role.AUDITOR)


def staff_of(user) -> Staff | None:
    """The window staff record of an account, with its center, window and department; None
    without one, and None once the person has left (离职): an account still active after a
    separation acts as no staff at all (no desk, no acceptance, no consultation, no training).
    The one rule for every app (Staff.user is one-to-one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Staff.objects.select_related("center", "window", "department")
        .filter(user=user)
        .exclude(status=Staff.Status.LEFT)
        .first()
    )


def departments_headed_by(user) -> QuerySet[Department]:
    return Department.objects.filter(heads=user)


def staff_visible_to(user) -> QuerySet[Staff]:
    """窗口人员 a user may see: the whole center for its admins, a department for its heads,
    and otherwise only the user's own record."""
    qs = with_current_status(
        Staff.objects.select_related("department", "center", "window", "category")
    )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_role(user, *WHOLE_CENTER_ROLES):
        return qs
    visible = Q(user=user)
    if has_role(user, Role.DEPT_HEAD):
        visible |= Q(department__in=departments_headed_by(user))
    return qs.filter(visible)


def with_current_status(qs: QuerySet[Staff], day: dt.date | None = None) -> QuerySet[Staff]:
    """Annotate `on_exchange` so that `Staff.current_status` needs no query per row."""
    return qs.annotate(on_exchange=on_exchange(day or timezone.localdate()))


def in_staff_no_order(qs: QuerySet[Staff]) -> QuerySet[Staff]:
    """工号 as numbers: CK99999 before CK100000."""
    return qs.order_by(Length("staff_no"), "staff_no")


def staff_list(*, user, filters: StaffFilter) -> QuerySet[Staff]:
    return in_staff_no_order(filters.filter(staff_visible_to(user)))


def in_post_on(day: dt.date, qs: QuerySet[Staff] | None = None) -> QuerySet[Staff]:
    """Staff in post at the end of `day`: hired on or before it and not yet gone after it."""
    qs = Staff.objects.all() if qs is None else qs
    return qs.filter(hire_date__lte=day).filter(
        Q(separation__isnull=True) | Q(separation__date__gt=day)
    )


@dataclass(frozen=True)
class TurnoverReport:
    """流失率 of one period.

    rate = separations in [start, end] ÷ average headcount, where
    average headcount = (headcount at the end of the day before `start` + headcount at the end
    of `end`) ÷ 2, and a person is in post at the end of day d when hired on or before d and not
    separated on or before d.
    """

    start: dt.date
    end: dt.date
    opening: int
    closing: int
    separations: int
    by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def average_headcount(self) -> Decimal:
        return Decimal(self.opening + self.closing) / 2

    @property
    def rate(self) -> Decimal | None:
        """As a percentage with one decimal, e.g. Decimal('18.4'); None with nobody in post."""
        if not self.average_headcount:
            return None
        pct = Decimal(self.separations) * 100 / self.average_headcount
        return pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def narrowed(
    staff: QuerySet[Staff] | None = None,
    *,
    employment_type: str | None = None,
    department_id: int | None = None,
) -> QuerySet[Staff]:
    qs = Staff.objects.all() if staff is None else staff
    if employment_type:
        qs = qs.filter(employment_type=employment_type)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs


def turnover(
    *, start: dt.date, end: dt.date, staff: QuerySet[Staff] | None = None
) -> TurnoverReport:
    """流失率 for [start, end] over `staff` (default: everyone)."""
    if end < start:
        raise ValueError("end before start")
    qs = Staff.objects.all() if staff is None else staff
    gone = Separation.objects.filter(staff__in=qs, date__gte=start, date__lte=end)
    labels = dict(Separation.Reason.choices)
    by_reason = {
        labels[row["reason"]]: row["n"]
        for row in gone.values("reason").annotate(n=Count("id")).order_by("-n", "reason")
    }
    return TurnoverReport(
        start=start,
        end=end,
        opening=in_post_on(start - dt.timedelta(days=1), qs).count(),
        closing=in_post_on(end, qs).count(),
        separations=sum(by_reason.values()),
        by_reason=by_reason,
    )


def separations_in(*, start: dt.date, end: dt.date, staff: QuerySet[Staff] | None = None):
    qs = Separation.objects.select_related("staff", "staff__department")
    if staff is not None:
        qs = qs.filter(staff__in=staff)
    return qs.filter(date__gte=start, date__lte=end).order_by("date")


def yearly_turnover(
    *,
    years: list[int],
    today: dt.date | None = None,
    staff: QuerySet[Staff] | None = None,
    employment_type: str | None = None,
) -> list[TurnoverReport]:
    """流失率 per calendar year; the current year runs from 1 January to `today`."""
    today = today or timezone.localdate()
    return [
        turnover(
            start=dt.date(y, 1, 1),
            end=min(dt.date(y, 12, 31), today),
            staff=narrowed(staff, employment_type=employment_type),
        )
        for y in years
        if dt.date(y, 1, 1) <= today
    ]


def headcount_by(
    day: dt.date, by: str, staff: QuerySet[Staff] | None = None
) -> list[tuple[str, int]]:
    """Headcount in post on `day`, grouped by `employment_type` or `department`."""
    qs = in_post_on(day, staff)
    if by == "employment_type":
        labels = dict(Staff.EmploymentType.choices)
        rows = qs.values("employment_type").annotate(n=Count("id")).order_by("employment_type")
        return [(labels[r["employment_type"]], r["n"]) for r in rows]
    if by == "department":
        rows = qs.values("department__name").annotate(n=Count("id")).order_by("-n")
        return [(r["department__name"], r["n"]) for r in rows]
    raise ValueError(by)


def staff_without_account(user, department_id: int | None = None) -> QuerySet[Staff]:
    """Staff in post without a login account (为其开通账号), in 工号 order."""
    qs = staff_visible_to(user).filter(user__isnull=True).exclude(status=Staff.Status.LEFT)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return in_staff_no_order(qs)
