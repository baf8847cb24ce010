"""阅卷: blind double grading of open answers, a third grade on disagreement, attempt totals.

Each open answer gets two graders of the exam (never the same one twice, never the candidate
themself), the two least loaded at that moment. When their scores differ by more than the exam's
gap (a percentage of the question's points), a third grader not yet on the answer is added. The
final score is scoring.final_open_score: the mean of the two, or of the two closest of three.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.connections import prepared_cursor
from chuangkou.core.errors import DomainError

from .. import sql
from ..models import Attempt, AttemptItem, Exam, Grade, QuestionKind
from ..permissions import require_grader_of
from ..scoring import ZERO, final_open_score, needs_third_grade


def _sums(items: Iterable[AttemptItem]) -> dict:
    sums = {"objective": None, "subjective": None, "open_items": 0, "pending": 0}
    for item in items:
        key = "subjective" if item.kind == QuestionKind.OPEN else "objective"
        sums["open_items"] += item.kind == QuestionKind.OPEN
        if item.score is None:
            sums["pending"] += 1
        else:
            sums[key] = (sums[key] or ZERO) + item.score
    return sums


TOTALS = ("objective_score", "subjective_score", "graded", "total_score")


def apply_totals(attempt: Attempt, items: Iterable[AttemptItem] | None = None) -> Attempt:
    """Set (not save) the attempt's objective, subjective and total scores; `graded` once every
    item is scored. `items`: the attempt's items in hand (else summed in the database)."""
    if items is not None:
        sums = _sums(items)
    else:
        sums = attempt.items.aggregate(
            objective=Sum("score", filter=~Q(kind=QuestionKind.OPEN)),
            subjective=Sum("score", filter=Q(kind=QuestionKind.OPEN)),
            open_items=Count("pk", filter=Q(kind=QuestionKind.OPEN)),
            pending=Count("pk", filter=Q(score__isnull=True)),
        )
    attempt.objective_score = sums["objective"] or ZERO
    attempt.subjective_score = (sums["subjective"] or ZERO) if sums["open_items"] else None
    attempt.graded = attempt.status == Attempt.Status.SUBMITTED and sums["pending"] == 0
    attempt.total_score = (
        attempt.objective_score + (attempt.subjective_score or ZERO) if attempt.graded else None
    )
    return attempt


def recompute_attempt(
    attempt: Attempt,
    items: Iterable[AttemptItem] | None = None,
    *,
    also: Sequence[str] = (),
) -> Attempt:
    """apply_totals, saved; `also`: more fields of the attempt to write in the same UPDATE."""
    apply_totals(attempt, items)
    attempt.save(update_fields=[*also, *TOTALS])
    return attempt


UPDATE_BATCH_PARAMS = 4000  # parameters per UPDATE: within SQLite's and PostgreSQL's limits


def update_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write many rows' `fields` in one `UPDATE … FROM (VALUES …)` per batch (SQLite 3.33+ and
    PostgreSQL), instead of one UPDATE per row or Django's CASE over every id (whose building
    costs more than the writing). `rows`: (pk, value of each field…). Values go through each
    field's own preparation; on PostgreSQL they are cast to the column's type (a column of
    NULLs would otherwise be text), and each statement text (one per batch size) is prepared
    once per connection (core.connections.prepared_cursor: a submit's 20-row UPDATE cost more
    to plan than to run)."""
    rows = list(rows)
    conn = connections[DEFAULT_DB_ALIAS]  # the connection itself: no thread-local per value
    meta = model._meta
    model_fields = [meta.get_field(f) for f in fields]
    pg = conn.vendor == "postgresql"
    casts = [meta.pk, *model_fields]

    def slot(field) -> str:
        return f"CAST(%s AS {field.cast_db_type(conn)})" if pg else "%s"

    row_sql = "(" + ", ".join(slot(f) for f in casts) + ")"
    table = conn.ops.quote_name(meta.db_table)
    sets = ", ".join(
        f"{conn.ops.quote_name(f.column)} = v.column{i}"
        for i, f in enumerate(model_fields, start=2)
    )
    preps = [f.get_db_prep_value for f in casts]
    per_batch = max(1, UPDATE_BATCH_PARAMS // len(casts))
    written = 0
    with prepared_cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            params = [
                prep(value, conn) for row in batch for prep, value in zip(preps, row, strict=True)
            ]
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row_sql] * len(batch))}) "  # noqa: S608
                f"AS v WHERE {table}.{conn.ops.quote_name(meta.pk.column)} = v.column1",
                params,
            )
            written += cursor.rowcount
    return written


def write_item_scores(scores: Iterable[tuple[int, Decimal | None]]) -> int:
    """Many items' scores, in one UPDATE per batch (see update_rows)."""
    return update_rows(AttemptItem, ["score"], scores)


def gap_points(item: AttemptItem, exam: Exam) -> Decimal:
    return (item.points * exam.grading_gap / 100).quantize(Decimal("0.01"))


def _load(exam: Exam) -> dict[int, int]:
    rows = (
        Grade.objects.filter(item__attempt__exam=exam, score__isnull=True)
        .values("grader_id")
        .annotate(n=Count("pk"))
    )
    return {r["grader_id"]: r["n"] for r in rows}


def _pick(graders: list[int], load: dict[int, int], exclude: set[int], k: int) -> list[int]:
    free = sorted((g for g in graders if g not in exclude), key=lambda g: (load.get(g, 0), g))
    return free[:k]


def grader_pool(exam: Exam) -> tuple[list[int], dict[int, int]]:
    """The exam's graders and how many answers of the exam each still has to grade, in one
    fixed statement (submitting reads it for every candidate with an open answer)."""
    with prepared_cursor() as cursor:
        cursor.execute(sql.grader_pool_query(), [exam.pk, exam.pk])
        rows = cursor.fetchall()
    return [g for g, _ in rows], {g: n for g, n in rows if n}


def assign_items(
    *,
    exam: Exam,
    items: Iterable[AttemptItem],
    pool: tuple[list[int], dict[int, int]] | None = None,
) -> int:
    """Give each open answer its two blind graders; answers wait while fewer than two can take
    them. `pool`: grader_pool(exam) read beforehand (outside a write transaction: balancing
    the load needs no lock). Returns how many answers were assigned."""
    items = list(items)
    if not items:
        return 0
    graders, load = pool if pool is not None else grader_pool(exam)
    if len(graders) < 2:
        return 0
    load = dict(load)
    grades, assigned = [], 0
    for item in items:
        own = {item.attempt.staff.user_id} - {None}
        pair = _pick(graders, load, own, 2)
        if len(pair) < 2:
            continue
        for round_no, grader in enumerate(pair, start=1):
            grades.append(Grade(item_id=item.pk, grader_id=grader, round=round_no))
            load[grader] = load.get(grader, 0) + 1
        assigned += 1
    Grade.objects.bulk_create(grades)
    return assigned


def _assign_third(item: AttemptItem, exam: Exam) -> bool:
    graders = list(exam.graders.values_list("pk", flat=True))
    exclude = set(item.grades.values_list("grader_id", flat=True)) | (
        {item.attempt.staff.user_id} - {None}
    )
    third = _pick(graders, _load(exam), exclude, 1)
    if not third:
        return False
    Grade.objects.create(item=item, grader_id=third[0], round=3)
    return True


def _needs_third(item: AttemptItem, exam: Exam, scores: list[Decimal]) -> bool:
    return len(scores) == 2 and needs_third_grade(*scores, gap=gap_points(item, exam))


def assign_waiting_items(*, exam: Exam) -> int:
    """Assign open answers that are still waiting for graders (after graders were added)."""
    waiting = (
        AttemptItem.objects.filter(
            attempt__exam=exam,
            attempt__status=Attempt.Status.SUBMITTED,
            kind=QuestionKind.OPEN,
            score__isnull=True,
        )
        .annotate(n=Count("grades"))
        .select_related("attempt__staff")
    )
    assigned = assign_items(exam=exam, items=[i for i in waiting if i.n == 0])
    for item in waiting:
        if item.n == 2:
            scores = [g.score for g in item.grades.all() if g.score is not None]
            if _needs_third(item, exam, scores):
                assigned += _assign_third(item, exam)
    return assigned


def parse_grade(value: object, points: Decimal) -> Decimal:
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("评分应为数字。", field="score") from None
    if not score.is_finite() or score != score.quantize(Decimal("0.01")):
        raise DomainError("评分最多保留两位小数。", field="score")
    if not ZERO <= score <= points:
        raise DomainError(f"评分应在 0 到 {points} 之间。", field="score")
    return score.quantize(Decimal("0.01"))


@transaction.atomic
def record_grade(*, actor, grade: Grade, score, comment: str = "") -> Grade:
    """评分: a grader scores an answer assigned to them, once; the answer is settled when its
    grades agree (or a third one decides)."""
    require_grader_of(actor, grade)
    grade = Grade.objects.select_for_update().select_related("item__attempt__exam").get(pk=grade.pk)
    if grade.score is not None:
        raise DomainError("这份答卷您已评分，不能修改。")
    item = grade.item
    exam = item.attempt.exam
    if exam.status == Exam.Status.PUBLISHED:
        raise DomainError("成绩已发布，不能再评分。")
    grade.score = parse_grade(score, item.points)
    grade.comment = (comment or "").strip()[:500]
    grade.graded_at = timezone.now()
    grade.save(update_fields=["score", "comment", "graded_at"])
    audit.record(
        actor=actor,
        action="exams.grade.record",
        obj=grade,
        after={
            "attempt": item.attempt.code,
            "slot": item.slot,
            "round": grade.round,
            "score": grade.score,
        },
    )
    settle_item(item=item, exam=exam)
    return grade


def settle_item(*, item: AttemptItem, exam: Exam) -> Decimal | None:
    """The open answer's final score once its grades allow it; a third grader when needed."""
    grades = list(item.grades.order_by("round"))
    if len(grades) < 2 or any(g.score is None for g in grades):
        return None
    scores = [g.score for g in grades]
    if _needs_third(item, exam, scores):
        _assign_third(item, exam)
        return None
    final = final_open_score(scores, points=item.points, gap=gap_points(item, exam))
    if final is not None:
        item.score = final
        item.save(update_fields=["score"])
        recompute_attempt(item.attempt)
    return final
