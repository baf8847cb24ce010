"""Selectors: the selection engineer's two, item analysis against hand-computed figures, mastery
by who is looking, visibility of exams and grading tasks."""

import math
from decimal import Decimal as D

import pytest

from chuangkou.exams import analysis, selectors
from chuangkou.exams.models import Attempt, AttemptItem, Exam, QuestionKind

from .factories import KnowledgePointFactory, make_exam, make_paper, make_question

pytestmark = pytest.mark.django_db

# attempts × items, each item worth 1 point (hand-computed below)
MATRIX = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]


def test_formulas_by_hand():
    # item variances 0.25 + 1/3 + 0.25 = 5/6; total variance 5/3; α = 3/2 · (1 − 1/2) = 0.75
    assert analysis.cronbach_alpha(MATRIX) == pytest.approx(0.75)
    assert analysis.facility([1, 1, 0, 0], 1) == 0.5
    # item 1 against the rest (2, 1, 0, 0): r = 0.75 / √(0.75 · 2.75)
    d = analysis.discrimination([1, 1, 1, 0], [3, 2, 1, 0])
    assert d == pytest.approx(0.75 / math.sqrt(0.75 * 2.75))
    assert analysis.pearson([1, 1], [0, 1]) is None  # constant side
    assert analysis.cronbach_alpha([[1, 1]]) is None
    assert analysis.mastery(3, 4) == 0.75 and analysis.mastery(0, 0) is None


@pytest.fixture
def graded(org_small):
    """Four graded attempts of a 3-question exam scored as MATRIX; item 1 tagged P1, items 2–3
    P2. The attempts belong to a1, a2 (department A), b1, b2 (department B)."""
    p1 = KnowledgePointFactory(name="P1", parent=KnowledgePointFactory(name="D"))
    p2 = KnowledgePointFactory(name="P2", parent=p1.parent)
    questions = [make_question(QuestionKind.SINGLE, points=[p]) for p in (p1, p2, p2)]
    paper = make_paper(questions, points=D(1))
    people = [org_small.a1, org_small.a2, org_small.b1, org_small.b2]
    exam = make_exam(paper, people + [org_small.a3], status=Exam.Status.CLOSED)
    for person, row in zip(people, MATRIX, strict=True):
        attempt = Attempt.objects.get(exam=exam, staff=person)
        for slot, (q, score) in enumerate(zip(questions, row, strict=True), start=1):
            AttemptItem.objects.create(
                attempt=attempt,
                question=q,
                version=q.current_version,
                kind=q.kind,
                slot=slot,
                order=slot,
                points=D(1),
                score=D(score),
            )
        attempt.status = Attempt.Status.SUBMITTED
        attempt.graded = True
        attempt.total_score = D(sum(row))
        attempt.save()
    org_small.exam, org_small.questions, org_small.p1, org_small.p2 = exam, questions, p1, p2
    return org_small


def test_candidate_scores_and_max_score(graded):
    scores = selectors.candidate_scores(exam=graded.exam)
    assert scores == {graded.a1.pk: D(3), graded.a2.pk: D(2), graded.b1.pk: D(1), graded.b2.pk: 0}
    assert graded.a3.pk not in scores  # never sat
    assert selectors.exam_max_score(exam=graded.exam) == D("3.00")


def test_exam_analysis_matches_the_hand_computed_figures(graded):
    result = selectors.exam_analysis(graded.exam)
    assert result.attempts == 4 and result.alpha == pytest.approx(0.75)
    rows = {r.question_id: r.stats for r in result.rows}
    first, second = (rows[q.pk] for q in graded.questions[:2])
    assert first.facility == 0.75 and second.facility == 0.5
    assert first.discrimination == pytest.approx(0.75 / math.sqrt(0.75 * 2.75))
    assert sum(n for _, n in result.histogram) == 4


def test_mastery_by_who_is_looking(graded):
    everyone = selectors.mastery_report(user=graded.admin)
    ratios = {m.name: m.ratio for m in everyone.points}
    assert ratios == {"P1": 0.75, "P2": 3 / 8}
    assert everyone.points[0].name == "P2"  # the weakest first
    assert everyone.by_department == {
        "人力社保局": {graded.p1.pk: 0.5, graded.p2.pk: 0.0},
        "市场监管局": {graded.p1.pk: 1.0, graded.p2.pk: 0.75},
    }
    own = selectors.mastery_report(user=graded.clerk_a1)
    assert set(own.by_staff) == {graded.a1.pk}
    assert {m.name: m.ratio for m in own.points} == {"P1": 1.0, "P2": 1.0}
    head = selectors.mastery_report(user=graded.head_a)
    assert set(head.by_staff) == {graded.a1.pk, graded.a2.pk}


def test_exams_visible_by_role(sitting, role_user):
    assert list(selectors.exams_visible_to(sitting.clerk_a1)) == [sitting.exam]
    assert list(selectors.exams_visible_to(sitting.head_a)) == []
    assert list(selectors.exams_visible_to(sitting.graders[0])) == [sitting.exam]
    Exam.objects.filter(pk=sitting.exam.pk).update(status=Exam.Status.DRAFT)
    assert list(selectors.exams_visible_to(sitting.clerk_a1)) == []
    assert list(selectors.my_attempts(sitting.clerk_a1)) == []
    assert selectors.exams_visible_to(sitting.admin).count() == 1


def test_mask_name():
    assert selectors.mask_name("王婷婷") == "王*婷"
    assert selectors.mask_name("王婷") == "王*"
    assert selectors.mask_name("欧阳晓燕") == "欧**燕"
