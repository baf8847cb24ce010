"""考试: scheduling, candidates, graders, closing and publishing results."""

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Staff

from .. import notices
from ..models import Attempt, Exam, Grade, Paper
from ..permissions import require_manager
from .papers import check_paper_ready

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
MAX_DURATION = 600


def new_codes(count: int) -> list[str]:
    """Anonymous codes (密号) for graders: random, unique, nothing to do with the person."""
    existing = set()
    codes: list[str] = []
    while len(codes) < count:
        batch = {
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
            for _ in range(count - len(codes))
        }
        batch -= existing
        taken = set(Attempt.objects.filter(code__in=batch).values_list("code", flat=True))
        fresh = sorted(batch - taken)
        existing.update(fresh)
        codes.extend(fresh)
    return codes


def _check_schedule(starts_at: dt.datetime, ends_at: dt.datetime, duration_minutes: int) -> None:
    if starts_at is None or ends_at is None:
        raise DomainError("请填写开始和结束时间。", field="starts_at")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError("时间须带时区。", field="starts_at")
    if ends_at <= starts_at:
        raise DomainError("结束时间须晚于开始时间。", field="ends_at")
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= MAX_DURATION:
        raise DomainError(f"考试时长应为 1 到 {MAX_DURATION} 分钟。", field="duration_minutes")


@transaction.atomic
def create_exam(
    *,
    actor,
    title: str,
    paper: Paper,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    duration_minutes: int,
    purpose: str = Exam.Purpose.PRACTICE,
    grading_gap=None,
) -> Exam:
    """安排考试 (a draft until opened)."""
    require_manager(actor)
    title = (title or "").strip()
    if not title:
        raise DomainError("请填写考试名称。", field="title")
    if purpose not in Exam.Purpose.values:
        raise DomainError("考试用途无效。", field="purpose")
    _check_schedule(starts_at, ends_at, duration_minutes)
    exam = Exam.objects.create(
        title=title,
        paper=paper,
        purpose=purpose,
        starts_at=starts_at,
        ends_at=ends_at,
        duration_minutes=duration_minutes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **({"grading_gap": grading_gap} if grading_gap is not None else {}),
    )
    audit.record(
        actor=actor,
        action="exams.exam.create",
        obj=exam,
        after={
            "paper": paper.name,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "duration": duration_minutes,
        },
    )
    return exam


@transaction.atomic
def add_candidates(*, actor, exam: Exam, staff: Iterable[Staff]) -> int:
    """添加考生 (staff in post); those already on the list are skipped. Returns how many."""
    require_manager(actor)
    if exam.status in (Exam.Status.CLOSED, Exam.Status.PUBLISHED):
        raise DomainError("考试已结束，不能再添加考生。")
    people = [s for s in staff if s.status != Staff.Status.LEFT]
    present = set(exam.attempts.values_list("staff_id", flat=True))
    new = [s for s in people if s.pk not in present]
    codes = new_codes(len(new))
    Attempt.objects.bulk_create(
        Attempt(exam=exam, staff=s, code=code) for s, code in zip(new, codes, strict=True)
    )
    if new:
        audit.record(
            actor=actor,
            action="exams.exam.add_candidates",
            obj=exam,
            after={"added": len(new), "staff": [s.staff_no for s in new][:500]},
        )
    return len(new)


MAX_LISTED_NUMBERS = 2000


def parse_staff_numbers(text: str) -> list[str]:
    """工号 from a pasted list: one per line or separated by spaces, commas or 、; repeats once."""
    for sep in ",，、;；\t\r\n":
        text = text.replace(sep, " ")
    return list(dict.fromkeys(n for n in text.split(" ") if n))


@transaction.atomic
def add_candidates_by_number(*, actor, exam: Exam, numbers: Iterable[str], among=None) -> int:
    """从名单添加考生: every 工号 must be a person in post (among `among`, the staff the actor
    may see); otherwise every unknown or departed 工号 is named and nobody is added."""
    require_manager(actor)
    numbers = list(dict.fromkeys(str(n).strip() for n in numbers if str(n).strip()))
    if not numbers:
        raise DomainError("请填写或上传考生工号。", field="numbers")
    if len(numbers) > MAX_LISTED_NUMBERS:
        raise DomainError(f"一次最多添加 {MAX_LISTED_NUMBERS} 名考生。", field="numbers")
    pool = Staff.objects.all() if among is None else among
    readable = [n for n in numbers if "\x00" not in n]  # PostgreSQL refuses NUL in text
    found = {s.staff_no: s for s in pool.filter(staff_no__in=readable)}
    unknown = [n for n in numbers if n not in found]
    gone = [n for n in numbers if n in found and found[n].status == Staff.Status.LEFT]
    problems = []
    if unknown:
        problems.append(f"以下 {len(unknown)} 个工号查无此人：{'、'.join(unknown)}")
    if gone:
        problems.append(f"以下 {len(gone)} 人已离职：{'、'.join(gone)}")
    if problems:
        raise DomainError("未添加任何考生。" + "；".join(problems) + "。", field="numbers")
    return add_candidates(actor=actor, exam=exam, staff=[found[n] for n in numbers])


@transaction.atomic
def set_graders(*, actor, exam: Exam, graders: Iterable) -> None:
    """指定阅卷人 (accounts holding the grader role); open answers waiting are then assigned."""
    from .grading import assign_waiting_items

    require_manager(actor)
    graders = list(graders)
    not_graders = [g for g in graders if not has_role(g, Role.GRADER)]
    if not_graders:
        raise DomainError(f"{not_graders[0]} 没有阅卷人角色。", field="graders")
    removed = set(exam.graders.values_list("pk", flat=True)) - {g.pk for g in graders}
    if (
        removed
        and Grade.objects.filter(
            item__attempt__exam=exam, grader_id__in=removed, score__isnull=True
        ).exists()
    ):
        raise DomainError("被移除的阅卷人还有未评完的答卷。", field="graders")
    exam.graders.set(graders)
    audit.record(
        actor=actor,
        action="exams.exam.graders",
        obj=exam,
        after={"graders": sorted(g.get_username() for g in graders)},
    )
    assign_waiting_items(exam=exam)
    notices.graders_set(exam)  # each grader is told of the task


@transaction.atomic
def open_exam(*, actor, exam: Exam) -> Exam:
    """开放考试: candidates may start within the time window."""
    require_manager(actor)
    if exam.status != Exam.Status.DRAFT:
        raise DomainError("只有草稿状态的考试可以开放。")
    check_paper_ready(exam.paper)
    if not exam.attempts.exists():
        raise DomainError("请先添加考生。")
    exam.status = Exam.Status.OPEN
    exam.save(update_fields=["status"])
    audit.record(actor=actor, action="exams.exam.open", obj=exam, after={"status": exam.status})
    notices.exam_opened(exam)  # each candidate is told
    return exam


@transaction.atomic
def close_exam(*, actor, exam: Exam) -> Exam:
    """结束考试: every attempt still open is submitted as it stands; no one may start after."""
    from .sitting import submit_many

    require_manager(actor)
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.status != Exam.Status.OPEN:
        raise DomainError("只有已开放的考试可以结束。")
    open_attempts = exam.attempts.filter(status=Attempt.Status.IN_PROGRESS).order_by("pk")
    submit_many(attempt_ids=list(open_attempts.values_list("pk", flat=True)))
    exam.status = Exam.Status.CLOSED
    exam.save(update_fields=["status"])
    absent = exam.attempts.filter(status=Attempt.Status.PENDING).count()
    audit.record(
        actor=actor,
        action="exams.exam.close",
        obj=exam,
        after={"status": exam.status, "absent": absent},
    )
    return exam


@transaction.atomic
def publish_results(*, actor, exam: Exam) -> Exam:
    """发布成绩: once every answer is graded; candidates then see their results and the key."""
    require_manager(actor)
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.status == Exam.Status.OPEN and timezone.now() >= exam.ends_at:
        close_exam(actor=actor, exam=exam)
        exam.refresh_from_db()
    if exam.status != Exam.Status.CLOSED:
        raise DomainError("考试结束后才能发布成绩。")
    waiting = exam.attempts.filter(status=Attempt.Status.SUBMITTED, graded=False).count()
    if waiting:
        raise DomainError(f"还有 {waiting} 份答卷未阅完，不能发布成绩。")
    exam.status = Exam.Status.PUBLISHED
    exam.published_at = timezone.now()
    exam.save(update_fields=["status", "published_at"])
    audit.record(
        actor=actor,
        action="exams.exam.publish",
        obj=exam,
        after={"status": exam.status, "published_at": exam.published_at},
    )
    return exam
