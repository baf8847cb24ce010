"""已完成竞聘的导入: a competition run before the platform (its settings and tiers entered here)
receives its candidates with their written and interview scores, is ranked and given tiers by
the same rules as a competition run here (scoring.py), and is closed as 已定岗 with the notice
period it had."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.core.params import DATE_WINDOW_MESSAGE, in_window
from chuangkou.org.models import Staff

from .. import permissions, selectors
from ..models import Candidate, Competition
from ..scoring import TIE, Entry, assign_tiers, final_score, rank_candidates, service_years
from ._common import locked, require_status, set_status
from .results import _results, apply_ranking

Status = Competition.Status
IMPORTABLE_STATUSES = (Status.DRAFT, Status.REGISTRATION, Status.SCORING)


@dataclass(frozen=True)
class PastResult:
    """One candidate of a finished competition: scores, or withdrawn (放弃/缺考)."""

    staff: Staff
    written: Decimal | None = None
    interview: Decimal | None = None
    withdrawn: bool = False
    withdraw_reason: str = ""
    tie_break: int | None = None


@dataclass(frozen=True)
class ResultProblem:
    index: int
    field: str  # staff, written_score, interview_score or tie_break
    message: str


def check_importable(*, actor, competition: Competition) -> None:
    """The competition waits for its results: set up here, no candidates yet, tiers set."""
    permissions.require_manager(actor)
    require_status(competition, *IMPORTABLE_STATUSES, doing="导入已完成的竞聘结果")
    if competition.candidates.exists():
        raise DomainError(f"竞聘「{competition.name}」已有报名人员，不能再导入结果。")
    if not competition.tiers.exists():
        raise DomainError(f"竞聘「{competition.name}」还没有设置档次。", field="tiers")


def check_notice(start: dt.date, end: dt.date) -> None:
    for day, field in ((start, "notice_start"), (end, "notice_end")):
        if not in_window(day):
            raise DomainError(DATE_WINDOW_MESSAGE, field=field)
    if end < start:
        raise DomainError("公示截止日期不能早于公示开始日期。", field="notice_end")
    if end >= timezone.localdate():
        raise DomainError("已完成的竞聘，公示期应已结束（截止日期早于今天）。", field="notice_end")


def result_problems(competition: Competition, results: Sequence[PastResult]) -> list:
    """Every problem of the results, including a tie at a quota boundary that the file leaves
    undecided (并列顺位 missing), found by ranking them in memory."""
    problems: list[ResultProblem] = []
    seen: dict[int, int] = {}
    for i, r in enumerate(results):
        if r.staff.pk in seen:
            problems.append(ResultProblem(i, "staff", f"与第 {seen[r.staff.pk] + 1} 条重复"))
        seen.setdefault(r.staff.pk, i)
        if not r.withdrawn and r.written is None:
            problems.append(ResultProblem(i, "written_score", "参加竞聘的人员须有笔试成绩"))
        if not r.withdrawn and r.interview is None:
            problems.append(ResultProblem(i, "interview_score", "参加竞聘的人员须有面试成绩"))
    if not problems:
        problems += _undecided_ties(competition, results)
    return problems


def _undecided_ties(competition: Competition, results: Sequence[PastResult]) -> list:
    entries = [
        Entry(
            i,
            final_score(
                r.written, r.interview, competition.written_weight, competition.interview_weight
            ),
            r.written,
            r.interview,
            r.tie_break,
        )
        for i, r in enumerate(results)
        if not r.withdrawn
    ]
    placed = assign_tiers(
        rank_candidates(entries), selectors.tier_specs(competition), competition.pass_line
    )
    return [
        ResultProblem(p.key, "tie_break", f"第 {p.rank} 名并列且跨档，请填写各人的并列顺位")
        for p in placed
        if p.outcome == TIE
    ]


@transaction.atomic
def import_finished_competition(
    *,
    actor,
    competition: Competition,
    results: Sequence[PastResult],
    notice_start: dt.date,
    notice_end: dt.date,
) -> Competition:
    """导入已完成的竞聘: candidates and scores in, ranking and tiers by the platform's rules,
    status 已定岗 with the notice period it had. Every problem is reported at once."""
    competition = locked(competition)
    check_importable(actor=actor, competition=competition)
    check_notice(notice_start, notice_end)
    if not results:
        raise DomainError("没有竞聘人员。")
    problems = result_problems(competition, results)
    if problems:
        text = "；".join(f"第 {p.index + 1} 条：{p.message}" for p in problems[:20])
        raise DomainError(f"竞聘结果有误：{text}。", field=problems[0].field)
    reference = competition.service_reference_date
    Candidate.objects.bulk_create(
        Candidate(
            competition=competition,
            staff=r.staff,
            service_years=service_years(r.staff.hire_date, reference),
            status=Candidate.Status.WITHDRAWN if r.withdrawn else Candidate.Status.REGISTERED,
            withdraw_reason=r.withdraw_reason[:200],
            written_score=r.written,
            interview_score=r.interview,
            tie_break=r.tie_break,
        )
        for r in results
    )
    apply_ranking(competition)
    competition.notice_start, competition.notice_end = notice_start, notice_end
    competition.published_at = _local_start(notice_start)
    competition.finalised_at = timezone.now()
    change = set_status(competition, Status.FINAL)
    competition.save(
        update_fields=["status", "notice_start", "notice_end", "published_at", "finalised_at"]
    )
    change["after"].update(
        imported=True,
        notice_start=notice_start,
        notice_end=notice_end,
        results=_results(competition),
    )
    audit.record(actor=actor, action="selection.import_finished", obj=competition, **change)
    return competition


def _local_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
