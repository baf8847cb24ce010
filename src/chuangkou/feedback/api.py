"""好差评 API: public rating endpoints (signed pad token, ticket token) and the staff endpoints
for entries, rectifications, satisfaction figures and surveys."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from chuangkou.cases.models import Case
from chuangkou.core.errors import DomainError
from chuangkou.core.masking import mask_phone
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.hall.models import Ticket
from chuangkou.org.models import Region

from . import permissions, selectors, services
from .filters import EvaluationFilter, RectificationFilter
from .models import Evaluation, Rectification, Survey
from .pad import open_pad
from .schemas import (
    AppealIn,
    CallbackNoteIn,
    DecisionIn,
    EstimateOut,
    GroupFiguresOut,
    InterviewIn,
    LevelCountOut,
    PadRatingIn,
    PadStateOut,
    PhoneRatingIn,
    PhoneStateOut,
    RatingOut,
    RectificationDetailOut,
    RectificationEventOut,
    RectificationOut,
    ReplyIn,
    SampleOut,
    SatisfactionOut,
    StaffRatingIn,
    StratumOut,
    SurveyIn,
    SurveyOut,
    SurveyReportOut,
    UnrectifiableReasonIn,
)

router = Router(tags=["好差评"])


def rating_out(evaluation: Evaluation) -> RatingOut:
    rectification = getattr(evaluation, "rectification", None)
    return RatingOut(
        id=evaluation.pk,
        level=evaluation.level,
        level_label=evaluation.get_level_display(),
        channel=evaluation.channel,
        follow_up=evaluation.is_follow_up,
        rectification_id=rectification.pk if rectification else None,
    )


# Public: the pad and the ticket's phone page ---------------------------------------------------


@router.get("/pad/{window_id}/current", auth=None, response=PadStateOut, summary="评价器当前状态")
def pad_state(request, window_id: int, token: str = ""):
    pad = open_pad(window_id=window_id, token=token)
    ticket = selectors.pad_subject(window_id=pad.window.pk)
    return PadStateOut(
        window_number=pad.window.number,
        staff_name=pad.staff.name,
        ticket_number=ticket.number if ticket else None,
    )


@router.post("/pad/{window_id}/ratings", auth=None, response={201: RatingOut}, summary="评价器评价")
def pad_rate(request, window_id: int, payload: PadRatingIn):
    pad = open_pad(window_id=window_id, token=payload.token)
    evaluation = services.rate_on_pad(
        pad=pad, level=payload.level, comment=payload.comment, contact_phone=payload.contact_phone
    )
    return Status(201, rating_out(evaluation))


def _ticket(token) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("window", "window__department", "queue"),
        public_token=token,
    )


@router.get(
    "/tickets/{uuid:token}/rating", auth=None, response=PhoneStateOut, summary="手机评价状态"
)
def phone_state(request, token):
    ticket = _ticket(token)
    state = selectors.phone_rating(ticket)
    latest = state.follow_up or state.first
    return PhoneStateOut(
        ticket_number=ticket.number,
        service_date=ticket.service_date,
        window_number=ticket.window.number if ticket.window else None,
        department=ticket.window.department.name if ticket.window else None,
        finished=ticket.status == Ticket.Status.DONE,
        can_rate=state.can_rate and ticket.status == Ticket.Status.DONE,
        can_follow_up=state.can_follow_up,
        level=latest.level if latest else None,
    )


@router.post(
    "/tickets/{uuid:token}/ratings", auth=None, response={201: RatingOut}, summary="手机评价或追评"
)
def phone_rate(request, token, payload: PhoneRatingIn):
    evaluation = services.rate_by_phone(
        ticket=_ticket(token),
        level=payload.level,
        comment=payload.comment,
        follow_up=payload.follow_up,
        contact_phone=payload.contact_phone,
    )
    return Status(201, rating_out(evaluation))


# Staff: entries ----------------------------------------------------------------------------------


def _found(model, pk, field: str, label: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise DomainError(f"{label}编号 {pk} 不存在。", field=field)
    return found


@router.post("/ratings", response={201: RatingOut}, summary="录入短信/热线/网上评价")
def enter_rating(request, payload: StaffRatingIn):
    require_role(request.user, *permissions.ENTRY_ROLES)
    evaluation = services.rate(
        actor=request.user,
        channel=payload.channel,
        level=payload.level,
        case=_found(Case, payload.case_id, "case_id", "受理件"),
        ticket=_found(Ticket, payload.ticket_id, "ticket_id", "排队号"),
        follow_up_of=_found(Evaluation, payload.follow_up_of_id, "follow_up_of_id", "评价"),
        comment=payload.comment,
        contact_phone=payload.contact_phone,
        at=payload.at,
    )
    return Status(201, rating_out(evaluation))


# Staff: satisfaction figures ---------------------------------------------------------------------


def figures(data: selectors.Satisfaction) -> dict:
    return {
        "total": data.total,
        "satisfied": data.satisfied,
        "bad": data.bad,
        "rate_percent": float(data.rate) if data.rate is not None else None,
        "bad_share_percent": float(data.bad_share) if data.bad_share is not None else None,
        "levels": [LevelCountOut(level=lv, label=label, count=n) for lv, label, n in data.levels],
    }


@router.get("/satisfaction", response=SatisfactionOut, summary="满意率与差评率")
def satisfaction(
    request,
    filters: Query[EvaluationFilter],
    by: str = Query("department", pattern="^(department|window|staff|channel)$"),
):
    require_role(request.user, *permissions.FIGURE_ROLES)
    rows = selectors.satisfaction_by(user=request.user, filters=filters, by=by)
    total = selectors.total_of(rows)
    return SatisfactionOut(
        formula=selectors.SATISFACTION_FORMULA,
        by=[GroupFiguresOut(key=r.key, label=r.label, **figures(r.figures)) for r in rows],
        **figures(total),
    )


# Staff: rectifications ---------------------------------------------------------------------------


def rectification_out(rect: Rectification, *, full_phone: bool = False) -> dict:
    evaluation = rect.evaluation
    phone = selectors.citizen_phone(evaluation)
    state = getattr(rect, "current_state", rect.state)
    return {
        "id": rect.pk,
        "state": state,
        "state_label": Rectification.State(state).label,
        "subject": evaluation.subject_label,
        "department": evaluation.department.name if evaluation.department else None,
        "window_number": evaluation.window.number if evaluation.window else None,
        "staff_name": evaluation.staff.name if evaluation.staff else None,
        "level": evaluation.level,
        "level_label": evaluation.get_level_display(),
        "comment": evaluation.comment,
        "channel": evaluation.channel,
        "rated_at": evaluation.created_at,
        "callback_due": rect.callback_due,
        "reply_due": rect.reply_due,
        "callback_at": rect.callback_at,
        "rectified_at": rect.rectified_at,
        "citizen_phone": phone if full_phone else mask_phone(phone),
    }


@router.get("/rectifications", response=list[RectificationOut], summary="差评整改列表")
@paginate(Pages, page_size=50)
def list_rectifications(request, filters: Query[RectificationFilter]):
    require_role(request.user, *permissions.HANDLER_ROLES)
    qs = selectors.rectification_list(user=request.user, filters=filters)
    return MappedQuerySet(qs, lambda r: RectificationOut(**rectification_out(r)))


def _visible_rectification(request, pk: int) -> Rectification:
    require_role(request.user, *permissions.HANDLER_ROLES)
    return get_object_or_404(selectors.rectifications_visible_to(request.user), pk=pk)


def _detail(request, pk: int) -> RectificationDetailOut:
    rect = _visible_rectification(request, pk)
    events = [
        RectificationEventOut(
            at=e.at,
            actor=str(e.actor) if e.actor else "系统",
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            note=e.note,
        )
        for e in rect.events.select_related("actor")
    ]
    return RectificationDetailOut(
        **rectification_out(rect, full_phone=permissions.can_handle(request.user, rect)),
        callback_note=rect.callback_note,
        reply=rect.reply,
        appeal_kind=rect.appeal_kind,
        appeal_reason=rect.appeal_reason,
        appeal_decision=rect.appeal_decision,
        decision_note=rect.decision_note,
        events=events,
    )


@router.get("/rectifications/{pk}", response=RectificationDetailOut, summary="差评整改详情")
def get_rectification(request, pk: int):
    return _detail(request, pk)


@router.post("/rectifications/{pk}/callback", response=RectificationDetailOut, summary="登记回访")
def callback(request, pk: int, payload: CallbackNoteIn):
    rect = _visible_rectification(request, pk)
    services.record_callback(actor=request.user, rectification=rect, note=payload.note)
    return _detail(request, pk)


@router.post("/rectifications/{pk}/rectify", response=RectificationDetailOut, summary="登记整改")
def rectify(request, pk: int, payload: ReplyIn):
    rect = _visible_rectification(request, pk)
    services.record_rectification(actor=request.user, rectification=rect, reply=payload.reply)
    return _detail(request, pk)


@router.post(
    "/rectifications/{pk}/unrectifiable", response=RectificationDetailOut, summary="无法整改"
)
def unrectifiable(request, pk: int, payload: UnrectifiableReasonIn):
    rect = _visible_rectification(request, pk)
    services.mark_unrectifiable(actor=request.user, rectification=rect, reason=payload.reason)
    return _detail(request, pk)


@router.post("/rectifications/{pk}/appeal", response=RectificationDetailOut, summary="申诉")
def appeal(request, pk: int, payload: AppealIn):
    rect = _visible_rectification(request, pk)
    services.appeal(
        actor=request.user, rectification=rect, kind=payload.kind, reason=payload.reason
    )
    return _detail(request, pk)


@router.post("/rectifications/{pk}/decision", response=RectificationDetailOut, summary="审核申诉")
def decide(request, pk: int, payload: DecisionIn):
    rect = _visible_rectification(request, pk)
    services.decide_appeal(
        actor=request.user, rectification=rect, decision=payload.decision, note=payload.note
    )
    return _detail(request, pk)


# Staff: surveys ----------------------------------------------------------------------------------


def survey_out(survey: Survey) -> SurveyOut:
    return SurveyOut(
        id=survey.pk,
        name=survey.name,
        region=str(survey.region),
        period_start=survey.period_start,
        period_end=survey.period_end,
        seed=survey.seed,
        sample_size=survey.sample_size,
        drawn=survey.samples.count(),
    )


def _survey(request, pk: int) -> Survey:
    require_role(request.user, *permissions.SURVEY_ROLES)
    return get_object_or_404(selectors.surveys_visible_to(request.user), pk=pk)


@router.get("/surveys", response=list[SurveyOut], summary="抽样调查")
def list_surveys(request):
    require_role(request.user, *permissions.SURVEY_ROLES)
    return [survey_out(s) for s in selectors.surveys_visible_to(request.user)]


@router.post("/surveys", response={201: SurveyOut}, summary="抽样")
def draw(request, payload: SurveyIn):
    require_role(request.user, *permissions.SURVEY_ROLES)
    region = _found(Region, payload.region_id, "region_id", "区县")
    survey = services.draw_sample(
        actor=request.user,
        region=region,
        name=payload.name,
        period_start=payload.period_start,
        period_end=payload.period_end,
        sample_size=payload.sample_size,
        seed=payload.seed,
    )
    return Status(201, survey_out(survey))


@router.get("/surveys/{pk}/samples", response=list[SampleOut], summary="样本与回访结果")
@paginate(Pages, page_size=100)
def list_samples(request, pk: int, status: str = ""):
    survey = _survey(request, pk)
    return MappedQuerySet(
        selectors.samples_of(survey, status=status),
        lambda s: SampleOut(
            id=s.pk,
            case_number=s.case.number,
            department=s.stratum.department.name,
            reached=s.reached,
            visits_reported=s.visits_reported,
            satisfied=s.satisfied,
        ),
    )


@router.post(
    "/surveys/{pk}/samples/{sample_id}/interview", response=SampleOut, summary="登记电话回访"
)
def interview(request, pk: int, sample_id: int, payload: InterviewIn):
    survey = _survey(request, pk)
    sample = get_object_or_404(
        survey.samples.select_related("case", "stratum__department"), pk=sample_id
    )
    sample = services.record_interview(actor=request.user, sample=sample, **payload.dict())
    return SampleOut(
        id=sample.pk,
        case_number=sample.case.number,
        department=sample.stratum.department.name,
        reached=sample.reached,
        visits_reported=sample.visits_reported,
        satisfied=sample.satisfied,
    )


def estimate_out(estimate) -> EstimateOut:
    return EstimateOut(
        rate_percent=estimate.percent,
        ci_low_percent=estimate.low_percent,
        ci_high_percent=estimate.high_percent,
        respondents=estimate.respondents,
        effective_size=round(estimate.effective_size, 1),
    )


@router.get("/surveys/{pk}/report", response=SurveyReportOut, summary="抽样调查报告")
def survey_report(request, pk: int):
    report = selectors.survey_report(_survey(request, pk))
    return SurveyReportOut(
        survey=survey_out(report.survey),
        formula=selectors.SURVEY_FORMULA,
        strata=[StratumOut(**vars(row)) for row in report.strata],
        realization=estimate_out(report.realization),
        satisfaction=estimate_out(report.satisfaction),
        previous_survey_id=report.previous.survey.pk if report.previous else None,
        realization_change_points=report.realization_change,
        satisfaction_change_points=report.satisfaction_change,
    )
