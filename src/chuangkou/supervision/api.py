"""督导 API: visit plans and visits (the supervisor's report, photos), findings (confirm,
dispute, decide), sitting-in slots, bookings and records, problems and their moves, figures.
The same services and selectors as the pages; every id and date bounded."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.core.schema_types import DbId, SaneDate
from chuangkou.org.models import Center, Department, Window

from . import permissions, selectors, services
from .filters import FindingFilter, ProblemFilter
from .models import Finding, Problem, SecretVisit, SittingIn, SittingSlot, VisitPlan
from .schemas import (
    SupervisionAnswerOut,
    SupervisionAssignmentOut,
    SupervisionCloseIn,
    SupervisionConsultIn,
    SupervisionCoordinateIn,
    SupervisionCountsOut,
    SupervisionDecisionIn,
    SupervisionDisputeIn,
    SupervisionEventOut,
    SupervisionFiguresOut,
    SupervisionFindingOut,
    SupervisionObservationOut,
    SupervisionPhotosOut,
    SupervisionPlanIn,
    SupervisionPlanOut,
    SupervisionProblemDetailOut,
    SupervisionProblemIn,
    SupervisionProblemOut,
    SupervisionQuestionnaireOut,
    SupervisionQuestionOut,
    SupervisionRecordIn,
    SupervisionReopenIn,
    SupervisionResolutionIn,
    SupervisionSittingDetailOut,
    SupervisionSittingOut,
    SupervisionSlotOut,
    SupervisionSlotsAddedOut,
    SupervisionSlotsIn,
    SupervisionVisitDetailOut,
    SupervisionVisitIn,
    SupervisionVisitOut,
)

router = Router(tags=["督导"])
MAX_SLOT_SPAN = 92


def _found(model, ids, field: str, label: str) -> list:
    """The rows of `ids`, or a DomainError naming the first that does not exist."""
    rows = {o.pk: o for o in model.objects.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in rows]
    if missing:
        raise DomainError(f"{label}编号 {missing[0]} 不存在。", field=field)
    return [rows[pk] for pk in dict.fromkeys(ids)]


def _one(model, pk, field: str, label: str):
    return _found(model, [pk], field, label)[0] if pk is not None else None


# 暗访 --------------------------------------------------------------------------------------------


def plan_out(plan: VisitPlan) -> SupervisionPlanOut:
    return SupervisionPlanOut(
        id=plan.pk,
        name=plan.name,
        period_start=plan.period_start,
        period_end=plan.period_end,
        visits_per_center=plan.visits_per_center,
        seed=plan.seed,
        assignments=plan.assignments.count(),
    )


def assignment_out(a) -> SupervisionAssignmentOut:
    visit = a.visit if hasattr(a, "visit") else None
    return SupervisionAssignmentOut(
        id=a.pk,
        plan_id=a.plan_id,
        date=a.date,
        center=a.center.name,
        supervisor=a.supervisor.name,
        visit_id=visit.pk if visit else None,
    )


def visit_out(v: SecretVisit, schema=SupervisionVisitOut, **extra):
    return schema(
        id=v.pk,
        assignment_id=v.assignment_id,
        center=v.center.name,
        supervisor=v.supervisor.name,
        visited_at=v.visited_at,
        summary=v.summary,
        confirm_due=v.confirm_due,
        windows=[w.window.number for w in v.windows.select_related("window")],
        findings=v.findings.count(),
        photo_ids=list(v.photos.values_list("pk", flat=True)),
        **extra,
    )


def visit_detail_out(v: SecretVisit) -> SupervisionVisitDetailOut:
    observations = [
        SupervisionObservationOut(
            window=o.window.number if o.window else "大堂",
            item=o.item,
            item_label=o.item_label,
            result=o.result,
            note=o.note,
        )
        for o in v.observations.select_related("window")
    ]
    return visit_out(v, SupervisionVisitDetailOut, observations=observations)


@router.get("/plans", response=list[SupervisionPlanOut], summary="暗访计划（中心管理员）")
@paginate(Pages, page_size=50)
def list_plans(request):
    require_role(request.user, *permissions.ADMIN_ROLES)
    return MappedQuerySet(selectors.plans_visible_to(request.user).order_by("-pk"), plan_out)


@router.post("/plans", response={201: SupervisionPlanOut}, summary="制定暗访计划并随机抽签")
def draw_plan(request, payload: SupervisionPlanIn):
    require_role(request.user, *permissions.ADMIN_ROLES)
    centers = None
    if payload.center_ids is not None:
        centers = _found(Center, payload.center_ids, "center_ids", "中心")
    plan = services.draw_plan(
        actor=request.user,
        name=payload.name,
        period_start=payload.period_start,
        period_end=payload.period_end,
        visits_per_center=payload.visits_per_center,
        centers=centers,
        seed=payload.seed,
    )
    return Status(201, plan_out(plan))


@router.get(
    "/assignments", response=list[SupervisionAssignmentOut], summary="暗访安排（监督员只见本人）"
)
@paginate(Pages, page_size=50)
def list_assignments(request):
    require_role(request.user, *permissions.VISIT_ROLES)
    rows = selectors.assignments_visible_to(request.user).order_by("-date", "pk")
    return MappedQuerySet(rows, assignment_out)


@router.post(
    "/assignments/{assignment_id}/visit",
    response={201: SupervisionVisitDetailOut},
    summary="提交暗访记录（监督员）",
)
def file_visit(request, assignment_id: DbId, payload: SupervisionVisitIn):
    require_role(request.user, *permissions.SUPERVISOR_ROLES)
    assignment = get_object_or_404(selectors.assignments_visible_to(request.user), pk=assignment_id)
    visit = services.file_visit(
        actor=request.user,
        assignment=assignment,
        visited_at=payload.visited_at,
        windows=payload.windows,
        checks=[services.Check(c.item, c.result, c.window, c.note) for c in payload.checks],
        summary=payload.summary,
    )
    return Status(201, visit_detail_out(visit))


@router.get("/visits", response=list[SupervisionVisitOut], summary="暗访记录")
@paginate(Pages, page_size=50)
def list_visits(request):
    require_role(request.user, *permissions.VISIT_ROLES)
    rows = selectors.visits_visible_to(request.user).order_by("-visited_at", "-pk")
    return MappedQuerySet(rows, visit_out)


def _visit(request, visit_id: int) -> SecretVisit:
    require_role(request.user, *permissions.VISIT_ROLES)
    return get_object_or_404(selectors.visits_visible_to(request.user), pk=visit_id)


@router.get("/visits/{visit_id}", response=SupervisionVisitDetailOut, summary="暗访记录详情")
def get_visit(request, visit_id: DbId):
    return visit_detail_out(_visit(request, visit_id))


@router.post(
    "/visits/{visit_id}/photos",
    response={201: SupervisionPhotosOut},
    summary="补传现场照片（multipart，字段 photos，JPEG/PNG，每张 ≤ 5 MB，共 ≤ 6 张）",
)
def add_photos(request, visit_id: DbId, photos: File[list[UploadedFile]] = None):
    added = services.add_visit_photos(
        actor=request.user, visit=_visit(request, visit_id), photos=photos or []
    )
    return Status(201, SupervisionPhotosOut(photo_ids=[p.pk for p in added]))


# 问题确认 ----------------------------------------------------------------------------------------


def finding_out(f: Finding) -> SupervisionFindingOut:
    return SupervisionFindingOut(
        id=f.pk,
        visit_id=f.visit_id,
        visited_at=f.visit.visited_at,
        center=f.visit.center.name,
        window=f.window.number if f.window else "大堂",
        staff=f.staff.name if f.staff else "",
        department=f.department.name if f.department else "",
        item=f.item,
        item_label=f.item_label,
        note=f.note,
        state=f.state,
        state_label=f.get_state_display(),
        confirm_due=f.confirm_due,
        dispute_reason=f.dispute_reason,
        has_evidence=bool(f.evidence),
        decision_note=f.decision_note,
    )


def _finding(request, finding_id: int) -> Finding:
    require_role(request.user, *permissions.FINDING_ROLES)
    return get_object_or_404(selectors.findings_visible_to(request.user), pk=finding_id)


@router.get("/findings", response=list[SupervisionFindingOut], summary="暗访发现的问题")
@paginate(Pages, page_size=50)
def list_findings(request, filters: Query[FindingFilter]):
    require_role(request.user, *permissions.FINDING_ROLES)
    rows = filters.filter(selectors.findings_visible_to(request.user))
    return MappedQuerySet(rows.order_by("-visit__visited_at", "-pk"), finding_out)


@router.get("/findings/{finding_id}", response=SupervisionFindingOut, summary="问题详情")
def get_finding(request, finding_id: DbId):
    return finding_out(_finding(request, finding_id))


@router.post(
    "/findings/{finding_id}/confirm", response=SupervisionFindingOut, summary="确认（部门负责人）"
)
def confirm_finding(request, finding_id: DbId):
    finding = _finding(request, finding_id)
    return finding_out(services.confirm_finding(actor=request.user, finding=finding))


@router.post(
    "/findings/{finding_id}/dispute",
    response=SupervisionFindingOut,
    summary="申辩（部门负责人，3 个工作日内；multipart：reason，可附 evidence 图片或 PDF）",
)
def dispute_finding(
    request,
    finding_id: DbId,
    payload: Form[SupervisionDisputeIn],
    evidence: File[UploadedFile] = None,
):
    finding = services.dispute_finding(
        actor=request.user,
        finding=_finding(request, finding_id),
        reason=payload.reason,
        evidence=evidence,
    )
    return finding_out(finding)


@router.post("/findings/{finding_id}/decision", response=SupervisionFindingOut, summary="裁定申辩")
def decide_dispute(request, finding_id: DbId, payload: SupervisionDecisionIn):
    finding = services.decide_dispute(
        actor=request.user,
        finding=_finding(request, finding_id),
        upheld=payload.upheld,
        note=payload.note,
    )
    return finding_out(finding)


# 坐班体验 ----------------------------------------------------------------------------------------


def slot_out(s) -> SupervisionSlotOut:
    return SupervisionSlotOut(
        id=s.pk,
        date=s.date,
        half=s.half,
        half_label=s.get_half_display(),
        center=s.window.center.name,
        window=s.window.number,
        department=s.window.department.name,
        capacity=s.capacity,
        taken=s.taken,
    )


def sitting_out(s: SittingIn, schema=SupervisionSittingOut, **extra):
    return schema(
        id=s.pk,
        slot_id=s.slot_id,
        date=s.slot.date,
        half=s.slot.half,
        center=s.slot.window.center.name,
        window=s.slot.window.number,
        head=s.head.display_name or s.head.username,
        department=s.department.name,
        status=s.status,
        status_label=s.get_status_display(),
        summary=s.summary,
        **extra,
    )


def sitting_detail_out(s: SittingIn) -> SupervisionSittingDetailOut:
    answers = [
        SupervisionAnswerOut(number=a.question.number, question=a.question.text, text=a.text)
        for a in s.answers.select_related("question").order_by("question__number")
    ]
    problems = list(s.problems.values_list("pk", flat=True))
    return sitting_out(s, SupervisionSittingDetailOut, answers=answers, problem_ids=problems)


def _sitting(request, sitting_id: int) -> SittingIn:
    require_role(request.user, *permissions.SITTING_ROLES)
    return get_object_or_404(selectors.sittings_visible_to(request.user), pk=sitting_id)


@router.get("/slots", response=list[SupervisionSlotOut], summary="坐班时段（含已约人数）")
@paginate(Pages, page_size=100)
def list_slots(request, start: SaneDate | None = None, end: SaneDate | None = None):
    require_role(request.user, *permissions.SITTING_ROLES)
    start = start or timezone.localdate()
    end = end or start + dt.timedelta(days=13)
    if not start <= end <= start + dt.timedelta(days=MAX_SLOT_SPAN):
        raise DomainError(f"结束日期须在开始日期后 {MAX_SLOT_SPAN} 天之内。", field="end")
    return MappedQuerySet(selectors.open_slots(start, end), slot_out)


@router.post("/slots", response={201: SupervisionSlotsAddedOut}, summary="开放坐班时段")
def open_slots(request, payload: SupervisionSlotsIn):
    require_role(request.user, *permissions.ADMIN_ROLES)
    added = services.open_slots(
        actor=request.user,
        windows=_found(Window, payload.window_ids, "window_ids", "窗口"),
        start=payload.start,
        end=payload.end,
        halves=payload.halves,
        capacity=payload.capacity,
    )
    return Status(201, SupervisionSlotsAddedOut(added=added))


@router.post("/slots/{slot_id}/bookings", response={201: SupervisionSittingOut}, summary="预约坐班")
def book_sitting(request, slot_id: DbId):
    require_role(request.user, *permissions.SITTING_ROLES)
    sitting = services.book_sitting(
        actor=request.user, slot=get_object_or_404(SittingSlot, pk=slot_id)
    )
    return Status(201, sitting_out(sitting))


@router.get("/questionnaire", response=SupervisionQuestionnaireOut, summary="当前“32 个问”问题清单")
def questionnaire(request):
    require_role(request.user, *permissions.SITTING_ROLES)
    current = services.current_questionnaire()
    return SupervisionQuestionnaireOut(
        version=current.version,
        title=current.title,
        questions=[
            SupervisionQuestionOut(number=q.number, stage=q.stage, text=q.text)
            for q in current.questions.order_by("number")
        ],
    )


@router.get("/sittings", response=list[SupervisionSittingOut], summary="坐班体验")
@paginate(Pages, page_size=50)
def list_sittings(request):
    require_role(request.user, *permissions.SITTING_ROLES)
    rows = selectors.sittings_visible_to(request.user).order_by("-slot__date", "-pk")
    return MappedQuerySet(rows, sitting_out)


@router.get("/sittings/{sitting_id}", response=SupervisionSittingDetailOut, summary="坐班详情")
def get_sitting(request, sitting_id: DbId):
    return sitting_detail_out(_sitting(request, sitting_id))


@router.post(
    "/sittings/{sitting_id}/record",
    response=SupervisionSittingDetailOut,
    summary="填写坐班活动记录表",
)
def record_sitting(request, sitting_id: DbId, payload: SupervisionRecordIn):
    sitting = services.record_sitting(
        actor=request.user,
        sitting=_sitting(request, sitting_id),
        answers=payload.answers,
        summary=payload.summary,
        problems=[p.dict() for p in payload.problems],
    )
    return sitting_detail_out(sitting)


@router.post("/sittings/{sitting_id}/cancel", response=SupervisionSittingOut, summary="取消预约")
def cancel_sitting(request, sitting_id: DbId):
    sitting = services.cancel_sitting(actor=request.user, sitting=_sitting(request, sitting_id))
    return sitting_out(sitting)


# 问题清单 ----------------------------------------------------------------------------------------


def problem_out(p: Problem, schema=SupervisionProblemOut, **extra):
    return schema(
        id=p.pk,
        title=p.title,
        description=p.description,
        kind=p.kind,
        kind_label=p.get_kind_display(),
        source=p.source,
        source_label=p.get_source_display(),
        owner=p.owner.name,
        owner_id=p.owner_id,
        found_on=p.found_on,
        deadline=p.deadline,
        state=p.state,
        state_label=p.get_state_display(),
        escalated=p.escalated_at is not None,
        meeting_record=p.meeting_record,
        resolution=p.resolution,
        **extra,
    )


def problem_detail_out(p: Problem) -> SupervisionProblemDetailOut:
    history = [
        SupervisionEventOut(
            on=e.on, action=e.action, from_state=e.from_state, to_state=e.to_state, note=e.note
        )
        for e in p.events.order_by("on", "at", "pk")
    ]
    coordinating = [d.name for d in p.coordinating.order_by("pk")]
    return problem_out(p, SupervisionProblemDetailOut, coordinating=coordinating, history=history)


def _problem(request, problem_id: int) -> Problem:
    require_role(request.user, *permissions.PROBLEM_ROLES)
    return get_object_or_404(selectors.problems_visible_to(request.user), pk=problem_id)


@router.get("/problems", response=list[SupervisionProblemOut], summary="痛点堵点难点清单")
@paginate(Pages, page_size=50)
def list_problems(request, filters: Query[ProblemFilter]):
    require_role(request.user, *permissions.PROBLEM_ROLES)
    rows = filters.filter(selectors.problems_visible_to(request.user))
    return MappedQuerySet(rows.order_by("-found_on", "-pk"), problem_out)


@router.post("/problems", response={201: SupervisionProblemDetailOut}, summary="登记问题")
def report_problem(request, payload: SupervisionProblemIn):
    require_role(request.user, *permissions.PROBLEM_ROLES)
    problem = services.report_problem(
        actor=request.user,
        title=payload.title,
        kind=payload.kind,
        owner=_one(Department, payload.owner_id, "owner_id", "部门"),
        description=payload.description,
        source=payload.source,
        coordinating=_found(Department, payload.coordinating_ids, "coordinating_ids", "部门"),
        center=_one(Center, payload.center_id, "center_id", "中心"),
        found_on=payload.found_on,
        deadline=payload.deadline,
    )
    return Status(201, problem_detail_out(problem))


@router.get("/problems/{problem_id}", response=SupervisionProblemDetailOut, summary="问题详情")
def get_problem(request, problem_id: DbId):
    return problem_detail_out(_problem(request, problem_id))


@router.post(
    "/problems/{problem_id}/on-spot", response=SupervisionProblemDetailOut, summary="当场解决"
)
def solve_on_spot(request, problem_id: DbId, payload: SupervisionResolutionIn):
    problem = services.solve_on_spot(
        actor=request.user,
        problem=_problem(request, problem_id),
        resolution=payload.resolution,
        on=payload.on,
    )
    return problem_detail_out(problem)


@router.post(
    "/problems/{problem_id}/consult",
    response=SupervisionProblemDetailOut,
    summary="会商解决（附会商记录）",
)
def solve_by_consultation(request, problem_id: DbId, payload: SupervisionConsultIn):
    problem = services.solve_by_consultation(
        actor=request.user,
        problem=_problem(request, problem_id),
        meeting_record=payload.meeting_record,
        resolution=payload.resolution,
        on=payload.on,
    )
    return problem_detail_out(problem)


@router.post(
    "/problems/{problem_id}/coordinate", response=SupervisionProblemDetailOut, summary="转入协调"
)
def start_coordinating(request, problem_id: DbId, payload: SupervisionCoordinateIn):
    problem = services.start_coordinating(
        actor=request.user,
        problem=_problem(request, problem_id),
        note=payload.note,
        coordinating=_found(Department, payload.coordinating_ids, "coordinating_ids", "部门"),
        deadline=payload.deadline,
        on=payload.on,
    )
    return problem_detail_out(problem)


@router.post(
    "/problems/{problem_id}/resolve", response=SupervisionProblemDetailOut, summary="协调解决"
)
def mark_resolved(request, problem_id: DbId, payload: SupervisionResolutionIn):
    problem = services.mark_resolved(
        actor=request.user,
        problem=_problem(request, problem_id),
        resolution=payload.resolution,
        on=payload.on,
    )
    return problem_detail_out(problem)


@router.post("/problems/{problem_id}/close", response=SupervisionProblemDetailOut, summary="关闭")
def close_problem(request, problem_id: DbId, payload: SupervisionCloseIn):
    problem = services.close_problem(
        actor=request.user, problem=_problem(request, problem_id), note=payload.note, on=payload.on
    )
    return problem_detail_out(problem)


@router.post(
    "/problems/{problem_id}/reopen", response=SupervisionProblemDetailOut, summary="重新打开"
)
def reopen_problem(request, problem_id: DbId, payload: SupervisionReopenIn):
    problem = services.reopen_problem(
        actor=request.user,
        problem=_problem(request, problem_id),
        reason=payload.reason,
        on=payload.on,
    )
    return problem_detail_out(problem)


@router.get("/figures", response=SupervisionFiguresOut, summary="截至某日的坐班与问题数字")
def figures(request, as_of: SaneDate | None = None, start: SaneDate | None = None):
    require_role(request.user, *permissions.PROBLEM_ROLES)
    as_of = as_of or timezone.localdate()
    if start is not None and start > as_of:
        raise DomainError("开始日期不能晚于截至日期。", field="start")
    result = selectors.figures(
        as_of, start=start, problems=selectors.problems_visible_to(request.user)
    )
    counts = {k: SupervisionCountsOut(**v) for k, v in result.by_kind.items()}
    departments = {k: SupervisionCountsOut(**v) for k, v in result.by_department.items()}
    return SupervisionFiguresOut(
        start=result.start,
        as_of=result.as_of,
        sittings=result.sittings,
        found=result.found,
        quick=result.quick,
        coordinating=result.coordinating,
        resolved=result.resolved,
        pending=result.pending,
        by_kind=counts,
        by_department=departments,
    )
