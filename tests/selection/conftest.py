"""Fixtures of the selection tests: a competition at each stage, built through the services."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from chuangkou.core.roles import Role
from chuangkou.org.models import Staff
from chuangkou.selection import services
from chuangkou.selection.models import Candidate, Competition
from tests.factories import StaffFactory

TIERS = [
    {"name": "一档", "quota": 1, "annual_amount": 24000},
    {"name": "二档", "quota": 2, "annual_amount": 12000},
]


@pytest.fixture
def admin(role_user):
    return role_user(Role.CENTER_ADMIN, username="admin", display_name="周主任")


@pytest.fixture
def graders(role_user):
    return [
        role_user(Role.GRADER, username=f"judge0{n}", display_name=f"评委{n}") for n in range(1, 6)
    ]


def make_competition(admin, **overrides) -> Competition:
    settings = {
        "name": "2018 年竞聘上岗",
        "year": 2018,
        "budget": 60000,
        "written_weight": Decimal(50),
        "interview_weight": Decimal(50),
        "pass_line": Decimal(60),
        "allowed_employment_types": [Staff.EmploymentType.TEMPORARY],
        "min_service_years": 1,
        "service_reference_date": dt.date(2018, 4, 30),
        **overrides,
    }
    return services.create_competition(actor=admin, **settings)


def temporary_staff(n: int, **kwargs) -> list[Staff]:
    return [
        StaffFactory(
            name=f"人员{i}",
            employment_type=Staff.EmploymentType.TEMPORARY,
            hire_date=dt.date(2016, 3, 1),
            **kwargs,
        )
        for i in range(1, n + 1)
    ]


@pytest.fixture
def registering(db, admin, graders):
    """A competition open for registration: two tiers (1 × 24000, 2 × 12000), five judges."""
    competition = make_competition(admin)
    services.set_tiers(actor=admin, competition=competition, tiers=TIERS)
    services.set_judges(actor=admin, competition=competition, users=graders)
    services.open_registration(actor=admin, competition=competition)
    return SimpleNamespace(competition=competition, admin=admin, graders=graders)


@pytest.fixture
def scoring(registering):
    """Scoring open with four registered candidates (no scores yet)."""
    staff = temporary_staff(4)
    candidates = [
        services.register_candidate(
            actor=registering.admin, competition=registering.competition, staff=s
        )
        for s in staff
    ]
    services.start_scoring(actor=registering.admin, competition=registering.competition)
    registering.competition.refresh_from_db()
    registering.candidates = candidates
    registering.staff = staff
    return registering


def score_all(setup, written: list, interview: list[list]) -> None:
    """Written scores and every judge's interview scores, through the services."""
    for candidate, w, marks in zip(setup.candidates, written, interview, strict=True):
        services.set_written_score(actor=setup.admin, candidate=candidate, score=w)
        for judge, mark in zip(setup.graders, marks, strict=True):
            services.enter_interview_score(actor=judge, candidate=candidate, score=mark)


@pytest.fixture
def ranked(scoring):
    """Ranked: finals 90, 85, 80, 55 → 一档 1, 二档 2, one below the pass line."""
    score_all(
        scoring,
        written=[90, 85, 80, 55],
        interview=[[90] * 5, [85] * 5, [80] * 5, [55] * 5],
    )
    services.compute_ranking(actor=scoring.admin, competition=scoring.competition)
    scoring.competition.refresh_from_db()
    return scoring


@pytest.fixture
def published(ranked):
    """Published; on a rest day the notice would start on the next working day, so the
    period is moved to start today for the tests that act inside it."""
    services.publish_results(actor=ranked.admin, competition=ranked.competition)
    today = timezone.localdate()
    Competition.objects.filter(pk=ranked.competition.pk, notice_start__gt=today).update(
        notice_start=today
    )
    ranked.competition.refresh_from_db()
    return ranked


def candidate(c: Candidate) -> Candidate:
    return Candidate.objects.select_related("tier", "staff").get(pk=c.pk)
