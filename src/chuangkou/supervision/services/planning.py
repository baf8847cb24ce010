"""暗访计划: draw supervisors, centers and days at random within the constraints.

- each center gets at least `visits_per_center` visits in every month of the period, on
  different days and, as far as the month allows, on different weekdays (no fixed weekday);
- a supervisor goes only to the centers they cover, within their term, at most once a day, and
  never to a center where their former department is stationed;
- the load is spread evenly over the supervisors, and a supervisor's visits avoid repeating a
  weekday. The draw is reproducible from the plan's seed.
"""

import datetime as dt
import random
import secrets
from collections import defaultdict

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.calendar import is_working_day
from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role
from chuangkou.org.models import Center, Window

from ..models import Supervisor, VisitAssignment, VisitPlan
from .common import text

MAX_PERIOD_DAYS = 366
MAX_PER_MONTH = 20


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The period cut at month ends."""
    slices, first = [], start
    while first <= end:
        next_month = (first.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        last = min(end, next_month - dt.timedelta(days=1))
        slices.append((first, last))
        first = next_month
    return slices


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if is_working_day(d)]


class _Draw:
    """The state of one draw: who is busy when, how many visits and which weekdays each has."""

    def __init__(self, rng: random.Random, supervisors: list[Supervisor], stationed: dict):
        self.rng = rng
        self.supervisors = supervisors
        self.stationed = stationed  # center id -> department ids with a window there
        self.busy: set[tuple[int, dt.date]] = set()
        self.load: dict[int, int] = defaultdict(int)
        self.weekdays: dict[int, set[int]] = defaultdict(set)
        self.covers = {s.pk: {c.pk for c in s.centers.all()} for s in supervisors}

    def eligible(self, center: Center, day: dt.date) -> list[Supervisor]:
        return [
            s
            for s in self.supervisors
            if s.serves_on(day)
            and center.pk in self.covers[s.pk]
            and s.former_department_id not in self.stationed.get(center.pk, set())
            and (s.pk, day) not in self.busy
        ]

    def pick(self, candidates: list[Supervisor], day: dt.date) -> Supervisor:
        def key(s):
            return (self.load[s.pk], day.weekday() in self.weekdays[s.pk], self.rng.random())

        chosen = min(candidates, key=key)
        self.busy.add((chosen.pk, day))
        self.load[chosen.pk] += 1
        self.weekdays[chosen.pk].add(day.weekday())
        return chosen

    def month(self, center: Center, days: list[dt.date], count: int) -> list[tuple]:
        """`count` (day, supervisor) for one center in one month."""
        days = days[:]
        self.rng.shuffle(days)
        used_weekdays: set[int] = set()
        drawn = []
        for _ in range(count):
            fresh = [d for d in days if d.weekday() not in used_weekdays]
            for day in fresh + [d for d in days if d not in fresh]:
                candidates = self.eligible(center, day)
                if candidates:
                    drawn.append((day, self.pick(candidates, day)))
                    used_weekdays.add(day.weekday())
                    days.remove(day)
                    break
            else:
                raise DomainError(
                    f"{center.name}在 {days[0]:%Y 年 %m 月} 没有足够的可派监督员"
                    "（须负责该中心、在聘期内、非原工作部门进驻的中心、同一天只去一处）。"
                    if days
                    else f"{center.name}该月的工作日不足以安排 {count} 次暗访。",
                    field="visits_per_center",
                )
        return drawn


def _check_period(start: dt.date, end: dt.date, per_center: int) -> None:
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="period_end")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise DomainError("计划期间不能超过一年。", field="period_end")
    if not 1 <= per_center <= MAX_PER_MONTH:
        raise DomainError(
            f"每中心每月暗访次数须在 1 至 {MAX_PER_MONTH} 之间。", field="visits_per_center"
        )


@transaction.atomic
def draw_plan(
    *,
    actor,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    visits_per_center: int,
    centers=None,
    seed: int | None = None,
) -> VisitPlan:
    """制定暗访计划: draw the visits of the period (see the module docstring)."""
    require_role(actor, Role.CENTER_ADMIN)
    _check_period(period_start, period_end, visits_per_center)
    centers = list(centers) if centers is not None else list(Center.objects.order_by("pk"))
    if not centers:
        raise DomainError("请至少选择一个中心。", field="centers")
    seed = seed if seed is not None else secrets.randbits(48)
    plan = VisitPlan.objects.create(
        name=text(name, field="name", what="计划名称", limit=100, required=True),
        period_start=period_start,
        period_end=period_end,
        visits_per_center=visits_per_center,
        seed=seed,
        created_by=actor,
    )
    supervisors = list(
        Supervisor.objects.filter(is_active=True).prefetch_related("centers").order_by("pk")
    )
    stationed = defaultdict(set)
    for center_id, department_id in Window.objects.filter(is_active=True).values_list(
        "center_id", "department_id"
    ):
        stationed[center_id].add(department_id)
    draw = _Draw(random.Random(seed), supervisors, stationed)  # noqa: S311 (reproducible draw)
    draw.busy.update(  # days already assigned by other plans
        VisitAssignment.objects.filter(date__gte=period_start, date__lte=period_end).values_list(
            "supervisor_id", "date"
        )
    )
    rows = []
    for first, last in _months(period_start, period_end):
        days = _working_days(first, last)
        for center in sorted(centers, key=lambda c: c.pk):
            if len(days) < visits_per_center:
                raise DomainError(
                    f"{first:%Y 年 %m 月}计划期内只有 {len(days)} 个工作日，"
                    f"不足以安排每中心 {visits_per_center} 次暗访。",
                    field="visits_per_center",
                )
            for day, supervisor in draw.month(center, days, visits_per_center):
                rows.append(
                    VisitAssignment(plan=plan, supervisor=supervisor, center=center, date=day)
                )
    VisitAssignment.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="supervision.plan.draw",
        obj=plan,
        after={
            "period": [period_start, period_end],
            "visits_per_center": visits_per_center,
            "centers": [c.pk for c in centers],
            "seed": seed,
            "assignments": len(rows),
        },
    )
    return plan
