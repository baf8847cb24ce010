"""痛点/堵点/难点: the problem tracker.

    发现 --solve_on_spot--> 当场解决
    发现 --solve_by_consultation (meeting record)--> 会商解决
    发现 --start_coordinating--> 正在协调 --mark_resolved--> 已解决
    当场解决 / 会商解决 / 已解决 --close_problem--> 关闭
    当场解决 / 会商解决 / 已解决 / 关闭 --reopen_problem--> 发现

Every move is a ProblemEvent dated `on` (the day it happened, never in the future), so the
figures can be computed as of any date. Overdue open problems are escalated to the center admin
once (`escalate_overdue`).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.calendar import add_working_days
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role

from .. import permissions
from ..models import Problem, ProblemEvent
from .common import day_or_today, text

State = Problem.State
OPEN_STATES = (State.FOUND, State.COORDINATING)
SOLVED_STATES = (State.ON_SPOT, State.CONSULTED, State.RESOLVED)
DEFAULT_WORKING_DAYS = 10
LABELS = {
    "report": "发现问题",
    "on_spot": "当场解决",
    "consult": "会商解决",
    "coordinate": "转入协调",
    "resolve": "协调解决",
    "close": "关闭",
    "reopen": "重新打开",
    "escalate": "超期上报中心管理员",
}


def _event(problem, *, actor, action, before, on, note="") -> None:
    ProblemEvent.objects.create(
        problem=problem,
        on=on,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=LABELS[action],
        from_state=before,
        to_state=problem.state,
        note=note[:1000],
    )
    audit.record(
        actor=actor,
        action=f"supervision.problem.{action}",
        obj=problem,
        before={"state": before} if before else None,
        after={"state": problem.state, "on": on, "note": note},
    )


def _choice(value, choices, field: str, what: str) -> str:
    if value not in choices.values:
        raise DomainError(f"请选择{what}。", field=field)
    return value


@transaction.atomic
def report_problem(
    *,
    actor,
    title: str,
    kind: str,
    owner,
    description: str = "",
    source: str = Problem.Source.MANUAL,
    category=None,
    coordinating=(),
    center=None,
    found_on: dt.date | None = None,
    deadline: dt.date | None = None,
    sitting=None,
    visit=None,
) -> Problem:
    """登记问题 (center admin or a department head; a sitting-in's problems come from its
    head). The deadline defaults to 10 working days after it was found."""
    if actor is not None:
        require_role(actor, Role.CENTER_ADMIN, Role.DEPT_HEAD)
    if owner is None:
        raise DomainError("请选择责任部门。", field="owner")
    found_on = day_or_today(found_on, field="found_on")
    deadline = deadline or add_working_days(found_on, DEFAULT_WORKING_DAYS)
    if deadline < found_on:
        raise DomainError("解决期限不能早于发现日期。", field="deadline")
    problem = Problem.objects.create(
        title=text(title, field="title", what="问题", limit=200, required=True),
        description=text(description, field="description", what="描述", limit=4000),
        kind=_choice(kind, Problem.Kind, "kind", "问题类型（痛点/堵点/难点）"),
        source=_choice(source, Problem.Source, "source", "问题来源"),
        category=category,
        owner=owner,
        center=center,
        sitting=sitting,
        visit=visit,
        found_on=found_on,
        deadline=deadline,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    problem.coordinating.set([d for d in coordinating if d.pk != owner.pk])
    _event(problem, actor=actor, action="report", before="", on=found_on, note=problem.title)
    return problem


def _start(actor, problem: Problem, allowed: tuple, doing: str, on) -> tuple[Problem, dt.date]:
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if actor is not None and not permissions.can_handle_problem(actor, problem):
        raise PermissionDeniedError("只有中心管理员或责任部门负责人可以处理该问题。")
    if problem.state not in allowed:
        label = State(problem.state).label
        raise DomainError(f"该问题当前为「{label}」，不能{doing}。", field="state")
    on = day_or_today(on)
    last = problem.events.order_by("-on").values_list("on", flat=True).first()
    if on < (last or problem.found_on):
        raise DomainError("日期不能早于该问题上一次处理的日期。", field="on")
    return problem, on


def _move(actor, problem, action, to_state, on, note) -> Problem:
    before = problem.state
    problem.state = to_state
    problem.save()
    _event(problem, actor=actor, action=action, before=before, on=on, note=note)
    return problem


@transaction.atomic
def solve_on_spot(*, actor, problem: Problem, resolution: str, on=None) -> Problem:
    """当场解决."""
    problem, on = _start(actor, problem, (State.FOUND,), "当场解决", on)
    problem.resolution = text(
        resolution, field="resolution", what="解决情况", limit=4000, required=True
    )
    return _move(actor, problem, "on_spot", State.ON_SPOT, on, problem.resolution)


@transaction.atomic
def solve_by_consultation(
    *, actor, problem: Problem, meeting_record: str, resolution: str, on=None
) -> Problem:
    """会商解决, with the record of the meeting (会商记录)."""
    problem, on = _start(actor, problem, (State.FOUND,), "会商解决", on)
    problem.meeting_record = text(
        meeting_record, field="meeting_record", what="会商记录", limit=4000, required=True
    )
    problem.resolution = text(
        resolution, field="resolution", what="解决情况", limit=4000, required=True
    )
    return _move(actor, problem, "consult", State.CONSULTED, on, problem.resolution)


@transaction.atomic
def start_coordinating(
    *, actor, problem: Problem, note: str, coordinating=(), deadline=None, on=None
) -> Problem:
    """转入协调: needs other departments or more time; a new deadline may be set."""
    problem, on = _start(actor, problem, (State.FOUND,), "转入协调", on)
    note = text(note, field="note", what="协调安排", limit=1000, required=True)
    if deadline is not None:
        if deadline < on:
            raise DomainError("解决期限不能早于今天。", field="deadline")
        problem.deadline, problem.escalated_at = deadline, None
    if coordinating:
        problem.coordinating.add(*[d for d in coordinating if d.pk != problem.owner_id])
    return _move(actor, problem, "coordinate", State.COORDINATING, on, note)


@transaction.atomic
def mark_resolved(*, actor, problem: Problem, resolution: str, on=None) -> Problem:
    """协调解决."""
    problem, on = _start(actor, problem, (State.COORDINATING,), "登记解决", on)
    problem.resolution = text(
        resolution, field="resolution", what="解决情况", limit=4000, required=True
    )
    return _move(actor, problem, "resolve", State.RESOLVED, on, problem.resolution)


@transaction.atomic
def close_problem(*, actor, problem: Problem, note: str = "", on=None) -> Problem:
    """关闭 (center admin) a solved problem."""
    require_role(actor, Role.CENTER_ADMIN)
    problem, on = _start(actor, problem, SOLVED_STATES, "关闭", on)
    note = text(note, field="note", what="说明", limit=1000)
    return _move(actor, problem, "close", State.CLOSED, on, note)


@transaction.atomic
def reopen_problem(*, actor, problem: Problem, reason: str, on=None) -> Problem:
    """重新打开 (center admin): the problem came back."""
    require_role(actor, Role.CENTER_ADMIN)
    problem, on = _start(actor, problem, (*SOLVED_STATES, State.CLOSED), "重新打开", on)
    reason = text(reason, field="reason", what="重新打开的原因", limit=1000, required=True)
    problem.escalated_at = None
    if problem.deadline < on:
        problem.deadline = add_working_days(on, DEFAULT_WORKING_DAYS)
    return _move(actor, problem, "reopen", State.FOUND, on, reason)


@transaction.atomic
def escalate_overdue(*, today: dt.date | None = None) -> int:
    """超期上报: open problems past their deadline go on the center admin's list, once."""
    today = today or timezone.localdate()
    count = 0
    overdue = Problem.objects.select_for_update().filter(
        state__in=OPEN_STATES, deadline__lt=today, escalated_at__isnull=True
    )
    for problem in overdue:
        problem.escalated_at = timezone.now()
        problem.save(update_fields=["escalated_at"])
        ProblemEvent.objects.create(
            problem=problem,
            on=today,
            at=problem.escalated_at,
            action=LABELS["escalate"],
            from_state=problem.state,
            to_state=problem.state,
            note=f"期限 {problem.deadline:%Y-%m-%d}",
        )
        audit.record(
            actor=None,
            action="supervision.problem.escalate",
            obj=problem,
            after={"deadline": problem.deadline, "state": problem.state},
        )
        count += 1
    return count
