"""Quotas and budget adjustable until 公示, an over-budget ranking fixed, 公示 on a working day."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.core.calendar import is_working_day
from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry
from chuangkou.selection import services
from chuangkou.selection.models import Competition

from .conftest import TIERS, candidate, make_competition, temporary_staff

pytestmark = pytest.mark.django_db


def _over_budget(admin, graders) -> tuple[Competition, list]:
    """Ranked with 48,000 yuan placed against a budget of 40,000."""
    competition = make_competition(admin, budget=40000)
    services.set_tiers(actor=admin, competition=competition, tiers=TIERS)
    services.set_judges(actor=admin, competition=competition, users=graders)
    services.open_registration(actor=admin, competition=competition)
    people = [
        services.register_candidate(actor=admin, competition=competition, staff=s)
        for s in temporary_staff(3)
    ]
    services.start_scoring(actor=admin, competition=competition)
    for c, mark in zip(people, [90, 80, 70], strict=True):
        services.set_written_score(actor=admin, candidate=c, score=mark)
        for judge in graders:
            services.enter_interview_score(actor=judge, candidate=c, score=mark)
    services.compute_ranking(actor=admin, competition=competition)
    return competition, people


def test_an_over_budget_ranking_is_fixed_by_fewer_seats(admin, graders):
    competition, people = _over_budget(admin, graders)
    with pytest.raises(DomainError):
        services.publish_results(actor=admin, competition=competition)
    fewer = [TIERS[0], {**TIERS[1], "quota": 1}]
    services.set_tiers(actor=admin, competition=competition, tiers=fewer)
    outcomes = [(candidate(c).outcome, getattr(candidate(c).tier, "name", None)) for c in people]
    assert outcomes == [("placed", "一档"), ("placed", "二档"), ("unplaced", None)]
    entry = AuditEntry.objects.filter(action="selection.tiers.set").latest("id")
    assert [row[2] for row in entry.before["results"]] == ["placed"] * 3  # id, rank, outcome
    assert [row[2] for row in entry.after["results"]] == ["placed", "placed", "unplaced"]
    services.publish_results(actor=admin, competition=competition)
    assert Competition.objects.get(pk=competition.pk).status == Competition.Status.PUBLISHED


def test_an_over_budget_ranking_is_fixed_by_a_larger_budget(admin, graders):
    competition, people = _over_budget(admin, graders)
    services.update_competition(actor=admin, competition=competition, changes={"budget": 48000})
    assert candidate(people[2]).outcome == "placed"
    services.publish_results(actor=admin, competition=competition)
    entry = AuditEntry.objects.get(action="selection.competition.update")
    assert (entry.before, entry.after) == ({"budget": 40000}, {"budget": 48000})


def test_quotas_change_while_scoring(scoring):
    more = [TIERS[0], {**TIERS[1], "quota": 3}]
    services.set_tiers(actor=scoring.admin, competition=scoring.competition, tiers=more)
    assert scoring.competition.tiers.get(name="二档").quota == 3


def test_after_scoring_starts_only_budget_and_notice_change(scoring):
    with pytest.raises(DomainError) as exc:
        services.update_competition(
            actor=scoring.admin, competition=scoring.competition, changes={"pass_line": 70}
        )
    assert exc.value.field == "pass_line" and "只能调整年度预算" in exc.value.message


def test_no_quota_change_after_publication(published):
    with pytest.raises(DomainError) as exc:
        services.set_tiers(actor=published.admin, competition=published.competition, tiers=TIERS)
    assert "公示中" in exc.value.message


def _next_weekend_day(today: dt.date) -> dt.date:
    day = today + dt.timedelta(days=1)
    while is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def test_the_notice_starts_on_a_working_day(ranked):
    today = timezone.localdate()
    rest_day = _next_weekend_day(today)
    with pytest.raises(DomainError) as exc:
        services.publish_results(
            actor=ranked.admin, competition=ranked.competition, notice_start=rest_day
        )
    assert exc.value.field == "notice_start" and "不是工作日" in exc.value.message
    assert services.next_working_day(rest_day).isoformat() in exc.value.message
    competition = services.publish_results(actor=ranked.admin, competition=ranked.competition)
    assert is_working_day(competition.notice_start)
    assert competition.notice_start == services.next_working_day(today)


def test_next_working_day_skips_national_day():
    assert services.next_working_day(dt.date(2018, 10, 1)) == dt.date(2018, 10, 8)
    assert services.next_working_day(dt.date(2018, 9, 29)) == dt.date(2018, 9, 29)  # 调休上班


def test_the_pages_offer_adjustment_while_ranked(client_as, admin, graders):
    competition, _ = _over_budget(admin, graders)
    client = client_as(admin)
    detail = client.get(f"/selection/{competition.pk}/").content.decode()
    assert f"/selection/{competition.pk}/tiers/" in detail
    edit = client.get(f"/selection/{competition.pk}/edit/")
    assert set(edit.context["form"].fields) == {"budget", "notice_days"}
    response = client.post(
        f"/selection/{competition.pk}/edit/", {"budget": 50000, "notice_days": 5}
    )
    assert response.status_code == 302
    assert Competition.objects.get(pk=competition.pk).budget == 50000
