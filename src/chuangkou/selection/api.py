"""竞聘上岗 API: schema in → service/selector → schema out; nothing else."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role
from chuangkou.org.models import Staff

from . import permissions, selectors, services
from .filters import CandidateFilter, CompetitionFilter, ObjectionFilter
from .models import Candidate, Competition, Objection
from .schemas import (
    BudgetOut,
    BudgetRowOut,
    CandidateOut,
    CompetitionDetailOut,
    CompetitionIn,
    CompetitionOut,
    CompetitionPatch,
    ImportOut,
    JudgeOut,
    JudgeSheetRowOut,
    JudgesIn,
    NoticeOut,
    NoticeRowOut,
    ObjectionHandleIn,
    ObjectionIn,
    ObjectionOut,
    PublishIn,
    RankingOut,
    RankingRowOut,
    RegisterIn,
    SelectionReasonIn,
    SelectionScoreIn,
    TieIn,
    TieOut,
    TierIn,
    TierOut,
)

router = Router(tags=["竞聘上岗"])


# --- mapping -------------------------------------------------------------------------------


def competition_out(c: Competition) -> CompetitionOut:
    return CompetitionOut(
        id=c.pk,
        name=c.name,
        year=c.year,
        status=c.status,
        status_label=c.get_status_display(),
        budget=c.budget,
        written_weight=c.written_weight,
        interview_weight=c.interview_weight,
        pass_line=c.pass_line,
        allowed_employment_types=c.allowed_employment_types,
        min_service_years=c.min_service_years,
        service_reference_date=c.service_reference_date,
        notice_days=c.notice_days,
        exam_id=c.exam_id,
        notice_start=c.notice_start,
        notice_end=c.notice_end,
    )


def budget_out(report: selectors.BudgetReport) -> BudgetOut:
    return BudgetOut(
        budget=report.budget,
        total=report.total,
        overrun=report.overrun,
        full_cost=report.full_cost,
        rows=[
            BudgetRowOut(
                name=r.name,
                quota=r.quota,
                placed=r.placed,
                annual_amount=r.annual_amount,
                subtotal=r.subtotal,
            )
            for r in report.rows
        ],
    )


def detail_out(c: Competition) -> CompetitionDetailOut:
    return CompetitionDetailOut(
        **competition_out(c).dict(),
        tiers=[
            TierOut(
                id=t.pk,
                rank_order=t.rank_order,
                name=t.name,
                quota=t.quota,
                annual_amount=t.annual_amount,
            )
            for t in c.tiers.all()
        ],
        judges=[
            JudgeOut(id=j.pk, seat=j.seat, user_id=j.user_id, name=str(j.user), scored=j.scored)
            for j in selectors.judges_of(c)
        ],
        candidates=c.candidates.count(),
        budget_report=budget_out(selectors.budget_report(c)),
    )


def candidate_out(c: Candidate) -> CandidateOut:
    staff = c.staff
    return CandidateOut(
        id=c.pk,
        staff_id=staff.pk,
        staff_no=staff.staff_no,
        name=staff.name,
        department=staff.department.name,
        employment_type=staff.employment_type,
        hire_date=staff.hire_date,
        service_years=c.service_years,
        status=c.status,
        written_score=c.written_score,
        interview_score=c.interview_score,
        final_score=c.final_score,
        rank=c.rank,
        tier=c.tier.name if c.tier_id else None,
        outcome=c.outcome,
        scored=getattr(c, "scored", 0),
    )


def objection_out(o: Objection) -> ObjectionOut:
    return ObjectionOut(
        id=o.pk,
        candidate_id=o.candidate_id,
        candidate_name=o.candidate.staff.name if o.candidate_id else None,
        submitted_by=str(o.submitted_by),
        submitted_at=o.submitted_at,
        text=o.text,
        status=o.status,
        reply=o.reply,
    )


# --- lookups -------------------------------------------------------------------------------


def _managed(request, competition_id: int) -> Competition:
    permissions.require_manager(request.user)
    return get_object_or_404(selectors.competitions_visible_to(request.user), pk=competition_id)


def _managed_candidate(request, candidate_id: int) -> Candidate:
    permissions.require_manager(request.user)
    return get_object_or_404(Candidate.objects.select_related("competition"), pk=candidate_id)


# --- competitions --------------------------------------------------------------------------


@router.get("/competitions", response=list[CompetitionOut], summary="竞聘列表")
@paginate(Pages, page_size=50)
def list_competitions(request, filters: Query[CompetitionFilter]):
    permissions.require_manager(request.user)
    return MappedQuerySet(
        selectors.competition_list(user=request.user, filters=filters), competition_out
    )


@router.post("/competitions", response={201: CompetitionDetailOut}, summary="新建竞聘")
def create_competition(request, payload: CompetitionIn):
    competition = services.create_competition(actor=request.user, **payload.dict())
    return Status(201, detail_out(competition))


@router.get("/competitions/{competition_id}", response=CompetitionDetailOut, summary="竞聘详情")
def get_competition(request, competition_id: int):
    return detail_out(_managed(request, competition_id))


@router.patch(
    "/competitions/{competition_id}", response=CompetitionDetailOut, summary="修改竞聘设置"
)
def update_competition(request, competition_id: int, payload: CompetitionPatch):
    competition = services.update_competition(
        actor=request.user,
        competition=_managed(request, competition_id),
        changes=payload.dict(exclude_unset=True),
    )
    return detail_out(competition)


@router.put(
    "/competitions/{competition_id}/tiers", response=CompetitionDetailOut, summary="设置档次"
)
def set_tiers(request, competition_id: int, payload: list[TierIn]):
    competition = _managed(request, competition_id)
    services.set_tiers(
        actor=request.user, competition=competition, tiers=[t.dict() for t in payload]
    )
    return detail_out(competition)


@router.put(
    "/competitions/{competition_id}/judges", response=CompetitionDetailOut, summary="组建评委"
)
def set_judges(request, competition_id: int, payload: JudgesIn):
    competition = _managed(request, competition_id)
    users = get_user_model().objects.in_bulk(payload.user_ids)
    unknown = [str(pk) for pk in payload.user_ids if pk not in users]
    if unknown:
        raise DomainError(f"账号编号 {'、'.join(unknown)} 不存在。", field="user_ids")
    services.set_judges(
        actor=request.user, competition=competition, users=[users[pk] for pk in payload.user_ids]
    )
    return detail_out(competition)


def _step(service):
    def run(request, competition_id: int):
        return detail_out(
            service(actor=request.user, competition=_managed(request, competition_id))
        )

    return run


router.post(
    "/competitions/{competition_id}/open-registration",
    response=CompetitionDetailOut,
    summary="开始报名",
    operation_id="selection_open_registration",
)(_step(services.open_registration))
router.post(
    "/competitions/{competition_id}/start-scoring",
    response=CompetitionDetailOut,
    summary="截止报名、开始评分",
    operation_id="selection_start_scoring",
)(_step(services.start_scoring))
router.post(
    "/competitions/{competition_id}/ranking",
    response=CompetitionDetailOut,
    summary="计算排名与定档",
    operation_id="selection_compute_ranking",
)(_step(services.compute_ranking))
router.post(
    "/competitions/{competition_id}/finalise",
    response=CompetitionDetailOut,
    summary="公示期满后确认定岗",
    operation_id="selection_finalise",
)(_step(services.finalise_results))


@router.post(
    "/competitions/{competition_id}/publish", response=CompetitionDetailOut, summary="发布公示"
)
def publish(request, competition_id: int, payload: PublishIn):
    competition = services.publish_results(
        actor=request.user,
        competition=_managed(request, competition_id),
        notice_start=payload.notice_start,
    )
    return detail_out(competition)


@router.post(
    "/competitions/{competition_id}/reopen", response=CompetitionDetailOut, summary="退回评分"
)
def reopen(request, competition_id: int, payload: SelectionReasonIn):
    competition = services.reopen_scoring(
        actor=request.user, competition=_managed(request, competition_id), reason=payload.reason
    )
    return detail_out(competition)


# --- candidates and written scores ---------------------------------------------------------


@router.get(
    "/competitions/{competition_id}/candidates", response=list[CandidateOut], summary="报名人员"
)
@paginate(Pages, page_size=100)
def list_candidates(request, competition_id: int, filters: Query[CandidateFilter]):
    competition = _managed(request, competition_id)
    return MappedQuerySet(selectors.candidates_of(competition, filters), candidate_out)


@router.post(
    "/competitions/{competition_id}/candidates",
    response={201: CandidateOut},
    summary="报名登记（检查报名资格）",
)
def register(request, competition_id: int, payload: RegisterIn):
    competition = _managed(request, competition_id)
    staff = Staff.objects.filter(pk=payload.staff_id).first()
    if staff is None:
        raise DomainError(f"人员编号 {payload.staff_id} 不存在。", field="staff_id")
    candidate = services.register_candidate(
        actor=request.user, competition=competition, staff=staff
    )
    return Status(201, candidate_out(candidate))


@router.post("/candidates/{candidate_id}/withdraw", response=CandidateOut, summary="放弃/缺考")
def withdraw(request, candidate_id: int, payload: SelectionReasonIn):
    candidate = services.withdraw_candidate(
        actor=request.user,
        candidate=_managed_candidate(request, candidate_id),
        reason=payload.reason,
    )
    return candidate_out(candidate)


@router.put(
    "/candidates/{candidate_id}/written-score", response=CandidateOut, summary="录入笔试成绩"
)
def set_written_score(request, candidate_id: int, payload: SelectionScoreIn):
    candidate = services.set_written_score(
        actor=request.user,
        candidate=_managed_candidate(request, candidate_id),
        score=payload.score,
    )
    return candidate_out(candidate)


@router.post(
    "/competitions/{competition_id}/written-scores/from-exam",
    response=ImportOut,
    summary="从考试导入笔试成绩",
)
def import_from_exam(request, competition_id: int):
    changed = services.import_written_scores_from_exam(
        actor=request.user, competition=_managed(request, competition_id)
    )
    return ImportOut(changed=changed)


# --- ranking and ties ----------------------------------------------------------------------


def ranking_out(competition: Competition, filters: CandidateFilter) -> RankingOut:
    panels = selectors.panel_scores(competition)
    rows = [
        RankingRowOut(
            candidate_id=c.pk,
            rank=c.rank,
            staff_no=c.staff.staff_no,
            name=c.staff.name,
            department=c.staff.department.name,
            status=c.status,
            written_score=c.written_score,
            interview_score=c.interview_score,
            final_score=c.final_score,
            outcome=c.outcome,
            tier=c.tier.name if c.tier_id else None,
            judge_scores=panels.get(c.pk, []),
        )
        for c in selectors.ranking(competition, filters)
    ]
    ties = [
        TieOut(
            rank=g.rank,
            candidate_ids=[c.pk for c in g.candidates],
            names=[c.staff.name for c in g.candidates],
            held=g.held_labels,
        )
        for g in selectors.pending_ties(competition)
    ]
    return RankingOut(
        status=competition.status,
        pass_line=competition.pass_line,
        rows=rows,
        ties=ties,
        budget=budget_out(selectors.budget_report(competition)),
    )


@router.get(
    "/competitions/{competition_id}/ranking", response=RankingOut, summary="排名、定档与预算"
)
def get_ranking(request, competition_id: int, filters: Query[CandidateFilter]):
    return ranking_out(_managed(request, competition_id), filters)


@router.post(
    "/competitions/{competition_id}/ties", response=RankingOut, summary="处理并列（排定顺位）"
)
def resolve_tie(request, competition_id: int, payload: TieIn):
    competition = _managed(request, competition_id)
    found = Candidate.objects.filter(competition=competition).in_bulk(payload.candidate_ids)
    unknown = [str(pk) for pk in payload.candidate_ids if pk not in found]
    if unknown:
        raise DomainError(f"报名人员编号 {'、'.join(unknown)} 不存在。", field="candidate_ids")
    services.resolve_tie(
        actor=request.user,
        competition=competition,
        order=[found[pk] for pk in payload.candidate_ids],
        reason=payload.reason,
    )
    return ranking_out(competition, CandidateFilter())


# --- judging -------------------------------------------------------------------------------


@router.get("/judging", response=list[CompetitionOut], summary="我担任评委的竞聘")
def my_panels(request):
    require_role(request.user, Role.GRADER)
    return [competition_out(c) for c in selectors.judge_competitions(request.user)]


@router.get(
    "/judging/{competition_id}/candidates",
    response=list[JudgeSheetRowOut],
    summary="评分表（只含本人评分）",
)
@paginate(Pages, page_size=100)
def judge_sheet(request, competition_id: int, filters: Query[CandidateFilter]):
    require_role(request.user, Role.GRADER)
    competition = get_object_or_404(selectors.judge_competitions(request.user), pk=competition_id)
    sheet = selectors.judge_sheet(user=request.user, competition=competition, filters=filters)
    return MappedQuerySet(
        sheet,
        lambda c: JudgeSheetRowOut(
            candidate_id=c.pk,
            name=c.staff.name,
            department=c.staff.department.name,
            my_score=c.my_score,
        ),
    )


@router.put(
    "/judging/candidates/{candidate_id}/score", response=JudgeSheetRowOut, summary="录入面试评分"
)
def enter_score(request, candidate_id: int, payload: SelectionScoreIn):
    require_role(request.user, Role.GRADER)
    candidate = get_object_or_404(
        Candidate.objects.select_related("staff__department").filter(
            competition__in=selectors.judge_competitions(request.user)
        ),
        pk=candidate_id,
    )
    entry = services.enter_interview_score(
        actor=request.user, candidate=candidate, score=payload.score
    )
    return JudgeSheetRowOut(
        candidate_id=candidate.pk,
        name=candidate.staff.name,
        department=candidate.staff.department.name,
        my_score=entry.score,
    )


# --- objections and the public notice ------------------------------------------------------


@router.get(
    "/competitions/{competition_id}/objections", response=list[ObjectionOut], summary="公示异议"
)
@paginate(Pages, page_size=50)
def list_objections(request, competition_id: int, filters: Query[ObjectionFilter]):
    competition = _managed(request, competition_id)
    return MappedQuerySet(selectors.objections_of(competition, filters), objection_out)


@router.post(
    "/notices/{competition_id}/objections", response={201: ObjectionOut}, summary="提出异议"
)
def submit_objection(request, competition_id: int, payload: ObjectionIn):
    competition = get_object_or_404(selectors.public_notices(), pk=competition_id)
    candidate = None
    if payload.candidate_id is not None:
        candidate = Candidate.objects.filter(
            competition=competition, pk=payload.candidate_id
        ).first()
        if candidate is None:
            raise DomainError("所选人员不在本次公示名单中。", field="candidate_id")
    objection = services.submit_objection(
        actor=request.user, competition=competition, text=payload.text, candidate=candidate
    )
    return Status(201, objection_out(objection))


@router.post("/objections/{objection_id}/handle", response=ObjectionOut, summary="处理异议")
def handle_objection(request, objection_id: int, payload: ObjectionHandleIn):
    permissions.require_manager(request.user)
    objection = get_object_or_404(
        Objection.objects.select_related("candidate__staff", "submitted_by"), pk=objection_id
    )
    objection = services.handle_objection(
        actor=request.user, objection=objection, decision=payload.decision, reply=payload.reply
    )
    return objection_out(objection)


def notice_out(c: Competition) -> NoticeOut:
    return NoticeOut(
        id=c.pk,
        name=c.name,
        year=c.year,
        status=c.status,
        notice_start=c.notice_start,
        notice_end=c.notice_end,
        rows=[
            NoticeRowOut(
                rank=r.rank,
                name=r.name,
                department=r.department,
                final_score=r.final_score,
                tier=r.tier,
            )
            for r in selectors.notice_rows(c)
        ],
    )


@router.get("/notices", response=list[NoticeOut], auth=None, summary="竞聘结果公示（无需登录）")
def list_notices(request):
    return [notice_out(c) for c in selectors.public_notices()[:20]]


@router.get("/notices/{competition_id}", response=NoticeOut, auth=None, summary="竞聘结果公示详情")
def get_notice(request, competition_id: int):
    return notice_out(get_object_or_404(selectors.public_notices(), pk=competition_id))
