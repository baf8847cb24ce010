"""The demo: the briefing's 43 backbone staff in three tiers come out of the scores."""

import hashlib
import importlib
from decimal import Decimal

import pytest

from chuangkou.core.audit import verify_chain
from chuangkou.core.models import AuditEntry
from chuangkou.selection import demo, selectors
from chuangkou.selection.models import Candidate, Competition, InterviewScore
from chuangkou.selection.scoring import final_score, interview_score

pytestmark = pytest.mark.django_db


def load(*modules: str) -> Competition:
    """The selection demo on top of the given app demos only."""
    for module in modules:
        importlib.import_module(module).load()
    demo.load()
    return Competition.objects.get(name=demo.NAME)


def check_the_briefing(competition: Competition) -> None:
    assert competition.status == Competition.Status.FINAL
    report = selectors.budget_report(competition)
    assert [(r.name, r.placed, r.annual_amount) for r in report.rows] == [
        ("一档", 8, 24000),
        ("二档", 15, 12000),
        ("三档", 20, 6000),
    ]
    assert report.total == 492_000 <= report.budget == 500_000
    assert 80 <= competition.candidates.count() <= 100
    assert competition.judges.count() == 7
    assert not competition.candidates.filter(outcome=Candidate.Outcome.TIE_PENDING).exists()
    assert str(competition.notice_start) == "2018-05-23"
    assert str(competition.notice_end) == "2018-05-30"
    assert competition.finalised_at.date().isoformat() == "2018-05-31"
    for c in competition.candidates.filter(status=Candidate.Status.REGISTERED):
        marks = list(InterviewScore.objects.filter(candidate=c).values_list("score", flat=True))
        assert len(marks) == 7
        assert c.interview_score == interview_score(marks)
        assert c.final_score == final_score(c.written_score, c.interview_score, 50, 50)
    for c in competition.candidates.filter(outcome=Candidate.Outcome.PLACED):
        assert c.staff.employment_type == "temporary"
        assert c.service_years >= 1
        assert c.final_score >= competition.pass_line
    assert competition.objections.get().status == "rejected"
    assert AuditEntry.objects.filter(action="demo.load", object_type="selection").count() == 1
    assert verify_chain().ok


def test_without_the_exams_demo_the_written_scores_are_drawn_and_always_the_same():
    competition = load("chuangkou.core.demo", "chuangkou.org.demo")
    assert competition.exam is None
    check_the_briefing(competition)
    names = list(
        competition.candidates.filter(outcome=Candidate.Outcome.PLACED)
        .order_by("rank", "staff__staff_no")
        .values_list("staff__name", flat=True)
    )
    assert names[:3] == ["何云飞", "吴悦", "胡晶晶"]
    assert hashlib.sha256("".join(names).encode()).hexdigest()[:12] == DEMO_HASH


def test_the_demo_takes_the_written_scores_from_the_exams_demo():
    competition = load(
        "chuangkou.core.demo",
        "chuangkou.org.demo",
        "chuangkou.catalog.demo",
        "chuangkou.exams.demo",
    )
    check_the_briefing(competition)
    from chuangkou.exams.selectors import candidate_scores, exam_max_score

    exam = competition.exam
    assert exam is not None and exam.status == "published"
    totals, maximum = candidate_scores(exam=exam), exam_max_score(exam=exam)
    for c in competition.candidates.all():
        expected = (Decimal(totals[c.staff_id]) * 100 / maximum).quantize(Decimal("0.01"))
        assert abs(c.written_score - expected) <= Decimal("0.01")


DEMO_HASH = "99f371d3b42b"
