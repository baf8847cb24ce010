"""受理办件 API: list and detail (by visibility), acceptance, status actions, figures, imports."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.core.schema_types import DbId, SaneDate
from chuangkou.hall.models import Ticket
from chuangkou.org.models import Center, Window

from . import permissions, selectors, services
from .filters import CaseFilter
from .models import Case
from .schemas import (
    AcceptIn,
    CaseDetailOut,
    CaseFiguresOut,
    CaseNoteIn,
    CaseOut,
    CaseReasonIn,
    DayOut,
    DepartmentFiguresOut,
    ImportJobOut,
    OnlineAcceptIn,
    VisitIn,
    WindowRankOut,
)

router = Router(tags=["受理办件"])


def _float(value) -> float | None:
    return float(value) if value is not None else None


def case_out(case: Case, viewer) -> dict:
    full = permissions.can_see_full_applicant(viewer, case)
    return {
        "id": case.pk,
        "number": case.number,
        "matter": {"id": case.matter_id, "code": case.matter.code, "name": case.matter.name},
        "department": {"id": case.department_id, "name": case.department.name},
        "center": {"id": case.center_id, "name": case.center.name},
        "window": (
            {"id": case.window_id, "number": case.window.number, "name": case.window.name}
            if case.window
            else None
        ),
        "clerk": {"id": case.clerk_id, "name": case.clerk.name} if case.clerk else None,
        "ticket_id": case.ticket_id,
        "channel": case.channel,
        "applicant_kind": case.applicant_kind,
        "applicant_name": case.applicant_name,
        "applicant_id": case.applicant_id if full else case.masked_applicant_id,
        "applicant_phone": case.applicant_phone if full else case.masked_applicant_phone,
        "status": case.status,
        "status_label": case.get_status_display(),
        "accepted_at": case.accepted_at,
        "due_date": case.due_date,
        "completed_at": case.completed_at,
        "visits": case.visits,
        "overdue": case.overdue_now,
        "one_trip": case.is_one_trip if case.status == Case.Status.COMPLETED else None,
    }


def case_detail_out(case: Case, viewer) -> dict:
    return {
        **case_out(case, viewer),
        "events": [
            {
                "action": e.action,
                "action_label": e.get_action_display(),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": e.actor_name,
                "at": e.at,
                "note": e.note,
            }
            for e in selectors.case_history(case)
        ],
        "visit_records": [
            {
                "visited_at": v.visited_at,
                "ticket_number": v.ticket.number if v.ticket else None,
                "note": v.note,
            }
            for v in selectors.case_visits(case)
        ],
    }


def _visible_case(request, case_id: int) -> Case:
    require_role(request.user, *permissions.CASE_READERS)
    return get_object_or_404(selectors.cases_visible_to(request.user), pk=case_id)


def _find(model, pk: int | None, label: str, field: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise DomainError(f"{label}编号 {pk} 不存在。", field=field)
    return found


@router.get("/", response=list[CaseOut], summary="受理件列表（按角色可见范围）")
@paginate(Pages, page_size=50)
def list_cases(request, filters: Query[CaseFilter]):
    require_role(request.user, *permissions.CASE_READERS)
    cases = selectors.case_list(user=request.user, filters=filters)
    return MappedQuerySet(cases, lambda c: case_out(c, request.user))


@router.get("/figures", response=CaseFiguresOut, summary="办件统计")
def figures(
    request,
    start: SaneDate,
    end: dt.date,
    department_id: DbId | None = None,
    center_id: DbId | None = None,
    matter_id: DbId | None = None,
):
    require_role(request.user, *permissions.FIGURE_READERS)
    f = selectors.case_figures(
        user=request.user,
        start=start,
        end=end,
        department_id=department_id,
        center_id=center_id,
        matter_id=matter_id,
    )
    previous = f.period.previous
    return CaseFiguresOut(
        start=f.period.start,
        end=f.period.end,
        previous_start=previous.start,
        previous_end=previous.end,
        working_days=f.working_days,
        accepted=f.counts.accepted,
        rejected=f.counts.rejected,
        daily_average=_float(f.daily_average),
        previous_accepted=f.previous_accepted,
        year_on_year=_float(f.year_on_year),
        year_on_year_change=_float(f.year_on_year_change),
        completed=f.counts.completed,
        one_trip=f.counts.one_trip,
        one_trip_rate=_float(f.counts.one_trip_rate),
        overdue=f.counts.overdue,
        overdue_rate=_float(f.counts.overdue_rate),
        open_overdue=f.open_overdue,
        daily=[DayOut(date=d, accepted=n) for d, n in f.daily],
        departments=[
            DepartmentFiguresOut(
                department_id=d.department_id,
                name=d.name,
                accepted=d.counts.accepted,
                previous_accepted=d.previous_accepted,
                year_on_year=_float(d.year_on_year),
                year_on_year_change=_float(d.year_on_year_change),
                rejected=d.counts.rejected,
                completed=d.counts.completed,
                one_trip_rate=_float(d.counts.one_trip_rate),
                overdue_rate=_float(d.counts.overdue_rate),
            )
            for d in f.departments
        ],
        windows=[
            WindowRankOut(**{**w.__dict__, "daily_average": float(w.daily_average)})
            for w in f.windows
        ],
    )


@router.get("/imports/{int:job_id}", response=ImportJobOut, summary="历史办件导入进度")
def import_progress(request, job_id: int):
    job = get_object_or_404(selectors.import_jobs_visible_to(request.user), pk=job_id)
    return ImportJobOut(
        id=job.pk,
        filename=job.filename,
        status=job.status,
        status_label=job.get_status_display(),
        total_rows=job.total_rows,
        processed_rows=job.processed_rows,
        percent=job.percent,
        created=job.created,
        error_count=job.error_count,
        errors=job.errors,
        message=job.message,
    )


@router.get("/{int:case_id}", response=CaseDetailOut, summary="受理件详情（含办件记录与到访）")
def get_case(request, case_id: int):
    return case_detail_out(_visible_case(request, case_id), request.user)


@router.post("/", response={201: CaseDetailOut}, summary="窗口受理")
def accept(request, payload: AcceptIn):
    data = payload.dict()
    case = services.accept_case(
        actor=request.user,
        ticket=_find(Ticket, data.pop("ticket_id"), "排队号", "ticket_id"),
        matter=_find(Matter, data.pop("matter_id"), "事项", "matter_id"),
        window=_find(Window, data.pop("window_id"), "窗口", "window_id"),
        **data,
    )
    return Status(201, case_detail_out(case, request.user))


@router.post("/online", response={201: CaseDetailOut}, summary="网上申请受理")
def accept_online(request, payload: OnlineAcceptIn):
    data = payload.dict()
    case = services.accept_online_case(
        actor=request.user,
        matter=_find(Matter, data.pop("matter_id"), "事项", "matter_id"),
        center=_find(Center, data.pop("center_id"), "中心", "center_id"),
        **data,
    )
    return Status(201, case_detail_out(case, request.user))


def _act(request, case_id: int, service, **kwargs) -> dict:
    case = service(actor=request.user, case=_visible_case(request, case_id), **kwargs)
    case = selectors.cases_visible_to(request.user).get(pk=case.pk)
    return case_detail_out(case, request.user)


@router.post("/{int:case_id}/supplement", response=CaseDetailOut, summary="通知补正")
def supplement(request, case_id: int, payload: CaseNoteIn):
    return _act(request, case_id, services.request_supplement, note=payload.note)


@router.post("/{int:case_id}/resume", response=CaseDetailOut, summary="补正材料齐全")
def resume(request, case_id: int, payload: CaseNoteIn):
    return _act(request, case_id, services.resume_case, note=payload.note)


@router.post("/{int:case_id}/complete", response=CaseDetailOut, summary="办结")
def complete(request, case_id: int, payload: CaseNoteIn):
    return _act(request, case_id, services.complete_case, note=payload.note)


@router.post("/{int:case_id}/reject", response=CaseDetailOut, summary="不予受理")
def reject(request, case_id: int, payload: CaseReasonIn):
    return _act(request, case_id, services.reject_case, reason=payload.reason)


@router.post("/{int:case_id}/return", response=CaseDetailOut, summary="退件")
def return_(request, case_id: int, payload: CaseReasonIn):
    return _act(request, case_id, services.return_case, reason=payload.reason)


@router.post("/{int:case_id}/visits", response={201: CaseDetailOut}, summary="登记到访")
def visit(request, case_id: int, payload: VisitIn):
    case = _visible_case(request, case_id)
    ticket = _find(Ticket, payload.ticket_id, "排队号", "ticket_id")
    services.record_visit(actor=request.user, case=case, ticket=ticket, note=payload.note)
    case = selectors.cases_visible_to(request.user).get(pk=case.pk)
    return Status(201, case_detail_out(case, request.user))
