"""能力提升 API: events (plan, sign up, check in, feedback), hours, suggestions."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.core.schema_types import DbId
from chuangkou.org.models import BusinessCategory, Department, Staff

from . import permissions, selectors, services
from .filters import EventFilter, HoursFilter, SuggestionFilter
from .models import Attendance, Suggestion, TrainingEvent
from .schemas import (
    SuggestionIn,
    SuggestionOut,
    TrainingAttendanceOut,
    TrainingCheckinIn,
    TrainingEventIn,
    TrainingEventOut,
    TrainingFeedbackIn,
    TrainingFeedbackOut,
    TrainingHoursOut,
)

router = Router(tags=["能力提升"])


def event_out(e: TrainingEvent) -> TrainingEventOut:
    return TrainingEventOut(
        id=e.pk,
        title=e.title,
        kind=e.kind,
        kind_label=e.get_kind_display(),
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        place=e.place,
        speaker=e.speaker,
        hours=e.hours,
        capacity=e.capacity,
        audience=selectors.audience_label(e),
    )


def attendance_out(a: Attendance, new: bool = False) -> TrainingAttendanceOut:
    return TrainingAttendanceOut(
        event_id=a.event_id,
        status=a.status,
        status_label=a.get_status_display(),
        checked_in_at=a.checked_in_at,
        new=new,
    )


def suggestion_out(s: Suggestion) -> SuggestionOut:
    return SuggestionOut(
        id=s.pk,
        aspect=s.aspect,
        aspect_label=s.get_aspect_display(),
        title=s.title,
        content=s.content,
        status=s.status,
        status_label=s.get_status_display(),
        author=s.author.name,
        answer=s.answer,
        decision_reason=s.decision_reason,
        problem_id=s.problem_id,
        created_at=s.created_at,
    )


def _all(model, ids: list[int], field: str, what: str) -> list:
    rows = list(model.objects.filter(pk__in=ids))
    if len(rows) != len(set(ids)):
        raise DomainError(f"{what}不存在。", field=field)
    return rows


def _event(request, event_id: int) -> TrainingEvent:
    require_role(request.user, *permissions.READER_ROLES)
    return get_object_or_404(selectors.events_visible_to(request.user), pk=event_id)


@router.get("/events", response=list[TrainingEventOut], summary="培训活动列表")
@paginate(Pages, page_size=50)
def list_events(request, filters: Query[EventFilter]):
    require_role(request.user, *permissions.READER_ROLES)
    return MappedQuerySet(selectors.event_list(user=request.user, filters=filters), event_out)


@router.post("/events", response={201: TrainingEventOut}, summary="安排培训")
def create_event(request, payload: TrainingEventIn):
    data = payload.dict()
    event = services.create_event(
        actor=request.user,
        departments=_all(Department, data.pop("department_ids"), "department_ids", "部门"),
        categories=_all(BusinessCategory, data.pop("category_ids"), "category_ids", "业务类别"),
        invitees=_all(Staff, data.pop("invitee_ids"), "invitee_ids", "人员"),
        **data,
    )
    return Status(201, event_out(event))


@router.get("/events/{event_id}", response=TrainingEventOut, summary="培训详情")
def get_event(request, event_id: DbId):
    return event_out(_event(request, event_id))


@router.post("/events/{event_id}/signup", response={201: TrainingAttendanceOut}, summary="报名")
def sign_up(request, event_id: DbId):
    event = _event(request, event_id)
    return Status(201, attendance_out(services.sign_up(actor=request.user, event=event)))


@router.post("/checkin", response=TrainingAttendanceOut, summary="扫码签到")
def check_in(request, payload: TrainingCheckinIn):
    attendance, new = services.check_in(actor=request.user, token=payload.token)
    return attendance_out(attendance, new)


@router.post("/events/{event_id}/feedback", response={201: TrainingFeedbackOut}, summary="课后评价")
def feedback(request, event_id: DbId, payload: TrainingFeedbackIn):
    event = _event(request, event_id)
    services.submit_feedback(actor=request.user, event=event, **payload.dict())
    return Status(201, TrainingFeedbackOut(**selectors.feedback_average(event)))


@router.get("/hours", response=list[TrainingHoursOut], summary="培训学时（按人员）")
def hours(request, filters: Query[HoursFilter]):
    require_role(request.user, *permissions.HOURS_ROLES)
    rows = selectors.hours_by_person(
        user=request.user, start=filters.start, end=filters.end, department=filters.department
    )
    return [TrainingHoursOut(**vars(r)) for r in rows]


@router.get("/suggestions", response=list[SuggestionOut], summary="员工建议列表")
@paginate(Pages, page_size=50)
def list_suggestions(request, filters: Query[SuggestionFilter]):
    require_role(request.user, *permissions.SUGGESTION_READER_ROLES)
    rows = selectors.suggestion_list(user=request.user, filters=filters)
    return MappedQuerySet(rows, suggestion_out)


@router.post("/suggestions", response={201: SuggestionOut}, summary="提建议")
def file_suggestion(request, payload: SuggestionIn):
    suggestion = services.file_suggestion(actor=request.user, **payload.dict())
    return Status(201, suggestion_out(suggestion))
