"""The demo: 25 knowledge points, ≥ 300 questions of every kind, the finished 业务通办 exam of
about 120 candidates with graded answers, and a contest with teams by department."""

from decimal import Decimal

import pytest
from django.db.models import Count

from chuangkou.exams import selectors
from chuangkou.exams.models import (
    AttemptItem,
    Contest,
    Exam,
    Grade,
    KnowledgePoint,
    Question,
    QuestionKind,
)

from .conftest import load_exams_demo

pytestmark = pytest.mark.django_db


def test_demo_bank_exam_and_contest(db):
    assert load_exams_demo() < 10  # seconds
    assert KnowledgePoint.objects.filter(parent__isnull=True).count() == 5
    leaves = KnowledgePoint.objects.filter(parent__isnull=False)
    assert leaves.count() == 25
    assert not leaves.annotate(n=Count("questions")).filter(n__lt=8).exists()
    assert Question.objects.count() >= 300
    kinds = set(Question.objects.values_list("kind", flat=True))
    assert kinds == set(QuestionKind.values)

    exam = Exam.objects.get(purpose=Exam.Purpose.COMPETITION)
    assert exam.status == Exam.Status.PUBLISHED
    assert 110 <= exam.attempts.count() <= 125
    assert not exam.attempts.filter(graded=False).exists()
    assert selectors.exam_max_score(exam=exam) == Decimal("100.00")
    scores = selectors.candidate_scores(exam=exam)
    assert len(scores) == exam.attempts.count()
    values = sorted(scores.values())
    assert Decimal(25) < values[len(values) // 2] < Decimal(90)  # a plausible median
    assert values[-1] - values[0] > Decimal(20)  # and spread
    assert Grade.objects.filter(item__attempt__exam=exam, round=3).exists()
    assert not AttemptItem.objects.filter(attempt__exam=exam, score__isnull=True).exists()
    linked = exam.attempts.filter(staff__user__username__in=["clerk01", "clerk02"])
    assert linked.count() == 2

    contest = Contest.objects.get()
    standings = selectors.contest_standings(contest)
    assert len(standings.teams) >= 5 and standings.individuals[0].total > 0
    analysis = selectors.exam_analysis(exam)
    assert analysis.alpha is not None and 0.3 < analysis.alpha < 1
