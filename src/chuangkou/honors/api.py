"""评先表彰 API: campaigns (nominate, panel, vote, score, rank, publish, certificates),
the public honors list and the public vote by a ticket's QR token, commendations."""

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.core.schema_types import DbId, SaneDate
from chuangkou.org.models import Department, Staff, Window

from . import permissions, selectors, services
from .certificates import certificate_docx
from .filters import CampaignFilter, CommendationFilter
from .models import Campaign, Kind, Nomination
from .schemas import (
    BallotIn,
    CampaignIn,
    CampaignOut,
    CitationIn,
    CommendationCountsOut,
    CommendationIn,
    CommendationOut,
    CountsOut,
    DepartmentCountOut,
    LiveCountOut,
    NominationIn,
    NominationOut,
    PanelIn,
    PublicBallotIn,
    PublishedOut,
    ScoreIn,
    ScoreOut,
    VotesOut,
    VoteStateOut,
    WinnerOut,
)
from .services.voting import ticket_of

router = Router(tags=["评先表彰"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def campaign_out(c: Campaign) -> CampaignOut:
    return CampaignOut(
        id=c.pk,
        name=c.name,
        status=c.status,
        status_label=c.get_status_display(),
        period_start=c.period_start,
        period_end=c.period_end,
        vote_start=c.vote_start,
        vote_end=c.vote_end,
        window_quota=c.window_quota,
        staff_quota=c.staff_quota,
        vote_weight=c.vote_weight,
        formula=c.formula_text,
        published_at=c.published_at,
    )


def nomination_out(n: Nomination) -> NominationOut:
    return NominationOut(
        id=n.pk,
        kind=n.kind,
        kind_label=n.get_kind_display(),
        subject=n.subject_label,
        window_id=n.window_id,
        staff_id=n.staff_id,
        department=n.department.name,
        deeds=n.deeds,
        eligible=n.status == Nomination.Status.ELIGIBLE,
        status_note=n.status_note,
        votes=n.votes,
        review_score=n.review_score,
        final_score=n.final_score,
        rank=n.rank,
        awarded=n.awarded,
        citation=n.citation,
    )


def counts_out(campaign: Campaign) -> CountsOut:
    counts = selectors.live_counts(campaign)
    return CountsOut(
        campaign_id=campaign.pk,
        status=campaign.status,
        **{k: [LiveCountOut(**vars(c)) for c in counts[k]] for k in Kind.values},
    )


def _campaign(request, campaign_id: int) -> Campaign:
    return get_object_or_404(selectors.campaigns_visible_to(request.user), pk=campaign_id)


def _nomination(request, nomination_id: int) -> Nomination:
    visible = selectors.campaigns_visible_to(request.user)
    return get_object_or_404(
        Nomination.objects.select_related("campaign", "window", "staff", "department"),
        pk=nomination_id,
        campaign__in=visible,
    )


def _found(model, pk, field: str, label: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise DomainError(f"{label}编号 {pk} 不存在。", field=field)
    return found


def _choices(campaign: Campaign, ids: list[int]) -> list[Nomination | None]:
    """The chosen nominations; an id of no nomination of the campaign stays as None, for the
    service to refuse (after its own checks of the rate and the ticket)."""
    found = list(campaign.nominations.filter(pk__in=ids).select_related("staff"))
    return found + [None] * (len(set(ids)) - len(found))


# Public ------------------------------------------------------------------------------------------


@router.get("/public", auth=None, response=list[PublishedOut], summary="公布的评选结果（公开）")
def public_honors(request):
    return [
        PublishedOut(
            id=c.pk,
            name=c.name,
            published_at=c.published_at,
            winners=[
                WinnerOut(
                    kind=n.kind,
                    kind_label=n.get_kind_display(),
                    rank=n.rank,
                    subject=n.subject_label,
                    department=n.department.name,
                    citation=n.citation,
                )
                for n in c.nominations.all()
            ],
        )
        for c in selectors.published_campaigns()[:20]
    ]


@router.get(
    "/campaigns/{campaign_id}/counts", auth=None, response=CountsOut, summary="实时票数（公开）"
)
def live_counts(request, campaign_id: DbId):
    campaign = get_object_or_404(
        Campaign.objects.exclude(status=Campaign.Status.NOMINATING), pk=campaign_id
    )
    return counts_out(campaign)


@router.get("/vote/{token}", auth=None, response=VoteStateOut, summary="扫码投票：可投的评选")
def vote_state(request, token: str):
    ticket = ticket_of(token)
    campaigns = list(selectors.votable_campaigns())
    return VoteStateOut(
        ticket_number=ticket.number,
        service_date=ticket.service_date,
        campaigns=[counts_out(c) for c in campaigns],
        voted={c.pk: sorted(selectors.ticket_has_voted(c, ticket)) for c in campaigns},
    )


@router.post("/vote/{token}", auth=None, response={201: VotesOut}, summary="扫码投票（群众）")
def public_vote(request, token: str, payload: PublicBallotIn):
    campaign = get_object_or_404(Campaign, pk=payload.campaign_id)
    votes = services.cast_public_ballot(
        token=token, campaign=campaign, nominations=_choices(campaign, payload.nomination_ids)
    )
    return Status(201, VotesOut(counted=len(votes)))


# Campaigns ---------------------------------------------------------------------------------------


@router.get("/campaigns", response=list[CampaignOut], summary="评选列表")
@paginate(Pages, page_size=50)
def list_campaigns(request, filters: Query[CampaignFilter]):
    require_role(request.user, *permissions.CAMPAIGN_READER_ROLES)
    return MappedQuerySet(selectors.campaign_list(user=request.user, filters=filters), campaign_out)


@router.post("/campaigns", response={201: CampaignOut}, summary="发起评选")
def create_campaign(request, payload: CampaignIn):
    campaign = services.create_campaign(actor=request.user, **payload.dict())
    return Status(201, campaign_out(campaign))


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="评选详情")
def get_campaign(request, campaign_id: DbId):
    return campaign_out(_campaign(request, campaign_id))


@router.post("/campaigns/{campaign_id}/panel", response=CampaignOut, summary="设置评审组")
def set_panel(request, campaign_id: DbId, payload: PanelIn):
    users = list(get_user_model().objects.filter(pk__in=payload.user_ids, is_active=True))
    if len(users) != len(set(payload.user_ids)):
        raise DomainError("评委账号不存在或已停用。", field="user_ids")
    campaign = services.set_panel(
        actor=request.user, campaign=_campaign(request, campaign_id), users=users
    )
    return campaign_out(campaign)


STEPS = {
    "open-voting": (services.open_voting, "开始投票"),
    "close-voting": (services.close_voting, "结束投票，进入评审"),
    "rank": (services.rank_campaign, "计算排名"),
    "publish": (services.publish_campaign, "公布结果"),
}


def _step_route(step: str, service, summary: str) -> None:
    @router.post(
        f"/campaigns/{{campaign_id}}/{step}",
        response=CampaignOut,
        summary=summary,
        operation_id=f"honors_campaign_{step.replace('-', '_')}",
    )
    def advance(request, campaign_id: DbId):
        campaign = service(actor=request.user, campaign=_campaign(request, campaign_id))
        return campaign_out(campaign)


for _step, (_service, _summary) in STEPS.items():
    _step_route(_step, _service, _summary)


@router.get(
    "/campaigns/{campaign_id}/nominations", response=list[NominationOut], summary="推荐对象"
)
@paginate(Pages, page_size=100)
def list_nominations(request, campaign_id: DbId):
    campaign = _campaign(request, campaign_id)
    return MappedQuerySet(selectors.nominations_of(campaign), nomination_out)


@router.post(
    "/campaigns/{campaign_id}/nominations", response={201: NominationOut}, summary="部门推荐"
)
def nominate(request, campaign_id: DbId, payload: NominationIn):
    require_role(request.user, *permissions.NOMINATOR_ROLES)
    nomination = services.nominate(
        actor=request.user,
        campaign=_campaign(request, campaign_id),
        kind=payload.kind,
        window=_found(Window, payload.window_id, "window_id", "窗口"),
        staff=_found(Staff, payload.staff_id, "staff_id", "人员"),
        deeds=payload.deeds,
    )
    return Status(201, nomination_out(nomination))


@router.post("/campaigns/{campaign_id}/votes", response={201: VotesOut}, summary="工作人员投票")
def staff_vote(request, campaign_id: DbId, payload: BallotIn):
    campaign = _campaign(request, campaign_id)
    votes = services.cast_staff_ballot(
        actor=request.user,
        campaign=campaign,
        nominations=_choices(campaign, payload.nomination_ids),
    )
    return Status(201, VotesOut(counted=len(votes)))


@router.post("/nominations/{nomination_id}/score", response=ScoreOut, summary="评审打分")
def score(request, nomination_id: DbId, payload: ScoreIn):
    row = services.score_nomination(
        actor=request.user, nomination=_nomination(request, nomination_id), score=payload.score
    )
    return ScoreOut(nomination_id=row.nomination_id, score=row.score)


@router.post("/nominations/{nomination_id}/citation", response=NominationOut, summary="颁奖词")
def citation(request, nomination_id: DbId, payload: CitationIn):
    nomination = services.set_citation(
        actor=request.user,
        nomination=_nomination(request, nomination_id),
        citation=payload.citation,
    )
    return nomination_out(nomination)


@router.get("/nominations/{nomination_id}/certificate", summary="荣誉证书（docx）")
def certificate(request, nomination_id: DbId):
    nomination = _nomination(request, nomination_id)
    if not permissions.can_certify(request.user, nomination):
        raise DomainError("您没有执行此操作的权限。", status=403)
    if not (nomination.awarded and nomination.campaign.status == Campaign.Status.PUBLISHED):
        raise DomainError("评选结果公布后，当选对象才有荣誉证书。", status=409)
    response = HttpResponse(certificate_docx(nomination), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="certificate-{nomination.pk}.docx"'
    return response


# Commendations -----------------------------------------------------------------------------------


def commendation_out(c) -> CommendationOut:
    return CommendationOut(
        id=c.pk,
        type=c.type,
        type_label=c.get_type_display(),
        received_on=c.received_on,
        sender_masked=c.masked_sender,
        subject=c.subject_label,
        department=c.department.name,
        window_id=c.window_id,
        staff_id=c.staff_id,
        title=c.title,
        text=c.text,
        has_scan=bool(c.scan),
    )


@router.get("/commendations", response=list[CommendationOut], summary="表彰列表")
@paginate(Pages, page_size=50)
def list_commendations(request, filters: Query[CommendationFilter]):
    require_role(request.user, *permissions.COMMENDATION_READER_ROLES)
    qs = selectors.commendation_list(user=request.user, filters=filters)
    return MappedQuerySet(qs, commendation_out)


@router.post("/commendations", response={201: CommendationOut}, summary="登记表彰（不含扫描件）")
def record_commendation(request, payload: CommendationIn):
    require_role(request.user, *permissions.COMMENDATION_ROLES)
    commendation = services.record_commendation(
        actor=request.user,
        kind=payload.type,
        received_on=payload.received_on,
        sender=payload.sender,
        window=_found(Window, payload.window_id, "window_id", "窗口"),
        staff=_found(Staff, payload.staff_id, "staff_id", "人员"),
        department=_found(Department, payload.department_id, "department_id", "部门"),
        team=payload.team,
        title=payload.title,
        text=payload.text,
    )
    return Status(201, commendation_out(commendation))


@router.get("/commendations/counts", response=CommendationCountsOut, summary="表彰数量（任意时段）")
def commendation_counts(request, start: SaneDate | None = None, end: SaneDate | None = None):
    require_role(request.user, *permissions.COMMENDATION_READER_ROLES)
    counts = selectors.commendation_counts(user=request.user, start=start, end=end)
    return CommendationCountsOut(
        start=counts.start,
        end=counts.end,
        banners=counts.banners,
        letters=counts.letters,
        titles=counts.titles,
        total=counts.total,
        by_department=[
            DepartmentCountOut(department=d, banners=b, letters=le, titles=t)
            for d, b, le, t in counts.by_department
        ],
    )
