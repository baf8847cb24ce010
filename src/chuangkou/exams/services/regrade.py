"""重新评分 after a key correction: answers of one question in one exam are scored again against
the question's current version. The dry run lists whose scores would change and writes nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError

from ..models import Attempt, AttemptItem, Exam, Question
from ..permissions import require_manager
from ..scoring import ZERO, score_objective
from .grading import recompute_attempt


@dataclass(frozen=True)
class RegradeChange:
    attempt_id: int
    code: str
    staff_name: str
    old_score: Decimal
    new_score: Decimal
    old_total: Decimal | None
    new_total: Decimal | None

    @property
    def delta(self) -> Decimal:
        return self.new_score - self.old_score


@dataclass
class RegradeReport:
    question: Question
    to_version: int
    from_versions: list[int]
    answers: int = 0
    changes: list[RegradeChange] = field(default_factory=list)
    applied: bool = False


def _total_after(attempt: Attempt, old: Decimal, new: Decimal) -> Decimal | None:
    if attempt.total_score is None:
        return None
    return attempt.total_score - old + new


@transaction.atomic
def regrade_question(
    *, actor, exam: Exam, question: Question, dry_run: bool = True
) -> RegradeReport:
    """Score every submitted answer of `question` in `exam` against its current version.

    With dry_run the report says who would change and nothing is written; otherwise the answers
    are moved onto the current version with their new scores, and the totals follow.
    """
    require_manager(actor)
    question = Question.objects.select_related("current_version").get(pk=question.pk)
    if not question.is_objective:
        raise DomainError("开放式陈述题由阅卷人评分，不能自动重新评分。", field="question")
    version = question.current_version
    items = list(
        AttemptItem.objects.filter(
            attempt__exam=exam, question=question, attempt__status=Attempt.Status.SUBMITTED
        )
        .select_related("attempt__staff", "version")
        .order_by("attempt_id")
    )
    if not items:
        raise DomainError("本场考试没有已交卷的考生作答过这道题。", field="question")
    report = RegradeReport(
        question=question,
        to_version=version.number,
        from_versions=sorted({i.version.number for i in items}),
        answers=len(items),
    )
    multi_rule = exam.paper.multi_rule
    for item in items:
        new = score_objective(
            kind=item.kind,
            config=version.config,
            answer=item.response,
            points=item.points,
            multi_rule=multi_rule,
        )
        old = item.score if item.score is not None else ZERO
        if new != old:
            attempt = item.attempt
            report.changes.append(
                RegradeChange(
                    attempt.pk,
                    attempt.code,
                    attempt.staff.name,
                    old,
                    new,
                    attempt.total_score,
                    _total_after(attempt, old, new),
                )
            )
        item.score, item.version = new, version
    if dry_run:
        transaction.set_rollback(True)
        return report
    AttemptItem.objects.bulk_update(items, ["score", "version"])
    for attempt in Attempt.objects.filter(pk__in={c.attempt_id for c in report.changes}):
        recompute_attempt(attempt)
    report.applied = True
    audit.record(
        actor=actor,
        action="exams.exam.regrade",
        obj=exam,
        after={
            "question": question.code,
            "version": version.number,
            "answers": len(items),
            "changes": [
                {"attempt": c.code, "old": c.old_score, "new": c.new_score} for c in report.changes
            ][:300],
        },
    )
    return report
