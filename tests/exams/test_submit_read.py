"""交卷's first read (issue 9): the API and the sitting page find the candidate's own attempt
with its answers and the graders' load in one statement (sitting.read_own_attempt), which
must give what the separate reads give: selectors.own_attempt, sitting._scored_items and
grading.grader_pool."""

from decimal import Decimal as D

import pytest

from chuangkou.exams import selectors
from chuangkou.exams.models import Exam, QuestionKind
from chuangkou.exams.services import grading
from chuangkou.exams.services import sitting as sit

from .factories import attempt_of, make_exam, make_paper, make_question
from .test_services import answer_all, started

pytestmark = pytest.mark.django_db


def scored(items):
    return [(i.pk, i.kind, i.points, i.saved_at, i.score) for i in items]


def test_the_one_read_gives_what_the_three_reads_give(sitting):
    user_b, attempt_b = started(sitting, "b1")
    answer_all(user_b, attempt_b)
    sit.submit_attempt(actor=user_b, attempt=attempt_b)  # two graders now have a load
    user, attempt = started(sitting)
    answer_all(user, attempt)
    own = sit.read_own_attempt(user, attempt.pk)
    expected = selectors.own_attempt(user, attempt.pk)
    for got, want in [
        (own.attempt, expected),
        (own.attempt.exam, expected.exam),
        (own.attempt.exam.paper, expected.exam.paper),
        (own.attempt.staff, expected.staff),
    ]:
        fields = type(want)._meta.concrete_fields
        assert [f.value_from_object(got) for f in fields] == [
            f.value_from_object(want) for f in fields
        ]
    assert scored(own.scored()) == scored(sit._scored_items(expected))
    assert sum(i.score or 0 for i in own.scored()) == D("40.00")
    graders, load = grading.grader_pool(sitting.exam)
    assert sorted(own.pool[0]) == sorted(graders) and own.pool[1] == load
    assert sorted(load.values()) == [1, 1]


def test_without_open_questions_there_is_no_pool_and_without_graders_an_empty_one(sitting):
    paper = make_paper([make_question(QuestionKind.SINGLE), make_question(QuestionKind.FILL)])
    exam = make_exam(paper, [sitting.a1])
    exam.graders.set(sitting.graders)
    attempt = sit.start_attempt(actor=sitting.clerk_a1, attempt=attempt_of(exam, sitting.a1))
    own = sit.read_own_attempt(sitting.clerk_a1, attempt.pk)
    assert own.pool is None and len(own.items) == 2
    sitting.exam.graders.clear()
    user, attempt = started(sitting)
    assert sit.read_own_attempt(user, attempt.pk).pool == ([], {})


def test_only_the_candidate_finds_their_attempt(sitting):
    user, attempt = started(sitting)
    assert sit.read_own_attempt(sitting.clerk_b1, attempt.pk) is None
    assert sit.submit_own_attempt(actor=sitting.clerk_b1, attempt_id=attempt.pk) is None
    assert sit.read_own_attempt(user, 2**63) is None
    assert sit.read_own_attempt(user, 0) is None
    Exam.objects.filter(pk=sitting.exam.pk).update(status=Exam.Status.DRAFT)
    assert sit.read_own_attempt(user, attempt.pk) is None


def test_a_pending_attempt_is_read_without_items_and_refused(sitting):
    from chuangkou.core.errors import DomainError

    own = sit.read_own_attempt(sitting.clerk_a1, sitting.attempt_a1.pk)
    assert own.items == [] and own.attempt.status == "pending"
    with pytest.raises(DomainError, match="尚未开始作答"):
        sit.submit_own_attempt(actor=sitting.clerk_a1, attempt_id=sitting.attempt_a1.pk)
