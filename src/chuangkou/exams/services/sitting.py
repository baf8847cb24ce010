"""作答: starting, autosaving and submitting an attempt. Time is kept by the server.

deadline = min(exam end, started_at + duration). A save after the deadline is refused; any
read, save or submit of an attempt past its deadline submits it on the server (到时自动交卷),
and listing or opening an exam finalises its overdue attempts, so no process has to run for it.
"""

import datetime as dt
import json
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.connections import prepared_cursor
from chuangkou.core.errors import DomainError

from .. import content, selectors, sql
from ..models import Attempt, AttemptItem, Exam, QuestionKind, QuestionVersion
from ..permissions import require_candidate
from ..scoring import CENT, score_objective
from .grading import (
    TOTALS,
    apply_totals,
    assign_items,
    grader_pool,
    update_rows,
    write_item_scores,
)
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
    return submit_many(attempt_ids=list(overdue.order_by("pk").values_list("pk", flat=True)))


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
    if not _write_answer(item, clean, now):  # the row says otherwise: submitted or time up
        attempt.refresh_from_db(fields=["status", "deadline", "submitted_at", "auto_submitted"])
        if finalise_if_overdue(attempt) or attempt.auto_submitted:
            raise DomainError(TIME_UP, status=409)
        raise DomainError("答卷已提交，不能再修改。", status=409)
    item.response, item.saved_at = clean, now
    return item


def _write_answer(item: AttemptItem, clean: object, now: dt.datetime) -> bool:
    """Store the answer if its attempt is still in progress and before its deadline.

    On PostgreSQL the attempt's row is read FOR SHARE: a save that races a submit waits for
    the submit's commit and is then refused. Without it the save could commit after the
    submit checked the answers, leaving an answer in a submitted attempt that was never
    scored. (On SQLite writes run one at a time, which gives the same.)"""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    quote = connection.ops.quote_name
    response = AttemptItem._meta.get_field("response")
    saved_at = AttemptItem._meta.get_field("saved_at")
    moment = saved_at.get_db_prep_save(now, connection)
    with prepared_cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(AttemptItem._meta.db_table)} SET response = %s, saved_at = %s "  # noqa: S608
            f"WHERE id = %s AND EXISTS (SELECT 1 FROM {quote(Attempt._meta.db_table)} "
            f"WHERE id = %s AND status = %s AND deadline > %s{lock})",
            [
                response.get_db_prep_save(clean, connection),
                moment,
                item.pk,
                item.attempt_id,
                Attempt.Status.IN_PROGRESS.value,
                moment,
            ],
        )
        return cursor.rowcount == 1


@dataclass(slots=True)
class ScoredItem:
    """What submitting needs of an item (no model instance: a hundred of them cost more than
    the scoring itself). `saved_at` tells whether the answer changed since it was scored: only
    compared with a second read of the same kind (submit_attempt's reads give it as the text the
    database keeps, submit_many's as a datetime)."""

    pk: int
    attempt: Attempt | None  # set for an open answer before it goes to its graders
    kind: str
    points: Decimal
    saved_at: dt.datetime | str | None
    score: Decimal | None


def _scored_items(attempt: Attempt) -> list[ScoredItem]:
    """The attempt's items with their objective scores, read in one fixed statement (only the
    columns scoring needs, the paper's rule joined in) and scored in memory; nothing is written."""
    query, columns = sql.scored_items_query()
    with prepared_cursor() as cursor:
        cursor.execute(query, [attempt.pk])
        rows = cursor.fetchall()
    scored = []
    for row in rows:
        pk, kind, points, saved_at, response, config, rule = columns.convert(row)
        score = score_objective(
            kind=kind,
            config=sql.version_config(config),
            answer=response,
            points=points,
            multi_rule=rule,
        )
        scored.append(ScoredItem(pk, attempt, kind, points, saved_at, score))
    return scored


@dataclass(slots=True)
class OwnAttempt:
    """A candidate's attempt as submit_own_attempt reads it: the attempt (with its exam, paper
    and candidate), its items as read (id, kind, points, saved_at as text, answer, key) and
    the exam's graders with their load (None when the attempt has no open question)."""

    attempt: Attempt
    items: list[list]
    pool: tuple[list[int], dict[int, int]] | None

    def scored(self) -> list[ScoredItem]:
        """The items scored in memory (as _scored_items)."""
        attempt, rule = self.attempt, self.attempt.exam.paper.multi_rule
        scored = []
        for pk, kind, points, saved_at, response, config in self.items:
            score = score_objective(
                kind=kind, config=config, answer=response, points=points, multi_rule=rule
            )
            scored.append(ScoredItem(pk, attempt, kind, points, saved_at, score))
        return scored


def read_own_attempt(user, attempt_id: int) -> OwnAttempt | None:
    """The user's own attempt `attempt_id` in an exam that is no longer a draft (as
    selectors.own_attempt), with its answers and the graders' load, in one fixed statement
    of one row (sql.own_submit_query); None when there is no such attempt of theirs."""
    found = selectors.own_attempt_row(
        user, attempt_id, sql.own_submit_query, QuestionKind.OPEN.value
    )
    if found is None:
        return None
    attempt, (answers,) = found
    items, pool = [], None
    # decimals as Decimal (the points); the answers and keys are JSON inside the JSON
    for *item, pairs in json.loads(answers or "[]", parse_float=Decimal):
        item[2] = Decimal(item[2]).quantize(CENT)  # as the field's (SQLite: 10, not 10.00)
        items.append(item)
        if item[1] == QuestionKind.OPEN and pool is None:
            pairs = pairs or []  # NULL: no graders
            pool = ([g for g, _ in pairs], {g: n for g, n in pairs if n})
    return OwnAttempt(attempt, items, pool)


def _lock(attempt: Attempt) -> tuple[str, dt.datetime | None, dict[int, str | None]]:
    """Lock the attempt's row (PostgreSQL: and its answers', see sql.lock_query) and read, in
    the same statement, its status, its deadline and when each answer was last saved (to tell
    whether any changed since it was scored)."""
    query, columns = sql.lock_query()
    with prepared_cursor() as cursor:
        cursor.execute(query, [attempt.pk])
        rows = cursor.fetchall()
        if not rows:  # PostgreSQL, an attempt without answers
            cursor.execute(sql.lock_query(with_items=False)[0], [attempt.pk])
            rows = cursor.fetchall()
    # the attempt's columns repeat on every item's row: converted once
    status, deadline = columns.convert(rows[0][:2])
    saved = {pk: saved_at for _, _, pk, saved_at in rows if pk is not None}
    return status, deadline, saved


def _open_to_grade(items: list[ScoredItem]) -> list[ScoredItem]:
    return [i for i in items if i.kind == QuestionKind.OPEN and i.score is None]


def submit_own_attempt(*, actor, attempt_id: int) -> Attempt | None:
    """交卷 by the candidate (the API's and the sitting page's): submit_attempt of the actor's
    own attempt, which is read with its answers and the graders' load in one statement
    (read_own_attempt) instead of three; None when the attempt is not theirs."""
    own = read_own_attempt(actor, attempt_id)
    if own is None:
        return None
    return submit_attempt(actor=actor, attempt=own.attempt, read=own)


def submit_attempt(
    *, actor, attempt: Attempt, auto: bool = False, read: OwnAttempt | None = None
) -> Attempt:
    """交卷: objective answers are graded now, open answers go to their blind graders.
    Submitting twice is harmless. `actor=None` is the system (到时自动交卷).

    The answers are read and scored, and the graders' load read, before the write transaction;
    inside it (one short transaction of a fixed number of statements, see
    tests/exams/test_statement_budget.py) the attempt is locked and the answers checked
    unchanged in one statement (else read and scored again), every score written in one
    UPDATE, the graders' tasks in one INSERT, the attempt's state and totals in one UPDATE,
    then the audit entry. On SQLite, where write transactions run one at a time, the reading
    and scoring do not hold up the other candidates.
    """
    if actor is not None:
        require_candidate(actor, attempt)
    if attempt.status == Attempt.Status.SUBMITTED:  # final: submitting again changes nothing
        return attempt
    if attempt.status != Attempt.Status.IN_PROGRESS:
        scored, pool = None, None
    elif read is not None:  # read with the attempt (read_own_attempt)
        scored, pool = read.scored(), read.pool
    else:
        scored = _scored_items(attempt)
        pool = grader_pool(attempt.exam) if _open_to_grade(scored) else None
    return _submit(actor=actor, attempt=attempt, auto=auto, scored=scored, pool=pool)


@transaction.atomic
def _submit(
    *, actor, attempt: Attempt, auto: bool, scored: list[ScoredItem] | None, pool=None
) -> Attempt:
    # only what may have changed since the caller read the attempt is read again (its exam,
    # paper and candidate are the caller's)
    status, deadline, saved = _lock(attempt)
    if status == Attempt.Status.SUBMITTED:  # submitted meanwhile: the same result again
        attempt.refresh_from_db()
        return attempt
    if status == Attempt.Status.PENDING:
        raise DomainError("尚未开始作答。", status=409)
    attempt.status, attempt.deadline = status, deadline
    now = timezone.now()
    auto = auto or now >= attempt.deadline
    unchanged = scored is not None and saved == {i.pk: i.saved_at for i in scored}
    items = scored if unchanged else _scored_items(attempt)
    attempt.status = Attempt.Status.SUBMITTED
    attempt.submitted_at = min(now, attempt.deadline)
    attempt.auto_submitted = auto
    to_grade = _open_to_grade(items)
    for item in to_grade:
        item.attempt = attempt
    assign_items(exam=attempt.exam, items=to_grade, pool=pool)
    apply_totals(attempt, items)
    head = _write_scores_and_submitted(attempt, items)
    audit.record(
        actor=actor,
        action="exams.attempt.auto_submit" if auto else "exams.attempt.submit",
        obj=attempt,
        after={"objective_score": attempt.objective_score, "open_to_grade": len(to_grade)},
        head=head,
    )
    return attempt


def _write_submitted(attempt: Attempt) -> None:
    """The attempt's state and totals (sql.SUBMIT_FIELDS) in one fixed UPDATE."""
    query, fields = sql.submitted_query()
    params = [f.get_db_prep_save(getattr(attempt, f.attname), connection) for f in fields]
    with prepared_cursor() as cursor:
        cursor.execute(query, [*params, attempt.pk])


SCORES_WITH_STATE = 500  # answers whose scores are written in the attempt's UPDATE (PostgreSQL)


def _write_scores_and_submitted(attempt: Attempt, items: list[ScoredItem]) -> tuple | None:
    """Every item's score and the attempt's state and totals. PostgreSQL (a paper of up to
    SCORES_WITH_STATE questions): one statement, which also takes the audit chain's lock and
    returns its head for audit.record(head=…) (sql.scores_and_submitted_query); else the
    scores' UPDATE and the attempt's, and None."""
    scores = [(i.pk, i.score) for i in items]
    if connection.vendor != "postgresql" or not 0 < len(scores) <= SCORES_WITH_STATE:
        write_item_scores(scores)
        _write_submitted(attempt)
        return None
    _, fields = sql.submitted_query()
    params = [v for pair in scores for v in pair]  # ints and Decimals: the statement casts them
    params += [f.get_db_prep_save(getattr(attempt, f.attname), connection) for f in fields]
    params += [attempt.pk, *audit.lock_head_params()]
    with prepared_cursor() as cursor:
        cursor.execute(sql.scores_and_submitted_query(len(scores)), params)
        return cursor.fetchone()


# -- many at once: the finaliser at the end of an exam, closing an exam ------------------------

SUBMIT_CHUNK = 50  # attempts per write transaction: short ones, the others' saves go between


def _scored_many(attempt_ids: list[int]) -> dict[int, list[ScoredItem]]:
    """Like _scored_items for many attempts: their items in one read, each version's key and
    each paper's rule read once (not once per answer)."""
    rows = list(
        AttemptItem.objects.filter(attempt_id__in=attempt_ids)
        .order_by()
        .values_list("pk", "attempt_id", "kind", "points", "saved_at", "response", "version_id")
    )
    configs = dict(
        QuestionVersion.objects.filter(pk__in={r[6] for r in rows}).values_list("pk", "config")
    )
    rules = dict(
        Attempt.objects.filter(pk__in=attempt_ids).values_list("pk", "exam__paper__multi_rule")
    )
    scored: dict[int, list[ScoredItem]] = {pk: [] for pk in attempt_ids}
    for pk, attempt_id, kind, points, saved_at, response, version_id in rows:
        score = score_objective(
            kind=kind,
            config=configs[version_id],
            answer=response,
            points=points,
            multi_rule=rules[attempt_id],
        )
        scored[attempt_id].append(ScoredItem(pk, None, kind, points, saved_at, score))
    return scored


def submit_many(*, attempt_ids: list[int], auto: bool = True) -> int:
    """到时自动交卷 (or closing an exam) for many attempts by the system: the same outcome and
    audit entry per attempt as submit_attempt, read and scored in bulk before short write
    transactions of SUBMIT_CHUNK attempts each. Attempts no longer in progress are left as they
    are. Returns how many were submitted."""
    count = 0
    for start in range(0, len(attempt_ids), SUBMIT_CHUNK):
        chunk = attempt_ids[start : start + SUBMIT_CHUNK]
        count += _submit_chunk(chunk, auto=auto, scored=_scored_many(chunk))
    return count


@transaction.atomic
def _submit_chunk(attempt_ids: list[int], *, auto: bool, scored: dict) -> int:
    attempts = list(
        Attempt.objects.select_for_update(of=("self",))
        .select_related("exam__paper", "staff")
        .filter(pk__in=attempt_ids, status=Attempt.Status.IN_PROGRESS)
        .order_by("pk")
    )
    if not attempts:
        return 0
    current: dict[int, dict] = {a.pk: {} for a in attempts}
    rows = AttemptItem.objects.filter(attempt_id__in=current).order_by()
    for pk, attempt_id, saved_at in rows.values_list("pk", "attempt_id", "saved_at"):
        current[attempt_id][pk] = saved_at
    stale = [pk for pk, saved in current.items() if saved != {i.pk: i.saved_at for i in scored[pk]}]
    if stale:  # an answer saved since it was scored: read and score those again
        scored.update(_scored_many(stale))
    write_item_scores((i.pk, i.score) for a in attempts for i in scored[a.pk])
    now = timezone.now()
    to_grade: dict[int, list[ScoredItem]] = {}
    open_counts = {}
    for attempt in attempts:
        attempt.status = Attempt.Status.SUBMITTED
        attempt.submitted_at = min(now, attempt.deadline)
        attempt.auto_submitted = auto or now >= attempt.deadline
        items = scored[attempt.pk]
        open_items = [i for i in items if i.kind == QuestionKind.OPEN and i.score is None]
        for item in open_items:
            item.attempt = attempt
        to_grade.setdefault(attempt.exam_id, []).extend(open_items)
        open_counts[attempt.pk] = len(open_items)
        apply_totals(attempt, items)
    exams = {a.exam_id: a.exam for a in attempts}
    for exam_id, items in to_grade.items():
        assign_items(exam=exams[exam_id], items=items)
    fields = ["status", "submitted_at", "auto_submitted", *TOTALS]
    update_rows(Attempt, fields, ([a.pk, *(getattr(a, f) for f in fields)] for a in attempts))
    audit.record_many(
        [
            {
                "actor": None,
                "action": "exams.attempt.auto_submit"
                if attempt.auto_submitted
                else "exams.attempt.submit",
                "obj": attempt,
                "after": {
                    "objective_score": attempt.objective_score,
                    "open_to_grade": open_counts[attempt.pk],
                },
            }
            for attempt in attempts
        ]
    )
    return len(attempts)
