"""selectors.own_attempt: the candidate's own attempt read by one fixed statement (every
candidate request starts with it), as the ORM would have built it, and nobody else's."""

import pytest
from django.contrib.auth.models import AnonymousUser

from chuangkou.exams import selectors
from chuangkou.exams.models import Attempt, Exam
from tests.statements import Statements

from .test_services import started

pytestmark = pytest.mark.django_db


def test_the_candidate_gets_the_attempt_with_exam_paper_and_candidate(sitting):
    user, started_attempt = started(sitting)
    expected = Attempt.objects.select_related("exam__paper", "staff").get(pk=started_attempt.pk)
    with Statements() as run:
        attempt = selectors.own_attempt(user, started_attempt.pk)
        # all read by that one statement, converted as the ORM converts them
        fields = [(f.attname, getattr(attempt, f.attname)) for f in Attempt._meta.concrete_fields]
        exam, paper, staff = attempt.exam, attempt.exam.paper, attempt.staff
    assert len(run) == 1, run.report()
    assert fields == [
        (f.attname, getattr(expected, f.attname)) for f in Attempt._meta.concrete_fields
    ]
    for got, want in ((exam, expected.exam), (paper, expected.exam.paper), (staff, expected.staff)):
        names = [f.attname for f in type(want)._meta.concrete_fields]
        assert [getattr(got, n) for n in names] == [getattr(want, n) for n in names]
    assert attempt.started_at.tzinfo is not None and attempt.deadline > attempt.started_at
    assert not attempt._state.adding and attempt._state.db == "default"


def test_nobody_else_gets_it(sitting):
    attempt = sitting.attempt_a1
    assert selectors.own_attempt(sitting.clerk_a1, attempt.pk) is not None
    assert selectors.own_attempt(sitting.clerk_b1, attempt.pk) is None
    assert selectors.own_attempt(sitting.admin, attempt.pk) is None
    assert selectors.own_attempt(AnonymousUser(), attempt.pk) is None


def test_not_in_a_draft_exam(sitting):
    Exam.objects.filter(pk=sitting.exam.pk).update(status=Exam.Status.DRAFT)
    assert selectors.own_attempt(sitting.clerk_a1, sitting.attempt_a1.pk) is None


@pytest.mark.parametrize("attempt_id", [0, -1, 2**63, 2**80])
def test_ids_no_row_can_have_find_nothing(sitting, attempt_id, api_client_as):
    with Statements() as run:
        assert selectors.own_attempt(sitting.clerk_a1, attempt_id) is None
    assert len(run) == 0
    api = api_client_as(sitting.clerk_a1)
    assert api.post(f"/exams/attempts/{attempt_id}/submit").status_code == 404
