"""Reads of 督导: which rows each user sees, the sitting-in coverage and the figures as of a date.

- plans: the center admin only; assignments and visits: the admin all, a supervisor their own;
- findings: the admin all, a department head those of their departments, a clerk or lobby
  manager only the confirmed ones against themselves;
- sittings: the admin all, a head their own; problems: the admin all, a head those their
  departments own or coordinate.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from chuangkou.core.roles import Role, has_role

from . import checklists
from .models import (
    Finding,
    Problem,
    ProblemEvent,
    SecretVisit,
    SittingIn,
    SittingSlot,
    Supervisor,
    VisitAssignment,
    VisitPlan,
)

State = Problem.State
QUICK = (State.ON_SPOT, State.CONSULTED)


def _none(model) -> QuerySet:
    return model.objects.none()


def supervisors_visible_to(user) -> QuerySet:
    if has_role(user, Role.CENTER_ADMIN):
        return Supervisor.objects.select_related("user", "former_department").prefetch_related(
            "centers"
        )
    if has_role(user, Role.SUPERVISOR):
        return Supervisor.objects.filter(user=user)
    return _none(Supervisor)


def plans_visible_to(user) -> QuerySet:
    return VisitPlan.objects.all() if has_role(user, Role.CENTER_ADMIN) else _none(VisitPlan)


def assignments_visible_to(user) -> QuerySet:
    rows = VisitAssignment.objects.select_related("supervisor", "center", "plan", "visit")
    if has_role(user, Role.CENTER_ADMIN):
        return rows
    if has_role(user, Role.SUPERVISOR):
        return rows.filter(supervisor__user=user)
    return rows.none()


def visits_visible_to(user) -> QuerySet:
    rows = SecretVisit.objects.select_related("supervisor", "center", "assignment")
    if has_role(user, Role.CENTER_ADMIN):
        return rows
    if has_role(user, Role.SUPERVISOR):
        return rows.filter(supervisor__user=user)
    return rows.none()


def findings_visible_to(user) -> QuerySet:
    rows = Finding.objects.select_related("window", "staff", "department", "visit__center")
    if has_role(user, Role.CENTER_ADMIN):
        return rows
    visible = Q(pk__in=[])
    if has_role(user, Role.DEPT_HEAD):
        visible |= Q(department__in=user.headed_departments.all())
    if has_role(user, Role.CLERK, Role.LOBBY_MANAGER):
        visible |= Q(staff__user=user, state=Finding.State.CONFIRMED)
    return rows.filter(visible)


def finding_visible_to(user, finding: Finding) -> bool:
    return findings_visible_to(user).filter(pk=finding.pk).exists()


def sittings_visible_to(user) -> QuerySet:
    rows = SittingIn.objects.select_related("slot__window__center", "head", "department")
    if has_role(user, Role.CENTER_ADMIN):
        return rows
    if has_role(user, Role.DEPT_HEAD):
        return rows.filter(head=user)
    return rows.none()


def problems_visible_to(user) -> QuerySet:
    rows = Problem.objects.select_related("owner", "category", "center")
    if has_role(user, Role.CENTER_ADMIN):
        return rows
    if has_role(user, Role.DEPT_HEAD):
        headed = user.headed_departments.all()
        return rows.filter(Q(owner__in=headed) | Q(coordinating__in=headed)).distinct()
    return rows.none()


def open_slots(start: dt.date, end: dt.date) -> QuerySet:
    """The slots of a period with how many places are taken."""
    from django.db.models import Count

    return (
        SittingSlot.objects.filter(date__gte=start, date__lte=end)
        .select_related("window__center", "window__department")
        .annotate(taken=Count("sittings", filter=~Q(sittings__status=SittingIn.Status.CANCELLED)))
        .order_by("date", "half", "window__number")
    )


@dataclass
class Coverage:
    sat: list = field(default_factory=list)  # (head, times)
    not_yet: list = field(default_factory=list)


def sitting_coverage(start: dt.date, end: dt.date) -> Coverage:
    """Which department heads sat in (and how often) in a period, and which have not yet."""
    times = Counter(
        SittingIn.objects.filter(
            status=SittingIn.Status.RECORDED, slot__date__gte=start, slot__date__lte=end
        ).values_list("head_id", flat=True)
    )
    heads = (
        get_user_model()
        .objects.filter(groups__name=Role.DEPT_HEAD.value, is_active=True)
        .prefetch_related("headed_departments")
        .order_by("username")
    )
    coverage = Coverage()
    for head in heads:
        if times.get(head.pk):
            coverage.sat.append((head, times[head.pk]))
        else:
            coverage.not_yet.append(head)
    return coverage


@dataclass
class Figures:
    """截至某日: sitting-ins (人次), problems found, solved on the spot or by consultation,
    still coordinating, solved after coordination, not yet handled; by type and department."""

    start: dt.date
    as_of: dt.date
    sittings: int = 0
    found: int = 0
    quick: int = 0
    coordinating: int = 0
    resolved: int = 0
    pending: int = 0
    by_kind: dict = field(default_factory=dict)
    by_department: dict = field(default_factory=dict)


def _standing(events) -> tuple[str, str]:
    """(state, how it was solved) after a problem's events in date order."""
    state, solved = State.FOUND, ""
    for event in events:
        state = event.to_state
        if state in (*QUICK, State.RESOLVED):
            solved = state
        elif state in (State.FOUND, State.COORDINATING):
            solved = ""
    return state, solved


def _bucket(state: str, solved: str) -> str:
    if solved in QUICK:
        return "quick"
    if solved == State.RESOLVED:
        return "resolved"
    return "coordinating" if state == State.COORDINATING else "pending"


def figures(as_of: dt.date, *, start: dt.date | None = None, problems=None) -> Figures:
    """The figures as of `as_of` (from 1 January of its year unless `start`), computed from the
    individual sitting-ins and the problems' dated history."""
    start = start or as_of.replace(month=1, day=1)
    result = Figures(start=start, as_of=as_of)
    result.sittings = SittingIn.objects.filter(
        status=SittingIn.Status.RECORDED, slot__date__gte=start, slot__date__lte=as_of
    ).count()
    problems = (problems if problems is not None else Problem.objects.all()).filter(
        found_on__gte=start, found_on__lte=as_of
    )
    rows = {p.pk: p for p in problems.select_related("owner")}
    history = defaultdict(list)
    for event in ProblemEvent.objects.filter(problem_id__in=rows, on__lte=as_of).order_by(
        "problem_id", "on", "at", "id"
    ):
        history[event.problem_id].append(event)
    by_kind = defaultdict(Counter)
    by_department = defaultdict(Counter)
    for pk, problem in rows.items():
        bucket = _bucket(*_standing(history[pk]))
        setattr(result, bucket, getattr(result, bucket) + 1)
        for table, key in (
            (by_kind, problem.get_kind_display()),
            (by_department, problem.owner.name),
        ):
            table[key]["found"] += 1
            table[key][bucket] += 1
    result.found = len(rows)
    result.by_kind = {k: dict(v) for k, v in sorted(by_kind.items())}
    result.by_department = {k: dict(v) for k, v in sorted(by_department.items())}
    return result


def findings_by_item(findings: QuerySet) -> list[tuple[str, int]]:
    """How many findings per checklist item (for the overview)."""
    counts = Counter(findings.values_list("item_label", flat=True))
    return counts.most_common()


def confirmed_veto_findings(*, staff=None, window=None, start: dt.date, end: dt.date) -> QuerySet:
    """Confirmed 一票否决 findings against `staff` or `window` from visits in [start, end]
    (local dates); honors reads them to bar a nominee, the appraisal will too."""
    findings = Finding.objects.filter(
        state=Finding.State.CONFIRMED,
        item__in=checklists.veto_codes(),
        visit__visited_at__date__range=(start, end),
    ).select_related("visit")
    if staff is not None:
        findings = findings.filter(staff=staff)
    if window is not None:
        findings = findings.filter(window=window)
    return findings
