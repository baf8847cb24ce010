"""Candidates: registration with the eligibility check, withdrawal, and the written scores."""

from decimal import Decimal

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.org.models import Staff

from .. import permissions
from ..eligibility import check_eligibility
from ..models import Candidate, Competition
from ..scoring import HUNDRED, parse_score, rounded
from ._common import locked, locked_candidate, require_status, score_text

Status = Competition.Status


@transaction.atomic
def register_candidate(*, actor, competition: Competition, staff: Staff) -> Candidate:
    """报名登记: refused with the reason when the staff member is not eligible."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.REGISTRATION, doing="报名登记")
    staff = Staff.objects.get(pk=staff.pk)
    if Candidate.objects.filter(competition=competition, staff=staff).exists():
        raise DomainError(f"{staff.name} 已报名本次竞聘。", field="staff")
    eligibility = check_eligibility(competition, staff)
    if not eligibility.ok:
        raise DomainError(eligibility.reason, field="staff")
    candidate = Candidate.objects.create(
        competition=competition, staff=staff, service_years=eligibility.service_years
    )
    audit.record(
        actor=actor,
        action="selection.candidate.register",
        obj=candidate,
        after={"competition": competition.pk, "staff_no": staff.staff_no, "name": staff.name},
    )
    return candidate


@transaction.atomic
def withdraw_candidate(*, actor, candidate: Candidate, reason: str) -> Candidate:
    """放弃/缺考: the candidate takes no further part; their scores are kept for the record."""
    permissions.require_manager(actor)
    locked(candidate.competition)
    candidate = locked_candidate(candidate)
    require_status(
        candidate.competition, Status.REGISTRATION, Status.SCORING, doing="登记放弃或缺考"
    )
    if not candidate.is_active:
        raise DomainError(f"{candidate.staff.name} 已登记为放弃/缺考。")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写原因（如：本人放弃、面试缺考）。", field="reason")
    candidate.status = Candidate.Status.WITHDRAWN
    candidate.withdraw_reason = reason[:200]
    candidate.save(update_fields=["status", "withdraw_reason"])
    audit.record(
        actor=actor,
        action="selection.candidate.withdraw",
        obj=candidate,
        before={"status": Candidate.Status.REGISTERED},
        after={"status": candidate.status, "reason": candidate.withdraw_reason},
    )
    return candidate


def _write_scores(actor, competition: Competition, scores: dict[int, Decimal], source: str) -> int:
    """Store written scores {candidate id: score}; one audit entry per changed score."""
    candidates = {
        c.pk: c
        for c in Candidate.objects.select_for_update()
        .select_related("staff")
        .filter(competition=competition, pk__in=scores)
    }
    changed = 0
    for pk, score in scores.items():
        candidate = candidates[pk]
        if candidate.written_score == score:
            continue
        before = score_text(candidate.written_score)
        candidate.written_score = score
        candidate.save(update_fields=["written_score"])
        changed += 1
        audit.record(
            actor=actor,
            action="selection.written_score",
            obj=candidate,
            before={"written_score": before},
            after={"written_score": str(score), "source": source},
        )
    return changed


def _active(competition: Competition, candidate: Candidate) -> None:
    if candidate.competition_id != competition.pk:
        raise DomainError("该人员没有报名本次竞聘。", field="candidate")
    if not candidate.is_active:
        raise DomainError(f"{candidate.staff.name} 已放弃/缺考，不能录入成绩。", field="candidate")


@transaction.atomic
def set_written_score(*, actor, candidate: Candidate, score) -> Candidate:
    """录入笔试成绩 (百分制) by hand."""
    permissions.require_manager(actor)
    competition = locked(candidate.competition)
    require_status(competition, Status.SCORING, doing="录入笔试成绩")
    candidate = locked_candidate(candidate)
    _active(competition, candidate)
    value = parse_score(score, field="written_score", label="笔试成绩")
    _write_scores(actor, competition, {candidate.pk: value}, "manual")
    candidate.written_score = value
    return candidate


@transaction.atomic
def record_written_scores(
    *, actor, competition: Competition, scores: dict[int, Decimal], source: str
) -> int:
    """批量录入笔试成绩 {candidate id: score} (an xlsx import); returns how many changed.

    The caller has checked every row; any unknown or withdrawn candidate refuses the whole lot.
    """
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.SCORING, doing="导入笔试成绩")
    active = set(
        competition.candidates.filter(
            status=Candidate.Status.REGISTERED, pk__in=scores
        ).values_list("pk", flat=True)
    )
    if set(scores) - active:
        raise DomainError("成绩表中有人员未报名本次竞聘或已放弃/缺考。")
    clean = {
        pk: parse_score(v, field="written_score", label="笔试成绩") for pk, v in scores.items()
    }
    return _write_scores(actor, competition, clean, source)


def _exam_results(exam) -> tuple[dict[int, Decimal], Decimal]:
    """(staff id → total score, maximum score) of the written exam in 题库与考试, once its
    results are published (成绩已发布: grading is final)."""
    from chuangkou.exams.models import Exam
    from chuangkou.exams.selectors import candidate_scores, exam_max_score

    if exam.status != Exam.Status.PUBLISHED:
        raise DomainError(f"考试「{exam.title}」的成绩尚未发布，发布后才能导入。", field="exam_id")
    return candidate_scores(exam=exam), Decimal(exam_max_score(exam=exam))


@transaction.atomic
def import_written_scores_from_exam(*, actor, competition: Competition) -> int:
    """从考试导入笔试成绩: each active candidate's graded total, scaled to 100 points
    (total ÷ maximum × 100, rounded half up to two decimals). Nothing is written unless every
    active candidate has a graded attempt."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.SCORING, doing="导入笔试成绩")
    if competition.exam_id is None:
        raise DomainError("本次竞聘没有关联笔试考试，请先在设置中选择考试。", field="exam_id")
    totals, maximum = _exam_results(competition.exam)
    if maximum <= 0:
        raise DomainError("该考试的满分为 0，无法换算成绩。", field="exam_id")
    active = list(
        competition.candidates.filter(status=Candidate.Status.REGISTERED).select_related("staff")
    )
    missing = [c.staff.name for c in active if c.staff_id not in totals]
    if missing:
        raise DomainError(
            f"以下人员在该考试中没有已批改的成绩：{'、'.join(missing)}。"
            "请先登记其缺考，或改用 Excel 导入。",
            field="exam_id",
        )
    scores = {
        c.pk: min(
            HUNDRED, max(Decimal(0), rounded(Decimal(totals[c.staff_id]) * HUNDRED / maximum))
        )
        for c in active
    }
    return _write_scores(actor, competition, scores, f"exam:{competition.exam_id}")
