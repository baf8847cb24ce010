"""Statement budget of the exams' hot paths (issue 9): submitting an attempt, the finaliser
submitting many, and grading an open answer run a fixed, small number of SQL statements, the
same for a paper of 6 questions as of 60, so the cost cannot creep back unnoticed. Savepoints
are left out of the count: the tests run inside a transaction, where Django turns each
service's BEGIN/COMMIT (not captured) into SAVEPOINT/RELEASE."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.utils import timezone

from chuangkou.core.models import AuditEntry
from chuangkou.exams.models import Attempt, Grade, QuestionKind
from chuangkou.exams.services import grading
from chuangkou.exams.services import sitting as sit
from tests.statements import Statements

from .factories import attempt_of, make_exam, make_paper, make_question
from .test_services import ANSWERS, answer_all, started

pytestmark = pytest.mark.django_db

# An audit append reads its chain's head and INSERTs; on PostgreSQL the head comes with the
# chain's lock (one statement).
AUDIT = 2
# inside the write transaction (BEGIN and COMMIT are not captured here): lock the attempt and
# check the answers unchanged (one statement), the graders' tasks, then on PostgreSQL every
# score, the attempt's state and the audit chain's lock with its head in one statement (a
# WITH) and the audit INSERT; on SQLite two UPDATEs and the audit append
PG = connection.vendor == "postgresql"
SUBMIT_IN_TRANSACTION = 4 if PG else 4 + AUDIT
# the service given an attempt: before the transaction, read and score the answers, the exam's
# graders with their load (one statement)
SUBMIT_SERVICE = 2 + SUBMIT_IN_TRANSACTION
# the API (and the sitting page): the session, the user, then the candidate's attempt with its
# exam, paper and candidate, its answers and the graders' load in ONE statement
# (sitting.read_own_attempt); the response has no questions to read
SUBMIT_API = 3 + SUBMIT_IN_TRANSACTION
# the session, the user, the candidate's attempt, the item with its version; the answer written
# if the attempt is still open (one statement)
SAVE_API = 5
# per chunk of attempts: their answers, the versions' keys, the papers' rules (before the
# transaction); lock, unchanged check, one UPDATE of the scores, graders with their load,
# tasks, one UPDATE of the attempts; then one audit append for the chunk
FINALISE_CHUNK = 9
# grade locked with its answer; the grader's roles; the grade saved; the audit entry; the
# answer's grades read. Settling (the second grade) adds: the score, the attempt's sums, the
# attempt's totals
GRADE_FIRST = 4 + AUDIT
GRADE_SETTLES = GRADE_FIRST + 3


def big_sitting(s, questions: int = 60):
    """An open exam of `questions` questions (every kind, one open question) for a1 and b1."""
    kinds = [k for k in QuestionKind.values if k != QuestionKind.OPEN]
    chosen = [make_question(kinds[i % len(kinds)]) for i in range(questions - 1)]
    paper = make_paper([*chosen, make_question(QuestionKind.OPEN)], points=D("1"))
    exam = make_exam(paper, [s.a1, s.b1])
    exam.graders.set(s.graders)
    return exam


def in_transaction(run: Statements) -> list[str]:
    """The statements between the service's BEGIN and COMMIT (here its outermost savepoint)."""
    sql = [q["sql"] for q in run.captured_queries]
    begin = next(i for i, s in enumerate(sql) if s.startswith("SAVEPOINT"))
    commit = max(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT"))
    return [s for s in sql[begin + 1 : commit] if "SAVEPOINT" not in s]


def test_submitting_through_the_service(sitting):
    user, attempt = started(sitting)
    answer_all(user, attempt)
    stale = Attempt.objects.select_related("exam__paper", "staff").get(pk=attempt.pk)
    with Statements() as run:
        attempt = sit.submit_attempt(actor=user, attempt=attempt)
    assert len(run) == SUBMIT_SERVICE, run.report()
    assert len(in_transaction(run)) == SUBMIT_IN_TRANSACTION, "\n".join(in_transaction(run))
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.objective_score == D("40.00")
    with Statements() as run:  # the second submit changes nothing and reads nothing
        again = sit.submit_attempt(actor=user, attempt=attempt)
    assert again.submitted_at == attempt.submitted_at and len(run) == 0, run.report()
    # a second submit that read the attempt before the first one committed: the same result
    again = sit.submit_attempt(actor=user, attempt=stale)
    assert (again.status, again.submitted_at) == (attempt.status, attempt.submitted_at)
    assert (again.objective_score, again.total_score) == (
        attempt.objective_score,
        attempt.total_score,
    )
    assert AuditEntry.objects.filter(action="exams.attempt.submit").count() == 1


def test_sixty_questions_cost_the_same_statements_as_six(sitting):
    exam = big_sitting(sitting, 60)
    attempt = sit.start_attempt(actor=sitting.clerk_a1, attempt=attempt_of(exam, sitting.a1))
    items = list(attempt.items.select_related("version"))
    for item in items:
        sit.save_answer(
            actor=sitting.clerk_a1, attempt=attempt, item=item, response=ANSWERS[item.kind]
        )
    with Statements() as run:
        attempt = sit.submit_attempt(actor=sitting.clerk_a1, attempt=attempt)
    assert len(run) == SUBMIT_SERVICE, run.report()
    assert attempt.items.filter(score__isnull=True).count() == 1  # the open answer
    assert Grade.objects.filter(item__attempt=attempt).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_every_statement_of_a_submit_is_planned_once_per_connection(sitting):
    """The scores' UPDATE and the graders' load run prepared like the submit's other
    statements (core.connections.prepared_cursor): planning them cost the database more than
    running them, for every candidate."""

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return sorted(row[0] for row in cursor.fetchall())

    for who in ("a1", "b1"):
        user, attempt = started(sitting, who)
        answer_all(user, attempt)
        sit.submit_attempt(actor=user, attempt=attempt)
        if who == "a1":
            first = prepared()
    assert prepared() == first  # the second candidate's submit planned nothing new
    texts = "\n".join(first)
    assert 'UPDATE "exams_attemptitem" SET' in texts and "FROM (VALUES" in texts
    assert 'SELECT COUNT(*) FROM "exams_grade"' in texts


def test_submitting_through_the_api(sitting, api_client_as):
    user, attempt = started(sitting)
    answer_all(user, attempt)
    api = api_client_as(user)
    api.get(f"/exams/attempts/{attempt.pk}")  # the session's idle mark is fresh
    with Statements() as run:
        response = api.post(f"/exams/attempts/{attempt.pk}/submit")
    assert response.status_code == 200, response.content
    assert len(run) == SUBMIT_API, run.report()
    assert response.json()["status"] == "submitted"
    if PG:  # the audit chain's lock and head come with the scores' statement (one, a WITH)
        heads = [s for s in run.sql if "core_auditentry_lock_head" in s]
        assert len(heads) == 1 and heads[0].startswith("WITH"), run.report()
    # one transaction (here its savepoint): the audit append joins it without a savepoint
    savepoints = [q for q in run.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 1, "\n".join(q["sql"] for q in run.captured_queries)
    with Statements() as run:  # submitted already: the same answer, nothing written
        again = api.post(f"/exams/attempts/{attempt.pk}/submit")
    assert (
        again.status_code == 200 and again.json()["submitted_at"] == response.json()["submitted_at"]
    )
    assert len(run) == 3, run.report()  # the session, the user, the attempt
    assert AuditEntry.objects.filter(action="exams.attempt.submit").count() == 1


def test_saving_an_answer_through_the_api(sitting, api_client_as):
    user, attempt = started(sitting)
    item = attempt.items.get(kind=QuestionKind.SINGLE)
    api = api_client_as(user)
    api.get(f"/exams/attempts/{attempt.pk}")  # the session's idle mark is fresh
    with Statements() as run:
        response = api.client.put(
            f"/api/v1/exams/attempts/{attempt.pk}/items/{item.pk}",
            {"response": "C"},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    assert len(run) == SAVE_API, run.report()
    item.refresh_from_db()
    assert item.response == "C"


def test_the_finaliser_submits_fifty_attempts_in_a_fixed_number_of_statements(sitting):
    users = {sitting.a1.pk: sitting.clerk_a1, sitting.b1.pk: sitting.clerk_b1}
    exam = big_sitting(sitting, 20)
    for staff_pk, user in users.items():
        attempt = sit.start_attempt(
            actor=user, attempt=Attempt.objects.get(exam=exam, staff=staff_pk)
        )
        answer_all(user, attempt)
    Attempt.objects.filter(exam=exam).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    with Statements() as run:
        assert sit.finalise_overdue_attempts(exam=exam) == 2
    assert len(run) == 1 + FINALISE_CHUNK + AUDIT, run.report()  # one append for the chunk
    assert AuditEntry.objects.filter(action="exams.attempt.auto_submit").count() == 2
    with Statements() as run:
        assert sit.finalise_overdue_attempts(exam=exam) == 0
    assert len(run) == 1, run.report()


def test_grading_an_open_answer(sitting):
    user, attempt = started(sitting)
    answer_all(user, attempt)
    sit.submit_attempt(actor=user, attempt=attempt)
    first, second = Grade.objects.filter(item__attempt=attempt).select_related("grader")
    with Statements() as run:
        grading.record_grade(actor=first.grader, grade=first, score="8")
    assert len(run) == GRADE_FIRST, run.report()
    with Statements() as run:
        grading.record_grade(actor=second.grader, grade=second, score="9")
    assert len(run) == GRADE_SETTLES, run.report()
    attempt.refresh_from_db()
    assert attempt.graded and attempt.total_score == D("48.50")
