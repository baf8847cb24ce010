"""坐班体验: the admin opens half-day slots at windows; department heads book them, then record
the sitting-in (活动记录表) with the answers to the current "32 个问" and the problems found."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.calendar import is_working_day
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role, has_role

from .. import checklists
from ..models import Answer, Problem, Question, Questionnaire, SittingIn, SittingSlot
from .common import text
from .problems import report_problem, solve_on_spot

Status = SittingIn.Status
MAX_SLOT_DAYS = 92
MAX_PROBLEMS = 20


@transaction.atomic
def publish_questionnaire(*, actor, version: int) -> Questionnaire:
    """发布问题清单: load data/questions_v<version>.json and make it the current version."""
    if actor is not None:
        require_role(actor, Role.CENTER_ADMIN)
    try:
        data = checklists.questionnaire_file(version)
    except FileNotFoundError:
        raise DomainError(f"没有第 {version} 版问题清单的数据文件。", field="version") from None
    questionnaire, created = Questionnaire.objects.get_or_create(
        version=version,
        defaults={
            "title": data["title"],
            "published_at": dt.date.fromisoformat(data["published_at"]),
        },
    )
    if created:
        Question.objects.bulk_create(
            Question(questionnaire=questionnaire, number=n, stage=stage, text=q)
            for n, (stage, q) in enumerate(data["questions"], start=1)
        )
    Questionnaire.objects.filter(is_current=True).exclude(pk=questionnaire.pk).update(
        is_current=False
    )
    Questionnaire.objects.filter(pk=questionnaire.pk).update(is_current=True)
    questionnaire.is_current = True
    audit.record(
        actor=actor,
        action="supervision.questionnaire.publish",
        obj=questionnaire,
        after={"version": version, "questions": len(data["questions"])},
    )
    return questionnaire


def current_questionnaire() -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(is_current=True).first()
    if questionnaire is None:
        raise DomainError("尚未发布“32 个问”问题清单，请联系中心管理员。")
    return questionnaire


@transaction.atomic
def open_slots(
    *, actor, windows, start: dt.date, end: dt.date, halves=("am", "pm"), capacity: int = 1
) -> int:
    """开放坐班时段 on the working days of a period (existing slots are kept). Returns how
    many were added."""
    require_role(actor, Role.CENTER_ADMIN)
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    if (end - start).days > MAX_SLOT_DAYS:
        raise DomainError(f"一次最多开放 {MAX_SLOT_DAYS} 天的时段。", field="end")
    if not 1 <= capacity <= 10:
        raise DomainError("每个时段名额须在 1 至 10 之间。", field="capacity")
    halves = [h for h in halves if h in SittingSlot.Half.values]
    windows = list(windows)
    if not halves or not windows:
        raise DomainError("请选择窗口和时段（上午/下午）。", field="windows")
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    rows = [
        SittingSlot(window=w, date=d, half=h, capacity=capacity)
        for d in days
        if is_working_day(d)
        for w in windows
        for h in halves
    ]
    before = SittingSlot.objects.count()
    SittingSlot.objects.bulk_create(rows, ignore_conflicts=True)
    added = SittingSlot.objects.count() - before
    audit.record(
        actor=actor,
        action="supervision.slot.open",
        object_type="supervision.sittingslot",
        after={"windows": [w.pk for w in windows], "period": [start, end], "added": added},
    )
    return added


def _department_of(actor, slot: SittingSlot):
    headed = list(actor.headed_departments.order_by("pk"))
    if not headed:
        raise PermissionDeniedError("只有部门负责人可以预约坐班。")
    return next((d for d in headed if d.pk == slot.window.department_id), headed[0])


@transaction.atomic
def book_sitting(*, actor, slot: SittingSlot) -> SittingIn:
    """预约坐班 (department head): a future half-day with a free place."""
    require_role(actor, Role.DEPT_HEAD)
    slot = SittingSlot.objects.select_for_update().select_related("window").get(pk=slot.pk)
    if slot.date < timezone.localdate():
        raise DomainError("不能预约已经过去的时段。", field="slot")
    taken = slot.sittings.exclude(status=Status.CANCELLED)
    if taken.filter(head=actor).exists():
        raise DomainError("您已预约了这个时段。", field="slot")
    if taken.count() >= slot.capacity:
        raise DomainError("该时段名额已满，请选择其他时段。", field="slot")
    same_time = SittingIn.objects.filter(
        head=actor, slot__date=slot.date, slot__half=slot.half
    ).exclude(status=Status.CANCELLED)
    if same_time.exists():
        raise DomainError("您在同一时段已有其他坐班预约。", field="slot")
    sitting = SittingIn.objects.create(
        slot=slot, head=actor, department=_department_of(actor, slot), booked_at=timezone.now()
    )
    audit.record(
        actor=actor, action="supervision.sitting.book", obj=sitting, after={"slot": slot.pk}
    )
    return sitting


def _own_or_admin(actor, sitting: SittingIn) -> None:
    if sitting.head_id != getattr(actor, "pk", None) and not has_role(actor, Role.CENTER_ADMIN):
        raise PermissionDeniedError("只能处理自己的坐班预约。")


@transaction.atomic
def cancel_sitting(*, actor, sitting: SittingIn) -> SittingIn:
    """取消预约 before the day."""
    sitting = SittingIn.objects.select_for_update().select_related("slot").get(pk=sitting.pk)
    _own_or_admin(actor, sitting)
    if sitting.status != Status.BOOKED:
        raise DomainError("只有已预约、未记录的坐班可以取消。", field="state")
    if sitting.slot.date < timezone.localdate():
        raise DomainError("坐班日期已过，不能取消。", field="state")
    sitting.status = Status.CANCELLED
    sitting.save(update_fields=["status"])
    audit.record(actor=actor, action="supervision.sitting.cancel", obj=sitting)
    return sitting


def _answers(questionnaire: Questionnaire, answers: dict) -> list[tuple[Question, str]]:
    questions = {q.number: q for q in questionnaire.questions.all()}
    unknown = [n for n in answers if n not in questions]
    if unknown:
        raise DomainError(f"问题清单中没有第 {unknown[0]} 题。", field="answers")
    return [
        (q, text(answers.get(n, ""), field=f"q{n}", what=f"第 {n} 题的回答", limit=1000))
        for n, q in sorted(questions.items())
    ]


def _check_problems(problems: list[dict]) -> list[dict]:
    if len(problems) > MAX_PROBLEMS:
        raise DomainError(f"一次坐班最多登记 {MAX_PROBLEMS} 个问题。", field="problems")
    return [p for p in problems if (p.get("title") or "").strip()]


@transaction.atomic
def record_sitting(
    *,
    actor,
    sitting: SittingIn,
    answers: dict[int, str],
    summary: str = "",
    problems: list[dict] = (),
) -> SittingIn:
    """填写活动记录表: answers to the current questionnaire and the problems found; each
    problem dict has title, kind, description, and `on_spot` with `resolution` when it was
    solved there and then."""
    sitting = (
        SittingIn.objects.select_for_update()
        .select_related("slot__window__center")
        .get(pk=sitting.pk)
    )
    if sitting.head_id != getattr(actor, "pk", None):
        raise PermissionDeniedError("只有预约该坐班的部门负责人可以填写记录。")
    if sitting.status != Status.BOOKED:
        raise DomainError("该坐班不是待记录状态（已记录或已取消）。", field="state")
    if sitting.slot.date > timezone.localdate():
        raise DomainError("坐班尚未开始，当天或之后才能填写记录。", field="state")
    questionnaire = current_questionnaire()
    rows = _answers(questionnaire, answers)
    problems = _check_problems(list(problems))
    sitting.questionnaire = questionnaire
    sitting.summary = text(summary, field="summary", what="体验小结", limit=4000)
    sitting.status = Status.RECORDED
    sitting.recorded_at = timezone.now()
    sitting.save()
    Answer.objects.bulk_create(Answer(sitting=sitting, question=q, text=t) for q, t in rows)
    for found in problems:
        _problem_of(actor, sitting, found)
    audit.record(
        actor=actor,
        action="supervision.sitting.record",
        obj=sitting,
        after={
            "questionnaire": questionnaire.version,
            "answered": sum(1 for _, t in rows if t),
            "problems": len(problems),
        },
    )
    return sitting


def _problem_of(actor, sitting: SittingIn, found: dict) -> Problem:
    problem = report_problem(
        actor=actor,
        title=found.get("title", ""),
        kind=found.get("kind", ""),
        description=found.get("description", ""),
        owner=sitting.department,
        source=Problem.Source.SITTING,
        center=sitting.slot.window.center,
        found_on=min(sitting.slot.date, timezone.localdate()),
        sitting=sitting,
    )
    if found.get("on_spot"):
        problem = solve_on_spot(
            actor=actor,
            problem=problem,
            resolution=found.get("resolution", ""),
            on=problem.found_on,
        )
    return problem
