"""交卷 under real concurrency (issue 9): the candidate's submit, a second tab's submit and the
finaliser at the same moment give one result (one set of scores, two graders for the open
answer, one audit entry), on whichever database the run uses."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.core.models import AuditEntry
from chuangkou.exams.models import Attempt, Grade
from chuangkou.exams.services import sitting as sit
from tests.concurrency import race

from .test_services import OBJECTIVE_TOTAL, answer_all, started

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
