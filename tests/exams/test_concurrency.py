"""交卷 under real concurrency (issue 9): the candidate's submit, a second tab's submit and the
finaliser at the same moment give one result (one set of scores, two graders for the open
answer, one audit entry), on whichever database the run uses."""

import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from django.utils import timezone

from chuangkou.core.models import AuditEntry
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
