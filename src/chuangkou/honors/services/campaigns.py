"""评选: create, nominate, open and close the vote, score, rank and publish."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role
from chuangkou.org.models import Staff, Window

from .. import eligibility, permissions
from ..models import Campaign, Kind, Nomination, ReviewScore

TWO_PLACES = Decimal("0.01")
MAX_QUOTA = 100


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _require_status(campaign: Campaign, *allowed: str) -> None:
    if campaign.status not in allowed:
        wanted = "、".join(str(Campaign.Status(s).label) for s in allowed)
        raise DomainError(
            f"评选当前为“{campaign.get_status_display()}”，此操作仅在“{wanted}”阶段可用。",
            field="status",
        )


def _transition(*, actor, campaign: Campaign, to: str, action: str, **changes) -> Campaign:
    before = campaign.status
    campaign.status = to
    for name, value in changes.items():
        setattr(campaign, name, value)
    campaign.save(update_fields=["status", *changes])
    audit.record(
        actor=actor, action=action, obj=campaign, before={"status": before}, after={"status": to}
    )
    return campaign


def _check_dates(period_start, period_end, vote_start, vote_end) -> None:
    if period_end < period_start:
        raise DomainError("评选周期的结束日期不能早于开始日期。", field="period_end")
    if vote_end < vote_start:
        raise DomainError("投票截止日期不能早于开始日期。", field="vote_end")
    if vote_start < period_start:
        raise DomainError("投票不能早于评选周期开始。", field="vote_start")


def _check_settings(window_quota: int, staff_quota: int, vote_weight: int) -> None:
    for name, quota in (("window_quota", window_quota), ("staff_quota", staff_quota)):
        if not 0 <= quota <= MAX_QUOTA:
            raise DomainError(f"名额须在 0 至 {MAX_QUOTA} 之间。", field=name)
    if window_quota + staff_quota == 0:
        raise DomainError("至少设置一个名额。", field="window_quota")
    if not 0 <= vote_weight <= 100:
        raise DomainError("投票权重须在 0 至 100 之间。", field="vote_weight")


@transaction.atomic
def create_campaign(
    *,
    actor,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    vote_start: dt.date,
    vote_end: dt.date,
    window_quota: int = 9,
    staff_quota: int = 8,
    vote_weight: int = 30,
) -> Campaign:
    """发起评选 (最美办事窗口 / 最美办事员): it opens for departments' nominations."""
    require_role(actor, *permissions.ADMIN_ROLES)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写评选名称。", field="name")
    _check_dates(period_start, period_end, vote_start, vote_end)
    _check_settings(window_quota, staff_quota, vote_weight)
    campaign = Campaign.objects.create(
        name=name[:100],
        period_start=period_start,
        period_end=period_end,
        vote_start=vote_start,
        vote_end=vote_end,
        window_quota=window_quota,
        staff_quota=staff_quota,
        vote_weight=vote_weight,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="honors.campaign.create",
        obj=campaign,
        after=audit.snapshot(
            campaign, ["name", "period_start", "period_end", "vote_start", "vote_end"]
        ),
    )
    return campaign


@transaction.atomic
def set_panel(*, actor, campaign: Campaign, users) -> Campaign:
    """评审组: the accounts that score the nominations."""
    require_role(actor, *permissions.ADMIN_ROLES)
    campaign = _locked(campaign)
    _require_status(campaign, Campaign.Status.NOMINATING, Campaign.Status.VOTING)
    users = list(users)
    if not users:
        raise DomainError("评审组至少需要一名评委。", field="panel")
    campaign.panel.set(users)
    audit.record(
        actor=actor,
        action="honors.campaign.panel",
        obj=campaign,
        after={"panel": sorted(u.get_username() for u in users)},
    )
    return campaign


def _subject(kind: str, window: Window | None, staff: Staff | None):
    if kind == Kind.WINDOW and window is not None and staff is None:
        return window
    if kind == Kind.STAFF and staff is not None and window is None:
        return staff
    raise DomainError("最美办事窗口请选择窗口，最美办事员请选择人员。", field="kind")


@transaction.atomic
def nominate(
    *,
    actor,
    campaign: Campaign,
    kind: str,
    deeds: str,
    window: Window | None = None,
    staff: Staff | None = None,
) -> Nomination:
    """部门推荐: a window or a staff member of the actor's department, with the deeds
    (先进事迹). Refused when the subject is not eligible (see `eligibility`)."""
    if kind not in Kind.values:
        raise DomainError("请选择推荐类别。", field="kind")
    subject = _subject(kind, window, staff)
    if not permissions.can_nominate_for(actor, subject.department_id):
        raise PermissionDeniedError("只能推荐本部门的窗口和人员。")
    campaign = _locked(campaign)
    _require_status(campaign, Campaign.Status.NOMINATING)
    deeds = (deeds or "").strip()
    if len(deeds) < 10:
        raise DomainError("请填写先进事迹（至少 10 个字）。", field="deeds")
    check = eligibility.window_problems if kind == Kind.WINDOW else eligibility.staff_problems
    problems = check(subject, campaign.period_start, campaign.period_end)
    if problems:
        raise DomainError("不符合评选条件：" + "".join(problems), field=kind)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                campaign=campaign,
                kind=kind,
                window=window,
                staff=staff,
                department_id=subject.department_id,
                deeds=deeds[:3000],
                nominated_by=actor,
            )
    except IntegrityError:
        raise DomainError("该对象已被推荐过，不能重复推荐。", field=kind) from None
    audit.record(
        actor=actor,
        action="honors.nominate",
        obj=nomination,
        after={"campaign": campaign.pk, "kind": kind, "subject": str(subject)},
    )
    return nomination


@transaction.atomic
def open_voting(*, actor, campaign: Campaign) -> Campaign:
    """推荐结束，开始投票."""
    require_role(actor, *permissions.ADMIN_ROLES)
    campaign = _locked(campaign)
    _require_status(campaign, Campaign.Status.NOMINATING)
    if not campaign.nominations.exists():
        raise DomainError("还没有任何推荐对象，不能开始投票。")
    return _transition(
        actor=actor, campaign=campaign, to=Campaign.Status.VOTING, action="honors.voting.open"
    )


@transaction.atomic
def close_voting(*, actor, campaign: Campaign) -> Campaign:
    """投票结束，进入评审组打分."""
    require_role(actor, *permissions.ADMIN_ROLES)
    campaign = _locked(campaign)
    _require_status(campaign, Campaign.Status.VOTING)
    if not campaign.panel.exists():
        raise DomainError("请先设置评审组，再结束投票进入评审。", field="panel")
    return _transition(
        actor=actor,
        campaign=campaign,
        to=Campaign.Status.REVIEWING,
        action="honors.voting.close",
    )


def _score(value) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    except (ArithmeticError, ValueError):
        raise DomainError("分数须为 0 至 100 之间的数。", field="score") from None
    if not score.is_finite() or not 0 <= score <= 100:
        raise DomainError("分数须为 0 至 100 之间的数。", field="score")
    return score


@transaction.atomic
def score_nomination(*, actor, nomination: Nomination, score) -> ReviewScore:
    """评审打分 (0–100) by a panel member; a second score of the same judge replaces the first."""
    campaign = _locked(nomination.campaign)
    if not permissions.can_score(actor, campaign):
        raise PermissionDeniedError("只有本次评选的评审组成员可以打分。")
    _require_status(campaign, Campaign.Status.REVIEWING)
    if nomination.status != Nomination.Status.ELIGIBLE:
        raise DomainError("该推荐对象不符合评选条件，无需打分。")
    value = _score(score)
    row, created = ReviewScore.objects.update_or_create(
        nomination=nomination, judge=actor, defaults={"score": value}
    )
    audit.record(
        actor=actor,
        action="honors.score",
        obj=nomination,
        after={"score": value, "replaced": not created},
    )
    return row


def _recheck(nomination: Nomination, campaign: Campaign) -> None:
    """Eligibility once more at ranking: a veto confirmed during the vote still counts."""
    if nomination.kind == Kind.WINDOW:
        problems = eligibility.window_problems(
            nomination.window, campaign.period_start, campaign.period_end
        )
    else:
        problems = eligibility.staff_problems(
            nomination.staff, campaign.period_start, campaign.period_end
        )
    if problems:
        nomination.status = Nomination.Status.INELIGIBLE
        nomination.status_note = "".join(problems)[:300]


def final_score(*, votes: int, top_votes: int, review: Decimal, vote_weight: int) -> Decimal:
    """综合得分 by the formula of `Campaign.formula_text`."""
    vote_points = Decimal(votes) * 100 / top_votes if top_votes else Decimal(0)
    total = (vote_points * vote_weight + review * (100 - vote_weight)) / 100
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _rank_kind(campaign: Campaign, rows: list[Nomination]) -> None:
    eligible = [n for n in rows if n.status == Nomination.Status.ELIGIBLE]
    top_votes = max((n.votes for n in eligible), default=0)
    for n in eligible:
        n.final_score = final_score(
            votes=n.votes,
            top_votes=top_votes,
            review=n.review_score,
            vote_weight=campaign.vote_weight,
        )
    eligible.sort(key=lambda n: (-n.final_score, -n.review_score, -n.votes, n.pk))
    quota = campaign.quota(rows[0].kind) if rows else 0
    for place, n in enumerate(eligible, start=1):
        n.rank, n.awarded = place, place <= quota
    for n in rows:
        if n.status != Nomination.Status.ELIGIBLE:
            n.rank, n.awarded, n.final_score = None, False, None


@transaction.atomic
def rank_campaign(*, actor, campaign: Campaign) -> Campaign:
    """排名: every eligible nomination needs a score of each panel member; the quota of each
    category (by rank) is awarded."""
    require_role(actor, *permissions.ADMIN_ROLES)
    campaign = _locked(campaign)
    _require_status(campaign, Campaign.Status.REVIEWING)
    rows = list(
        campaign.nominations.select_related("window", "staff")
        .annotate(mean=Avg("scores__score"), judged=Count("scores"))
        .order_by("pk")
    )
    for n in rows:
        _recheck(n, campaign)
    panel = campaign.panel.count()
    missing = [
        n.subject_label for n in rows if n.status == Nomination.Status.ELIGIBLE and n.judged < panel
    ]
    if missing:
        raise DomainError(f"评审组尚未全部打分：{'、'.join(missing[:10])}。")
    for n in rows:
        n.review_score = (
            Decimal(n.mean).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
            if n.mean is not None
            else None
        )
    for kind in Kind.values:
        _rank_kind(campaign, [n for n in rows if n.kind == kind])
    Nomination.objects.bulk_update(
        rows, ["status", "status_note", "review_score", "final_score", "rank", "awarded"]
    )
    return _transition(
        actor=actor, campaign=campaign, to=Campaign.Status.RANKED, action="honors.rank"
    )


@transaction.atomic
def set_citation(*, actor, nomination: Nomination, citation: str) -> Nomination:
    """颁奖词 of an awarded nomination, written before publication."""
    require_role(actor, *permissions.ADMIN_ROLES)
    campaign = _locked(nomination.campaign)
    _require_status(campaign, Campaign.Status.RANKED)
    if not nomination.awarded:
        raise DomainError("只有当选对象需要颁奖词。", field="citation")
    citation = (citation or "").strip()
    if not 10 <= len(citation) <= 1000:
        raise DomainError("颁奖词须为 10 至 1000 个字。", field="citation")
    before = nomination.citation
    nomination.citation = citation
    nomination.save(update_fields=["citation"])
    audit.record(
        actor=actor,
        action="honors.citation",
        obj=nomination,
        before={"citation": before},
        after={"citation": citation},
    )
    return nomination


@transaction.atomic
def publish_campaign(*, actor, campaign: Campaign) -> Campaign:
    """公布: the awarded, each with a citation, go on the public honors page."""
    require_role(actor, *permissions.ADMIN_ROLES)
    campaign = _locked(campaign)
    _require_status(campaign, Campaign.Status.RANKED)
    awarded = campaign.nominations.filter(awarded=True).select_related("window", "staff")
    if not awarded.exists():
        raise DomainError("没有当选对象，不能公布。")
    without = [n.subject_label for n in awarded if not n.citation]
    if without:
        raise DomainError(f"请先填写颁奖词：{'、'.join(without[:10])}。", field="citation")
    return _transition(
        actor=actor,
        campaign=campaign,
        to=Campaign.Status.PUBLISHED,
        action="honors.publish",
        published_at=timezone.now(),
    )
