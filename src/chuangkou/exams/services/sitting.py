"""作答: starting, autosaving and submitting an attempt. Time is kept by the server.

deadline = min(exam end, started_at + duration). A save after the deadline is refused; any
read, save or submit of an attempt past its deadline submits it on the server (到时自动交卷),
and listing or opening an exam finalises its overdue attempts, so no process has to run for it.
"""

import datetime as dt
import math
import random

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError

from .. import content
from ..models import Attempt, AttemptItem, Exam, QuestionKind, QuestionVersion
from ..permissions import require_candidate
from ..scoring import score_objective
from .grading import assign_items, recompute_attempt
from .papers import draw

TIME_UP = "考试时间已到，系统已自动交卷，此后的作答不再保存。"


def _rng(*parts) -> random.Random:
    """A deterministic generator for draws and shuffles (fairness, not secrecy)."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311


def _build_items(attempt: Attempt) -> list[AttemptItem]:
    exam = attempt.exam
    paper = exam.paper
    seed = (exam.pk, attempt.staff_id) if paper.draw_per_candidate else (exam.pk,)
    drawn = draw(paper, _rng("draw", *seed))
    orders = list(range(1, len(drawn) + 1))
    if paper.shuffle_questions:
        _rng("order", exam.pk, attempt.staff_id).shuffle(orders)
    configs = dict(
        QuestionVersion.objects.filter(pk__in=[d.version_id for d in drawn]).values_list(
            "pk", "config"
        )
    )
    option_rng = _rng("options", exam.pk, attempt.staff_id)
    items = []
    for d, order in zip(drawn, orders, strict=True):
        keys = [o["key"] for o in configs[d.version_id].get("options", [])]
        if keys and paper.shuffle_options:
            option_rng.shuffle(keys)
        items.append(
            AttemptItem(
                attempt=attempt,
                question_id=d.question_id,
                version_id=d.version_id,
                kind=d.kind,
                slot=d.slot,
                order=order,
                points=d.points,
                option_order=keys,
            )
        )
    return AttemptItem.objects.bulk_create(items)


@transaction.atomic
def start_attempt(*, actor, attempt: Attempt) -> Attempt:
    """开始作答 (or come back to it: a started attempt is returned as it is)."""
    require_candidate(actor, attempt)
    attempt = Attempt.objects.select_for_update().select_related("exam__paper").get(pk=attempt.pk)
    exam = attempt.exam
    now = timezone.now()
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return attempt
    if attempt.status == Attempt.Status.SUBMITTED:
        raise DomainError("您已交卷，不能再次作答。", status=409)
    if exam.status != Exam.Status.OPEN:
        raise DomainError("考试尚未开放或已经结束。", status=409)
    if now < exam.starts_at:
        start = timezone.localtime(exam.starts_at)
        raise DomainError(f"考试将于 {start:%Y-%m-%d %H:%M} 开始，请届时进入。", status=409)
    if now >= exam.ends_at:
        raise DomainError("考试已结束。", status=409)
    _build_items(attempt)
    attempt.status = Attempt.Status.IN_PROGRESS
    attempt.started_at = now
    attempt.deadline = min(exam.ends_at, now + dt.timedelta(minutes=exam.duration_minutes))
    attempt.save(update_fields=["status", "started_at", "deadline"])
    audit.record(
        actor=actor, action="exams.attempt.start", obj=attempt, after={"deadline": attempt.deadline}
    )
    return attempt


def seconds_left(attempt: Attempt) -> int:
    """Whole seconds until the deadline, rounded up (a browser never ends before the server)."""
    if attempt.status != Attempt.Status.IN_PROGRESS or attempt.deadline is None:
        return 0
    return max(0, math.ceil((attempt.deadline - timezone.now()).total_seconds()))


def is_overdue(attempt: Attempt) -> bool:
    return (
        attempt.status == Attempt.Status.IN_PROGRESS
        and attempt.deadline is not None
        and timezone.now() >= attempt.deadline
    )


def finalise_if_overdue(attempt: Attempt) -> bool:
    """Submit an attempt whose time is up (in its own transaction); True when it did."""
    if not is_overdue(attempt):
        return False
    submit_attempt(actor=None, attempt=attempt, auto=True)
    attempt.refresh_from_db()
    return True


def finalise_overdue_attempts(*, exam: Exam | None = None) -> int:
    """到时自动交卷 for every overdue attempt (of one exam, or all)."""
    overdue = Attempt.objects.filter(
        status=Attempt.Status.IN_PROGRESS, deadline__lte=timezone.now()
    )
    if exam is not None:
        overdue = overdue.filter(exam=exam)
    count = 0
    for attempt in overdue:
        submit_attempt(actor=None, attempt=attempt, auto=True)
        count += 1
    return count


def save_answer(*, actor, attempt: Attempt, item: AttemptItem, response: object) -> AttemptItem:
    """保存作答 of one question (idempotent: the same answer twice is the same state).

    Not one transaction on purpose: when the time is up the automatic submission is committed
    and only then is the save refused.
    """
    require_candidate(actor, attempt)
    if item.attempt_id != attempt.pk:
        raise DomainError("该题不属于这份答卷。", status=404)
    if finalise_if_overdue(attempt):
        raise DomainError(TIME_UP, status=409)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise DomainError("答卷已提交，不能再修改。", status=409)
    clean = content.clean_answer(item.kind, item.version.config, response)
    now = timezone.now()
    saved = AttemptItem.objects.filter(
        pk=item.pk, attempt__status=Attempt.Status.IN_PROGRESS, attempt__deadline__gt=now
    ).update(response=clean, saved_at=now)
    if not saved:
        finalise_if_overdue(attempt)
        raise DomainError(TIME_UP, status=409)
    item.response, item.saved_at = clean, now
    return item


@transaction.atomic
def submit_attempt(*, actor, attempt: Attempt, auto: bool = False) -> Attempt:
    """交卷: objective answers are graded now, open answers go to their blind graders.
    Submitting twice is harmless. `actor=None` is the system (到时自动交卷)."""
    if actor is not None:
        require_candidate(actor, attempt)
    attempt = (
        Attempt.objects.select_for_update()
        .select_related("exam__paper", "staff")
        .get(pk=attempt.pk)
    )
    if attempt.status == Attempt.Status.SUBMITTED:
        return attempt
    if attempt.status == Attempt.Status.PENDING:
        raise DomainError("尚未开始作答。", status=409)
    now = timezone.now()
    auto = auto or now >= attempt.deadline
    multi_rule = attempt.exam.paper.multi_rule
    items = list(attempt.items.select_related("version"))
    for item in items:
        item.attempt = attempt
        item.score = score_objective(
            kind=item.kind,
            config=item.version.config,
            answer=item.response,
            points=item.points,
            multi_rule=multi_rule,
        )
    AttemptItem.objects.bulk_update(items, ["score"])
    attempt.status = Attempt.Status.SUBMITTED
    attempt.submitted_at = min(now, attempt.deadline)
    attempt.auto_submitted = auto
    attempt.save(update_fields=["status", "submitted_at", "auto_submitted"])
    to_grade = [i for i in items if i.kind == QuestionKind.OPEN and i.score is None]
    assign_items(exam=attempt.exam, items=to_grade)
    recompute_attempt(attempt, items)
    audit.record(
        actor=actor,
        action="exams.attempt.auto_submit" if auto else "exams.attempt.submit",
        obj=attempt,
        after={"objective_score": attempt.objective_score, "open_to_grade": len(to_grade)},
    )
    return attempt
