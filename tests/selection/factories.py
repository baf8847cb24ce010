"""Factories for 竞聘上岗 rows as they stand (no audit: use the services for audited writes)."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from chuangkou.core.roles import Role
from chuangkou.org.models import Staff
from chuangkou.selection.models import Candidate, Competition, InterviewScore, Judge, Tier
from tests.factories import StaffFactory, UserFactory


class CompetitionFactory(DjangoModelFactory):
    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"竞聘上岗测试{n}")
    year = 2018
    budget = 500_000
    written_weight = Decimal(50)
    interview_weight = Decimal(50)
    pass_line = Decimal(60)
    allowed_employment_types = factory.LazyFunction(lambda: [Staff.EmploymentType.TEMPORARY])
    min_service_years = 1
    service_reference_date = dt.date(2018, 4, 30)
    notice_days = 5
    status = Competition.Status.DRAFT


class TierFactory(DjangoModelFactory):
    class Meta:
        model = Tier

    competition = factory.SubFactory(CompetitionFactory)
    rank_order = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"{o.rank_order}档")
    quota = 2
    annual_amount = 6000


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    competition = factory.SubFactory(CompetitionFactory)
    staff = factory.SubFactory(StaffFactory, hire_date=dt.date(2016, 3, 1))
    service_years = 2


class GraderFactory(UserFactory):
    roles = factory.LazyFunction(lambda: [Role.GRADER])


class JudgeFactory(DjangoModelFactory):
    class Meta:
        model = Judge

    competition = factory.SubFactory(CompetitionFactory)
    user = factory.SubFactory(GraderFactory)
    seat = factory.Sequence(lambda n: n + 1)


class InterviewScoreFactory(DjangoModelFactory):
    class Meta:
        model = InterviewScore

    candidate = factory.SubFactory(CandidateFactory)
    judge = factory.SubFactory(JudgeFactory)
    score = Decimal(80)


def make_exam(scores: dict, *, published: bool = True, rules=((40, Decimal(3)),)):
    """A 题库与考试 written exam whose paper is worth count × points (120 by default), with one
    submitted, graded attempt per staff member {staff: total score}."""
    from django.utils import timezone

    from chuangkou.exams.models import Attempt, BlueprintRule, Exam, Paper

    paper = Paper.objects.create(name="竞岗笔试卷", kind=Paper.Kind.BLUEPRINT)
    for count, points in rules:
        BlueprintRule.objects.create(paper=paper, kind="single", count=count, points=points)
    starts = dt.datetime(2018, 5, 12, 9, tzinfo=timezone.get_current_timezone())
    exam = Exam.objects.create(
        title="2018年业务通办竞岗笔试",
        purpose=Exam.Purpose.COMPETITION,
        paper=paper,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        duration_minutes=90,
        status=Exam.Status.PUBLISHED if published else Exam.Status.CLOSED,
    )
    for n, (staff, total) in enumerate(scores.items()):
        Attempt.objects.create(
            exam=exam,
            staff=staff,
            code=f"T{exam.pk:03d}{n:04d}",
            status=Attempt.Status.SUBMITTED,
            graded=True,
            total_score=Decimal(str(total)),
        )
    return exam
