"""能力提升 API: events (plan, sign up, check in, feedback), hours, needs, courseware, the
大 PK (state, scores, votes, results, selection), the handbook, suggestions and their handling."""

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from chuangkou.core import uploads
from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.core.schema_types import DbId
from chuangkou.org.models import BusinessCategory, Department, Staff

from . import permissions, selectors, services
from .filters import CoursewareFilter, EventFilter, HoursFilter, SuggestionFilter
from .models import Attendance, Courseware, PkContest, Suggestion, TrainingEvent
from .schemas import (
    SuggestionAnswerIn,
    SuggestionAssignIn,
    SuggestionDecisionIn,
    SuggestionIn,
    SuggestionOut,
    SuggestionProblemIn,
    SuggestionProblemOut,
    TrainingAttendanceOut,
    TrainingCheckinIn,
    TrainingCoursewareIn,
    TrainingCoursewareOut,
    TrainingEventIn,
    TrainingEventOut,
    TrainingFeedbackIn,
    TrainingFeedbackOut,
    TrainingHandbookQuery,
    TrainingHoursOut,
    TrainingNeedOut,
    TrainingPkCriterionOut,
    TrainingPkOut,
    TrainingPkResultOut,
    TrainingPkScoreIn,
    TrainingPkScoreOut,
    TrainingPkSelectIn,
    TrainingPkStateIn,
    TrainingPkVoteIn,
    TrainingPkVoteOut,
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


# 课件 -------------------------------------------------------------------------------------------


def courseware_out(c: Courseware) -> TrainingCoursewareOut:
    return TrainingCoursewareOut(
        id=c.pk,
        title=c.title,
        domain=c.domain,
        speaker=c.speaker,
        summary=c.summary,
        key_points=c.points,
        year=c.year,
        event_id=c.event_id,
        original_name=c.original_name,
        content_type=c.content_type,
        size=c.size,
        selected=c.selected,
        created_at=c.created_at,
    )


@router.get("/courseware", response=list[TrainingCoursewareOut], summary="课件列表")
@paginate(Pages, page_size=50)
def list_courseware(request, filters: Query[CoursewareFilter]):
    require_role(request.user, *permissions.READER_ROLES)
    return MappedQuerySet(
        filters.filter(selectors.courseware_visible_to(request.user)), courseware_out
    )


@router.post(
    "/courseware",
    response={201: TrainingCoursewareOut},
    summary="上传课件（multipart，字段 file：PDF/PPTX/DOCX，≤ 50 MB）",
)
def upload_courseware(
    request, payload: Form[TrainingCoursewareIn], file: File[UploadedFile] = None
):
    require_role(request.user, *permissions.STAFF_ROLES)
    data = payload.dict()
    event_id = data.pop("event_id")
    event = None
    if event_id is not None:
        event = selectors.events_visible_to(request.user).filter(pk=event_id).first()
        if event is None:
            raise DomainError("所属培训不存在。", field="event_id")
    courseware = services.upload_courseware(actor=request.user, file=file, event=event, **data)
    return Status(201, courseware_out(courseware))


@router.get("/courseware/{courseware_id}", response=TrainingCoursewareOut, summary="课件详情")
def get_courseware(request, courseware_id: DbId):
    require_role(request.user, *permissions.READER_ROLES)
    return courseware_out(
        get_object_or_404(selectors.courseware_visible_to(request.user), pk=courseware_id)
    )


@router.get(
    "/handbook",
    summary="课件汇编（docx，中心管理员）",
    openapi_extra={
        "responses": {
            200: {
                "description": "课件汇编 Word 文档",
                "content": {uploads.DOCX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def handbook(request, query: Query[TrainingHandbookQuery]):
    data = services.compile_handbook(actor=request.user, year=query.year)
    response = HttpResponse(data, content_type=uploads.DOCX)
    response["Content-Disposition"] = f'attachment; filename="handbook-{query.year}.docx"'
    return response


@router.get("/needs", response=list[TrainingNeedOut], summary="培训需求（按部门的薄弱知识点）")
def needs(request):
    require_role(request.user, *permissions.NEEDS_ROLES)
    return [TrainingNeedOut(**vars(n)) for n in selectors.training_needs(user=request.user)]


# 业务讲堂大 PK ------------------------------------------------------------------------------------


def _contest(request, contest_id: int) -> PkContest:
    require_role(request.user, *permissions.PK_ROLES)
    return get_object_or_404(PkContest, pk=contest_id)


def pk_out(request, c: PkContest) -> TrainingPkOut:
    staff = Staff.objects.filter(user=request.user).first()
    return TrainingPkOut(
        id=c.pk,
        name=c.name,
        year=c.year,
        status=c.status,
        status_label=c.get_status_display(),
        criteria=[TrainingPkCriterionOut(name=n, max=m) for n, m in c.criteria],
        vote_weight=c.vote_weight,
        entry_ids=sorted(c.entries.values_list("pk", flat=True)),
        opened_at=c.opened_at,
        closed_at=c.closed_at,
        judge=c.panel.filter(pk=request.user.pk).exists(),
        voted=bool(staff and c.votes.filter(voter=staff).exists()),
    )


def _pk_entry(contest: PkContest, courseware_id: int) -> Courseware:
    courseware = contest.entries.filter(pk=courseware_id).first()
    if courseware is None:
        raise DomainError("该课件不在本次大 PK 中。", field="courseware_id", status=404)
    return courseware


@router.get("/pk", response=list[TrainingPkOut], summary="业务讲堂大 PK 列表")
def list_pk(request):
    require_role(request.user, *permissions.PK_ROLES)
    return [pk_out(request, c) for c in PkContest.objects.all()[:50]]


@router.get("/pk/{contest_id}", response=TrainingPkOut, summary="大 PK 状态")
def get_pk(request, contest_id: DbId):
    return pk_out(request, _contest(request, contest_id))


@router.post("/pk/{contest_id}/state", response=TrainingPkOut, summary="开始 / 结束评分投票")
def set_pk_state(request, contest_id: DbId, payload: TrainingPkStateIn):
    contest = _contest(request, contest_id)
    change = services.open_pk if payload.status == "open" else services.close_pk
    return pk_out(request, change(actor=request.user, contest=contest))


@router.post("/pk/{contest_id}/scores", response=TrainingPkScoreOut, summary="评委打分")
def score_pk(request, contest_id: DbId, payload: TrainingPkScoreIn):
    contest = _contest(request, contest_id)
    score = services.score_entry(
        actor=request.user,
        contest=contest,
        courseware=_pk_entry(contest, payload.courseware_id),
        points=payload.points,
    )
    return TrainingPkScoreOut(
        courseware_id=score.courseware_id, points=score.points, total=score.total
    )


@router.post(
    "/pk/{contest_id}/votes", response={201: TrainingPkVoteOut}, summary="员工投票（每人一票）"
)
def vote_pk(request, contest_id: DbId, payload: TrainingPkVoteIn):
    contest = _contest(request, contest_id)
    vote = services.vote_entry(
        actor=request.user, contest=contest, courseware=_pk_entry(contest, payload.courseware_id)
    )
    return Status(201, TrainingPkVoteOut(courseware_id=vote.courseware_id))


@router.get("/pk/{contest_id}/results", response=list[TrainingPkResultOut], summary="大 PK 结果")
def pk_results(request, contest_id: DbId):
    contest = _contest(request, contest_id)
    if not selectors.pk_results_visible(request.user, contest):
        raise DomainError("结果将在本次大 PK 结束后公布。", status=409)
    return [
        TrainingPkResultOut(
            rank=s.rank,
            courseware_id=s.courseware.pk,
            title=s.courseware.title,
            domain=s.courseware.domain,
            speaker=s.courseware.speaker,
            judges=s.judges,
            by_criterion=list(s.by_criterion),
            average=s.average,
            review=s.review,
            votes=s.votes,
            final=s.final,
            selected=s.courseware.selected,
        )
        for s in selectors.pk_standings(contest)
    ]


@router.post(
    "/pk/{contest_id}/selection",
    response=list[TrainingCoursewareOut],
    summary="确定汇编课件（大 PK 结束后）",
)
def select_pk(request, contest_id: DbId, payload: TrainingPkSelectIn):
    contest = _contest(request, contest_id)
    entries = list(Courseware.objects.filter(pk__in=payload.courseware_ids))
    if len(entries) != len(set(payload.courseware_ids)):
        raise DomainError("所选课件不存在。", field="courseware_ids")
    chosen = services.select_pk_entries(actor=request.user, contest=contest, entries=entries)
    return [courseware_out(c) for c in chosen]


# 建议处理 ---------------------------------------------------------------------------------------


def _suggestion(request, suggestion_id: int) -> Suggestion:
    require_role(request.user, *permissions.SUGGESTION_READER_ROLES)
    return get_object_or_404(selectors.suggestions_visible_to(request.user), pk=suggestion_id)


@router.get("/suggestions/{suggestion_id}", response=SuggestionOut, summary="建议详情")
def get_suggestion(request, suggestion_id: DbId):
    return suggestion_out(_suggestion(request, suggestion_id))


@router.post("/suggestions/{suggestion_id}/assign", response=SuggestionOut, summary="交办")
def assign_suggestion(request, suggestion_id: DbId, payload: SuggestionAssignIn):
    suggestion = _suggestion(request, suggestion_id)
    assignee = get_user_model().objects.filter(pk=payload.assignee_id, is_active=True).first()
    if assignee is None:
        require_role(request.user, *permissions.SUGGESTION_ADMIN_ROLES)
        raise DomainError("承办人不存在。", field="assignee_id")
    done = services.assign_suggestion(actor=request.user, suggestion=suggestion, assignee=assignee)
    return suggestion_out(done)


@router.post("/suggestions/{suggestion_id}/answer", response=SuggestionOut, summary="答复")
def answer_suggestion(request, suggestion_id: DbId, payload: SuggestionAnswerIn):
    suggestion = _suggestion(request, suggestion_id)
    done = services.answer_suggestion(
        actor=request.user, suggestion=suggestion, answer=payload.answer
    )
    return suggestion_out(done)


@router.post(
    "/suggestions/{suggestion_id}/decision",
    response=SuggestionOut,
    summary="采纳 / 不采纳（附理由）",
)
def decide_suggestion(request, suggestion_id: DbId, payload: SuggestionDecisionIn):
    suggestion = _suggestion(request, suggestion_id)
    done = services.decide_suggestion(
        actor=request.user, suggestion=suggestion, adopted=payload.adopted, reason=payload.reason
    )
    return suggestion_out(done)


@router.post(
    "/suggestions/{suggestion_id}/problem",
    response={201: SuggestionProblemOut},
    summary="转为督查问题",
)
def suggestion_to_problem(request, suggestion_id: DbId, payload: SuggestionProblemIn):
    suggestion = _suggestion(request, suggestion_id)
    owner = Department.objects.filter(pk=payload.owner_id).first()
    if owner is None:
        require_role(request.user, *permissions.SUGGESTION_ADMIN_ROLES)
        raise DomainError("责任部门不存在。", field="owner_id")
    problem = services.suggestion_to_problem(
        actor=request.user, suggestion=suggestion, kind=payload.kind, owner=owner
    )
    return Status(201, SuggestionProblemOut(suggestion_id=suggestion.pk, problem_id=problem.pk))
