"""交卷 under real concurrency (issue 9): the candidate's submit, a second tab's submit and the
finaliser at the same moment give one result (one set of scores, two graders for the open
answer, one audit entry), on whichever database the run uses."""

import datetime as dt
import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.models import AuditEntry
from chuangkou.exams import content
from chuangkou.exams.models import Attempt, Grade, QuestionKind
from chuangkou.exams.services import sitting as sit
from tests.concurrency import race

from .test_services import ANSWERS, OBJECTIVE_TOTAL, answer_all, started

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_submits_and_the_finaliser_at_once_give_one_result(sitting):
    user, attempt = started(sitting)
    answer_all(user, attempt)
    attempt_id = attempt.pk

    def submit():
        sit.submit_attempt(actor=user, attempt=Attempt.objects.get(pk=attempt_id))

    def finalise():
        sit.submit_many(attempt_ids=[attempt_id])

    done, refused = race([submit, submit, finalise])
    assert (done, refused) == (3, [])
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.objective_score == OBJECTIVE_TOTAL
    assert Grade.objects.filter(item__attempt=attempt).count() == 2
    submits = AuditEntry.objects.filter(object_type="exams.attempt", object_id=str(attempt_id))
    assert (
        submits.filter(action__in=["exams.attempt.submit", "exams.attempt.auto_submit"]).count()
        == 1
    )


def test_late_submit_is_recorded_as_automatic_at_the_deadline(sitting):
    user, attempt = started(sitting)
    answer_all(user, attempt)
    deadline = timezone.now() - dt.timedelta(seconds=5)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    attempt.refresh_from_db()
    attempt = sit.submit_attempt(actor=user, attempt=attempt)
    assert attempt.auto_submitted and attempt.submitted_at == deadline
    assert attempt.objective_score == OBJECTIVE_TOTAL


def test_an_answer_saved_while_the_submit_is_writing_is_refused(sitting, monkeypatch):
    """The submit has locked the attempt and checked the answers; a save arriving then waits
    for its commit and is refused, so no answer is left that the submit did not score."""
    user, attempt = started(sitting)
    answer_all(user, attempt)
    item = attempt.items.select_related("version").get(kind=QuestionKind.SINGLE)
    locked, go = threading.Event(), threading.Event()
    lock = sit._lock

    def lock_and_wait(attempt):
        found = lock(attempt)
        locked.set()
        go.wait(30)
        return found

    monkeypatch.setattr(sit, "_lock", lock_and_wait)

    def submit():
        sit.submit_attempt(actor=user, attempt=Attempt.objects.get(pk=attempt.pk))

    def save():
        locked.wait(30)
        threading.Timer(0.5, go.set).start()  # the save has started and waits meanwhile
        sit.save_answer(
            actor=user, attempt=Attempt.objects.get(pk=attempt.pk), item=item, response="A"
        )

    done, refused = race([submit, save])
    assert (done, refused) == (1, ["答卷已提交，不能再修改。"])
    item.refresh_from_db()
    assert item.response == ANSWERS[QuestionKind.SINGLE] and item.score == D("10.00")
    assert Attempt.objects.get(pk=attempt.pk).objective_score == OBJECTIVE_TOTAL


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_an_answer_committed_while_the_submit_waits_for_its_lock_is_scored(sitting):
    """The other order (PostgreSQL; SQLite runs writers one at a time): a save holds the attempt
    FOR SHARE when the submit's lock statement starts, so that statement waits, and the save's
    answer commits meanwhile. The submit read the answers before, and its lock statement's
    snapshot is from before the wait too: the answer looked unchanged and was left unscored
    (its old score kept) until the statement locked the answers' rows as well."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the save cannot hold a lock meanwhile")
    user, attempt = started(sitting)
    answer_all(user, attempt)  # all right: 40 points
    item = attempt.items.select_related("version").get(kind=QuestionKind.SINGLE)
    wrong = content.clean_answer(item.kind, item.version.config, "A")
    saving, go, errors = threading.Event(), threading.Event(), []

    def save():  # the save's statement, its commit held back until the submit waits for it
        try:
            with transaction.atomic():
                assert sit._write_answer(item, wrong, timezone.now())
                saving.set()
                assert go.wait(60)
        except Exception as exc:  # noqa: BLE001 (reported by the test below)
            errors.append(exc)
        finally:
            saving.set()
            connection.close()

    def submit():
        try:
            sit.submit_attempt(actor=user, attempt=Attempt.objects.get(pk=attempt.pk))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    saver = threading.Thread(target=save)
    saver.start()
    assert saving.wait(60)
    submitter = threading.Thread(target=submit)
    submitter.start()
    deadline = time.monotonic() + 60
    while _lock_waiters() == 0 and time.monotonic() < deadline and submitter.is_alive():
        time.sleep(0.05)  # polling a condition: the submit's lock statement waiting
    go.set()
    saver.join(60)
    submitter.join(60)
    assert errors == []
    item.refresh_from_db()
    assert item.response == "A" and item.score == D("0.00")
    assert Attempt.objects.get(pk=attempt.pk).objective_score == OBJECTIVE_TOTAL - D("10.00")


def test_candidates_submitting_at_once_leave_one_entry_each_on_a_sound_chain(sitting):
    """The API's submit (sitting.submit_own_attempt): on PostgreSQL the audit chain's lock and
    head come with the scores' statement (audit.record(head=…)); entries of transactions at
    the same moment still form unbroken chains."""
    starts = [started(sitting, who) for who in ("a1", "b1")]
    for user, attempt in starts:
        answer_all(user, attempt)
    calls = [
        (lambda u=user, a=attempt.pk: sit.submit_own_attempt(actor=u, attempt_id=a))
        for user, attempt in starts
        for _ in range(2)  # each candidate twice (two tabs)
    ]
    assert race(calls) == (4, [])
    for _, attempt in starts:
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.SUBMITTED
        assert attempt.objective_score == OBJECTIVE_TOTAL
        entries = AuditEntry.objects.filter(object_id=str(attempt.pk))
        assert entries.filter(action="exams.attempt.submit").count() == 1
    report = audit.verify_chain()
    assert report.ok, [str(p) for p in report.problems]
