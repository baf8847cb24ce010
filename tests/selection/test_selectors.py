"""Reads of 竞聘上岗: visibility, blind judging, budget, ties and the public notice."""

from decimal import Decimal

import pytest

from chuangkou.core.roles import Role
from chuangkou.selection import selectors, services
from chuangkou.selection.filters import CandidateFilter, CompetitionFilter
from chuangkou.selection.models import Competition

from .conftest import make_competition, score_all
from .factories import CompetitionFactory

pytestmark = pytest.mark.django_db
D = Decimal
ALL = CandidateFilter()


def test_only_the_center_admin_sees_competitions(admin, role_user):
    make_competition(admin)
    assert selectors.competitions_visible_to(admin).count() == 1
    for role in (Role.GRADER, Role.CLERK, Role.AUDITOR, Role.DEPT_HEAD, Role.SYSADMIN):
        assert not selectors.competitions_visible_to(role_user(role)).exists()


def test_competition_list_filters(admin):
    make_competition(admin, name="2018 年竞聘上岗")
    make_competition(admin, name="2019 年竞聘上岗", year=2019)
    names = lambda **kw: [  # noqa: E731
        c.name for c in selectors.competition_list(user=admin, filters=CompetitionFilter(**kw))
    ]
    assert names(q="2018") == ["2018 年竞聘上岗"]
    assert names(year=2019) == ["2019 年竞聘上岗"]
    assert names(status="final") == []
    assert len(names()) == 2


def test_judges_see_only_the_competitions_they_sit_on(scoring, role_user):
    judge = scoring.graders[0]
    assert list(selectors.judge_competitions(judge)) == [scoring.competition]
    assert not selectors.judge_competitions(role_user(Role.GRADER)).exists()
    assert not selectors.judge_competitions(scoring.admin).exists()
    CompetitionFactory(status=Competition.Status.DRAFT).judges.create(user=judge, seat=1)
    assert selectors.judge_competitions(judge).count() == 1  # drafts stay hidden


def test_a_judge_sees_only_their_own_scores(scoring):
    first, second, third = scoring.graders[:3]
    c = scoring.candidates[0]
    services.enter_interview_score(actor=first, candidate=c, score=80)
    services.enter_interview_score(actor=second, candidate=c, score=90)

    def sheet(user):
        rows = selectors.judge_sheet(user=user, competition=scoring.competition, filters=ALL)
        return {row.pk: row.my_score for row in rows}

    assert sheet(first)[c.pk] == D(80)
    assert sheet(second)[c.pk] == D(90)
    assert sheet(third)[c.pk] is None
    assert sheet(scoring.admin) == {}  # not on the panel
    assert selectors.judge_progress(user=first, competition=scoring.competition) == (1, 4)


def test_panel_scores_stay_hidden_until_every_judge_has_scored(scoring):
    c = scoring.candidates[0]
    for judge, mark in zip(scoring.graders[:4], [80, 90, 70, 85], strict=True):
        services.enter_interview_score(actor=judge, candidate=c, score=mark)
    assert selectors.panel_scores(scoring.competition) == {}
    services.enter_interview_score(actor=scoring.graders[4], candidate=c, score=75)
    assert selectors.panel_scores(scoring.competition) == {
        c.pk: [D(s) for s in (80, 90, 70, 85, 75)]
    }


def test_candidates_list_filters_and_counts_scores_without_showing_them(scoring):
    c = scoring.candidates[1]
    services.enter_interview_score(actor=scoring.graders[0], candidate=c, score=80)
    services.withdraw_candidate(actor=scoring.admin, candidate=scoring.candidates[3], reason="放弃")
    rows = selectors.candidates_of(scoring.competition, ALL)
    assert {r.pk: r.scored for r in rows}[c.pk] == 1
    assert [
        r.staff.name
        for r in selectors.candidates_of(scoring.competition, CandidateFilter(q="人员2"))
    ] == ["人员2"]
    withdrawn = selectors.candidates_of(scoring.competition, CandidateFilter(status="withdrawn"))
    assert [r.staff.name for r in withdrawn] == ["人员4"]
    department = scoring.staff[0].department_id
    by_department = selectors.candidates_of(
        scoring.competition, CandidateFilter(department=department)
    )
    assert [r.staff_id for r in by_department] == [scoring.staff[0].pk]


def test_budget_report(ranked):
    report = selectors.budget_report(ranked.competition)
    assert [(r.name, r.placed, r.subtotal) for r in report.rows] == [
        ("一档", 1, 24000),
        ("二档", 2, 24000),
    ]
    assert (report.total, report.budget, report.overrun, report.remaining) == (
        48000,
        60000,
        0,
        12000,
    )
    assert report.full_cost == 48000 and report.placed == report.quota == 3


def test_pending_ties_name_the_group_and_the_held_seats(scoring):
    score_all(scoring, written=[90, 85, 85, 85], interview=[[90] * 5, [85] * 5, [85] * 5, [85] * 5])
    services.compute_ranking(actor=scoring.admin, competition=scoring.competition)
    (group,) = selectors.pending_ties(scoring.competition)
    assert group.rank == 2
    assert [c.staff.name for c in group.candidates] == ["人员2", "人员3", "人员4"]
    assert group.held_labels == ["二档", "二档", "不入围"]


def test_the_public_notice_lists_the_placed_without_personal_numbers(published, ranked):
    assert list(selectors.public_notices()) == [published.competition]
    rows = selectors.notice_rows(published.competition)
    assert [(r.rank, r.name, r.tier) for r in rows] == [
        (1, "人员1", "一档"),
        (2, "人员2", "二档"),
        (3, "人员3", "二档"),
    ]
    fields = set(rows[0].__dataclass_fields__)
    assert fields == {"candidate_id", "rank", "name", "department", "final_score", "tier"}


def test_unpublished_results_are_not_public(ranked):
    assert not selectors.public_notices().exists()
    assert selectors.notice_rows(ranked.competition) == []
