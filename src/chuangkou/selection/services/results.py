"""Results: ranking and tiers, ties at a quota boundary, 公示 with objections, and 定岗."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.calendar import add_working_days, is_working_day
from chuangkou.core.errors import DomainError

from .. import permissions, selectors
from ..models import Candidate, Competition, Objection
from ..scoring import PLACED, TIE, final_score
from ._common import STATE_CONFLICT, locked, require_status, set_status

Status = Competition.Status
MAX_NAMES = 10
MAX_NOTICE_DELAY_DAYS = 30


def _names(items: list[str]) -> str:
    shown = "、".join(items[:MAX_NAMES])
    return shown + (f" 等 {len(items)} 人" if len(items) > MAX_NAMES else "")


def _check_complete(competition: Competition, active: list[Candidate]) -> None:
    missing_written = [c.staff.name for c in active if c.written_score is None]
    if missing_written:
        raise DomainError(f"以下人员还没有笔试成绩：{_names(missing_written)}。")
    panel = competition.judges.count()
    scored = selectors.scored_counts(competition)
    incomplete = [
        f"{c.staff.name}（{scored.get(c.pk, 0)}/{panel}）"
        for c in active
        if scored.get(c.pk, 0) < panel
    ]
    if incomplete:
        raise DomainError(f"以下人员的面试评分尚未全部提交：{_names(incomplete)}。")


def _results(competition: Competition) -> list[list]:
    """(candidate id, rank, outcome, tier) of everyone ranked, for the audit entries."""
    return [
        [pk, rank, outcome, tier]
        for pk, rank, outcome, tier in competition.candidates.exclude(rank=None)
        .order_by("rank", "pk")
        .values_list("pk", "rank", "outcome", "tier__name")
    ]


def apply_ranking(competition: Competition) -> None:
    """Compute final scores, ranks, outcomes and tiers of the active candidates and store them.

    No permission or status check: callers (the services below, the demo) do those.
    """
    active = list(competition.candidates.filter(status=Candidate.Status.REGISTERED))
    for c in active:
        c.final_score = final_score(
            c.written_score,
            c.interview_score,
            competition.written_weight,
            competition.interview_weight,
        )
    Candidate.objects.bulk_update(active, ["final_score"])
    store_placements(competition)


def store_placements(competition: Competition) -> None:
    by_pk = {c.pk: c for c in competition.candidates.filter(status=Candidate.Status.REGISTERED)}
    for placement in selectors.placements(competition):
        candidate = by_pk[placement.key]
        candidate.rank = placement.rank
        candidate.outcome = placement.outcome
        candidate.tier_id = placement.tier
    Candidate.objects.bulk_update(by_pk.values(), ["rank", "outcome", "tier"])


@transaction.atomic
def compute_ranking(*, actor, competition: Competition) -> Competition:
    """计算排名与定档: scoring → ranked, once every active candidate has both scores."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.SCORING, doing="计算排名")
    active = list(
        competition.candidates.filter(status=Candidate.Status.REGISTERED).select_related("staff")
    )
    if not active:
        raise DomainError("没有可排名的人员。")
    _check_complete(competition, active)
    apply_ranking(competition)
    change = set_status(competition, Status.RANKED)
    competition.save(update_fields=["status"])
    change["after"]["results"] = _results(competition)
    audit.record(actor=actor, action="selection.ranking.compute", obj=competition, **change)
    return competition


@transaction.atomic
def resolve_tie(
    *, actor, competition: Competition, order: list[Candidate], reason: str
) -> Competition:
    """并列跨档的处理: the admin orders the tied candidates; the held seats follow that order."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.RANKED, doing="处理并列")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写决定顺位的依据（如加试、抽签）。", field="reason")
    keys = [c.pk for c in order]
    groups = selectors.pending_ties(competition)
    group = next((g for g in groups if set(keys) & {c.pk for c in g.candidates}), None)
    if group is None:
        raise DomainError("所选人员不在待定的并列名单中。", field="order")
    if len(set(keys)) != len(keys) or set(keys) != {c.pk for c in group.candidates}:
        names = "、".join(c.staff.name for c in group.candidates)
        raise DomainError(
            f"请为并列的全部 {len(group.candidates)} 人排定顺位：{names}。", field="order"
        )
    for position, pk in enumerate(keys, start=1):
        Candidate.objects.filter(pk=pk).update(tie_break=position)
    store_placements(competition)
    after = list(
        Candidate.objects.filter(pk__in=keys)
        .order_by("tie_break")
        .values_list("pk", "tie_break", "outcome", "tier__name")
    )
    audit.record(
        actor=actor,
        action="selection.tie.resolve",
        obj=competition,
        before={"rank": group.rank, "held": group.held_labels},
        after={"order": [list(row) for row in after], "reason": reason},
    )
    return competition


def notice_end_for(start: dt.date, working_days: int) -> dt.date:
    """异议截止日: `working_days` working days after `start` on the official calendar; Monday to
    Friday for a year whose holidays chinese_calendar does not know yet."""
    try:
        return add_working_days(start, working_days)
    except NotImplementedError:
        day, left = start, working_days
        while left:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _check_budget(competition: Competition) -> None:
    report = selectors.budget_report(competition)
    if report.overrun > 0:
        lines = "；".join(
            f"{row.name} {row.placed} 人 × {row.annual_amount:,} 元 = {row.subtotal:,} 元"
            for row in report.rows
            if row.placed
        )
        raise DomainError(
            f"拟聘人员年度总额 {report.total:,} 元超出预算 {report.budget:,} 元，"
            f"超出 {report.overrun:,} 元（{lines}）。请调整档次或预算后重新排名。",
            field="budget",
        )


@transaction.atomic
def publish_results(
    *, actor, competition: Competition, notice_start: dt.date | None = None
) -> Competition:
    """公示: ranked → published, for `notice_days` working days after `notice_start` (by
    default today, or the next working day when today is not one); a chosen start must be a
    working day. Refused while a tie is pending or when the annual cost exceeds the budget."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.RANKED, doing="发布公示")
    if competition.candidates.filter(outcome=TIE).exists():
        raise DomainError("还有并列待定的人员，请先处理并列。", status=STATE_CONFLICT)
    _check_budget(competition)
    today = timezone.localdate()
    start = notice_start or next_working_day(today)
    if not is_working_day(start):
        raise DomainError(
            f"公示须从工作日开始：{start:%Y-%m-%d} 不是工作日，"
            f"最近的工作日是 {next_working_day(start):%Y-%m-%d}。",
            field="notice_start",
        )
    if start < today:
        raise DomainError("公示开始日期不能早于今天。", field="notice_start")
    if start > today + dt.timedelta(days=MAX_NOTICE_DELAY_DAYS):
        raise DomainError(f"公示最迟在 {MAX_NOTICE_DELAY_DAYS} 天内开始。", field="notice_start")
    competition.notice_start = start
    competition.notice_end = notice_end_for(start, competition.notice_days)
    competition.published_at = timezone.now()
    change = set_status(competition, Status.PUBLISHED)
    competition.save(update_fields=["status", "notice_start", "notice_end", "published_at"])
    change["after"].update(
        notice_start=competition.notice_start,
        notice_end=competition.notice_end,
        results=_results(competition),
    )
    audit.record(actor=actor, action="selection.publish", obj=competition, **change)
    return competition


@transaction.atomic
def submit_objection(
    *, actor, competition: Competition, text: str, candidate: Candidate | None = None
) -> Objection:
    """提出异议 during the notice period (实名: any signed-in user)."""
    if not getattr(actor, "is_authenticated", False):
        raise DomainError("请先登录再提出异议。", status=401)
    competition = locked(competition)
    require_status(competition, Status.PUBLISHED, doing="提出异议")
    today = timezone.localdate()
    if not competition.notice_start <= today <= competition.notice_end:
        raise DomainError(
            f"异议受理期为 {competition.notice_start:%Y-%m-%d} 至 "
            f"{competition.notice_end:%Y-%m-%d}，今天不在受理期内。",
            status=STATE_CONFLICT,
        )
    text = (text or "").strip()
    if len(text) < 5:
        raise DomainError("请写明异议的具体内容（至少 5 个字）。", field="text")
    if len(text) > 2000:
        raise DomainError("异议内容不能超过 2000 字。", field="text")
    if candidate is not None and (
        candidate.competition_id != competition.pk or candidate.outcome != PLACED
    ):
        raise DomainError("所选人员不在本次公示名单中。", field="candidate")
    _refuse_repeat(actor, competition, candidate)
    objection = Objection.objects.create(
        competition=competition, candidate=candidate, submitted_by=actor, text=text
    )
    audit.record(
        actor=actor,
        action="selection.objection.submit",
        obj=objection,
        after={"competition": competition.pk, "candidate": candidate.pk if candidate else None},
    )
    return objection


def _refuse_repeat(actor, competition: Competition, candidate: Candidate | None) -> None:
    """One objection per person to one result; the answer is in 我的异议."""
    earlier = Objection.objects.filter(
        competition=competition, candidate=candidate, submitted_by=actor
    ).first()
    if earlier is not None:
        about = f"对{candidate.staff.name}的公示结果" if candidate else "对本次公示结果"
        raise DomainError(
            f"您已于 {timezone.localtime(earlier.submitted_at):%Y-%m-%d %H:%M} {about}提出过异议"
            f"（{earlier.get_status_display()}），请在“我的异议”中查看答复，不必重复提交。",
            field="candidate",
            status=STATE_CONFLICT,
        )


@transaction.atomic
def handle_objection(*, actor, objection: Objection, decision: str, reply: str) -> Objection:
    """异议处理: upheld or rejected, with the reply. An upheld objection that changes a result
    is followed by 退回评分 (reopen_scoring)."""
    permissions.require_manager(actor)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != Objection.Status.PENDING:
        raise DomainError("该异议已处理。", status=STATE_CONFLICT)
    if decision not in (Objection.Status.UPHELD, Objection.Status.REJECTED):
        raise DomainError("请选择“异议成立”或“异议不成立”。", field="decision")
    reply = (reply or "").strip()
    if not reply:
        raise DomainError("请填写处理意见。", field="reply")
    objection.status = decision
    objection.reply = reply[:2000]
    objection.handled_by = actor
    objection.handled_at = timezone.now()
    objection.save(update_fields=["status", "reply", "handled_by", "handled_at"])
    audit.record(
        actor=actor,
        action="selection.objection.handle",
        obj=objection,
        before={"status": Objection.Status.PENDING},
        after={"status": decision, "reply": objection.reply},
    )
    return objection


@transaction.atomic
def finalise_results(*, actor, competition: Competition) -> Competition:
    """定岗: published → final, only after the objection period and with every objection handled."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.PUBLISHED, doing="确认定岗")
    if timezone.localdate() <= competition.notice_end:
        raise DomainError(
            f"公示期至 {competition.notice_end:%Y-%m-%d} 截止，期满后才能确认定岗。",
            status=STATE_CONFLICT,
        )
    pending = competition.objections.filter(status=Objection.Status.PENDING).count()
    if pending:
        raise DomainError(f"还有 {pending} 条异议未处理。", status=STATE_CONFLICT)
    competition.finalised_at = timezone.now()
    change = set_status(competition, Status.FINAL)
    competition.save(update_fields=["status", "finalised_at"])
    change["after"]["results"] = _results(competition)
    audit.record(actor=actor, action="selection.finalise", obj=competition, **change)
    return competition
