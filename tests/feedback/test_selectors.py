"""Satisfaction figures (hand-computed), visibility, and the survey report."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangkou.feedback import selectors, services
from chuangkou.feedback.filters import EvaluationFilter, RectificationFilter
from chuangkou.feedback.models import Evaluation

from .factories import CaseFactory, local

pytestmark = pytest.mark.django_db


def rate_cases(fb, levels, *, matter, window, clerk, day=dt.date(2018, 6, 4), channel="hotline"):
    """One completed case per level, rated on `day`."""
    ratings = []
    for level in levels:
        case = CaseFactory(
            matter=matter,
            center=fb.main,
            window=window,
            clerk=clerk,
            accepted_at=local(2018, 5, 2),
            completed_at=local(2018, 5, 3),
        )
        at = local(day.year, day.month, day.day, 11)
        ratings.append(
            services.rate(actor=fb.admin, channel=channel, level=level, case=case, at=at)
        )
    return ratings


@pytest.fixture
def ratings(fb):
    # A: 5,5,4,3,2,1 → 4 satisfied of 6; B: 5,4,4,1 → 3 of 4
    a = rate_cases(fb, [5, 5, 4, 3, 2, 1], matter=fb.matter_a, window=fb.w_a01, clerk=fb.a1)
    b = rate_cases(fb, [5, 4, 4, 1], matter=fb.matter_b, window=fb.w_b01, clerk=fb.b1)
    return a, b


def test_satisfaction_rate_by_hand(fb, ratings):
    figures = selectors.satisfaction(user=fb.admin, filters=EvaluationFilter())
    # (2+3+1... ) → satisfied = 5,5,4,3 + 5,4,4 = 7 of 10; bad = 2,1,1 = 3 of 10
    assert figures.total == 10
    assert figures.by_level == {5: 3, 4: 3, 3: 1, 2: 1, 1: 2}
    assert figures.rate == Decimal("70.00")
    assert figures.bad_share == Decimal("30.00")


def test_satisfaction_by_department_window_and_clerk(fb, ratings):
    filters = EvaluationFilter()
    by_dept = {
        r.label: r.figures
        for r in selectors.satisfaction_by(user=fb.admin, filters=filters, by="department")
    }
    assert by_dept[fb.dept_a.name].rate == Decimal("66.67")  # 4 ÷ 6
    assert by_dept[fb.dept_b.name].rate == Decimal("75.00")  # 3 ÷ 4
    by_window = {
        r.label: r.figures.total
        for r in selectors.satisfaction_by(user=fb.admin, filters=filters, by="window")
    }
    assert by_window == {"A01": 6, "B01": 4}
    by_clerk = selectors.satisfaction_by(user=fb.admin, filters=filters, by="staff")
    assert [(r.label, r.figures.bad) for r in by_clerk] == [("甲一", 2), ("乙一", 1)]


def test_filters_narrow_the_figures(fb, ratings):
    only_b = EvaluationFilter(department=fb.dept_b.pk)
    assert selectors.satisfaction(user=fb.admin, filters=only_b).total == 4
    other_day = EvaluationFilter(start=dt.date(2018, 6, 5))
    assert selectors.satisfaction(user=fb.admin, filters=other_day).rate is None
    same_day = EvaluationFilter(start=dt.date(2018, 6, 4), end=dt.date(2018, 6, 4))
    assert selectors.satisfaction(user=fb.admin, filters=same_day).total == 10
    assert selectors.satisfaction(user=fb.admin, filters=EvaluationFilter(channel="sms")).total == 0


def test_a_follow_up_replaces_its_first_rating(fb, ratings):
    a, _ = ratings
    bad = a[-1]  # 非常不满意
    services.rate(actor=fb.admin, channel="hotline", level=4, follow_up_of=bad)
    figures = selectors.satisfaction(user=fb.admin, filters=EvaluationFilter())
    assert figures.total == 10
    assert figures.rate == Decimal("80.00")  # 8 of 10


def test_an_invalidated_rating_leaves_the_rate(fb, ratings):
    a, _ = ratings
    Evaluation.objects.filter(pk=a[-1].pk).update(invalidated=True)
    figures = selectors.satisfaction(user=fb.admin, filters=EvaluationFilter())
    assert figures.total == 9
    assert figures.rate == Decimal("77.78")  # 7 ÷ 9


def test_department_heads_see_only_their_departments(fb, ratings):
    head_figures = selectors.satisfaction(user=fb.head_a, filters=EvaluationFilter())
    assert head_figures.total == 6
    asking_for_b = EvaluationFilter(department=fb.dept_b.pk)
    assert selectors.satisfaction(user=fb.head_a, filters=asking_for_b).total == 0
    assert selectors.satisfaction(user=fb.clerk_a1, filters=EvaluationFilter()).total == 0
    assert list(selectors.departments_visible_to(fb.head_a)) == [fb.dept_a]

    visible = selectors.rectification_list(user=fb.head_a, filters=RectificationFilter())
    assert {r.evaluation.department_id for r in visible} == {fb.dept_a.pk}
    assert visible.count() == 2
    assert selectors.rectification_list(user=fb.admin, filters=RectificationFilter()).count() == 3
    assert not selectors.rectifications_visible_to(fb.clerk_a1).exists()


def test_rectification_filters(fb, ratings):
    admin_rows = selectors.rectification_list
    # the deadlines of June 2018 have passed long ago: all three are overdue on read
    assert admin_rows(user=fb.admin, filters=RectificationFilter(state="pending")).count() == 0
    assert admin_rows(user=fb.admin, filters=RectificationFilter(state="overdue")).count() == 3
    assert admin_rows(user=fb.admin, filters=RectificationFilter(overdue=True)).count() == 3
    assert admin_rows(user=fb.admin, filters=RectificationFilter(overdue=False)).count() == 0
    assert selectors.rectification_counts(user=fb.admin) == {"overdue": 3}
    number = ratings[1][-1].case.number
    assert admin_rows(user=fb.admin, filters=RectificationFilter(q=number)).count() == 1


def test_monthly_trend(fb, ratings):
    rate_cases(
        fb, [5, 5], matter=fb.matter_a, window=fb.w_a01, clerk=fb.a1, day=dt.date(2018, 7, 2)
    )
    trend = selectors.monthly_trend(user=fb.admin, filters=EvaluationFilter())
    assert [(m, f.total, f.rate) for m, f in trend] == [
        (dt.date(2018, 6, 1), 10, Decimal("70.00")),
        (dt.date(2018, 7, 1), 2, Decimal("100.00")),
    ]
    rate_cases(fb, [4], matter=fb.matter_b, window=fb.w_b01, clerk=fb.b1, day=dt.date(2018, 10, 8))
    trend = selectors.monthly_trend(user=fb.admin, filters=EvaluationFilter())
    assert [m.month for m, _ in trend] == [6, 7, 8, 9, 10]
    assert trend[2][1].rate is None  # August: no ratings, a gap in the line


# 抽样调查报告 ------------------------------------------------------------------------------------


def completed(fb, matter, n, year):
    for i in range(n):
        CaseFactory(
            number=f"{year}-{matter.department.code}-{i:03d}",
            matter=matter,
            center=fb.main,
            accepted_at=local(year, 3, 1),
            completed_at=local(year, 3, 2),
        )


def survey_of(fb, year, answers):
    """Draw a census (sample ≥ population) and record `answers[dept_code]` = list of
    (reached, visits, satisfied) in case-number order."""
    survey = services.draw_sample(
        actor=fb.admin,
        region=fb.region,
        name=f"{year}年抽样",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 5, 31),
        sample_size=1000,
        seed=year,
    )
    for code, rows in answers.items():
        samples = survey.samples.filter(stratum__department__code=code).order_by("case__number")
        for sample, (reached, visits, satisfied) in zip(samples, rows, strict=True):
            services.record_interview(
                actor=fb.admin,
                sample=sample,
                reached=reached,
                visits_reported=visits,
                satisfied=satisfied,
            )
    return survey


def test_survey_report_by_hand_and_against_a_year_earlier(fb):
    a, b = fb.dept_a.code, fb.dept_b.code
    completed(fb, fb.matter_a, 6, 2017)
    completed(fb, fb.matter_b, 4, 2017)
    completed(fb, fb.matter_a, 6, 2018)
    completed(fb, fb.matter_b, 4, 2018)
    no = (False, None, None)
    # 2017: A reached 5 → realised 2 (visits ≤ 1), satisfied 3; B reached 4 → realised 2, sat. 3
    survey_of(
        fb,
        2017,
        {
            a: [
                (True, 1, True),
                (True, 2, True),
                (True, 3, False),
                (True, 0, True),
                (True, 2, False),
                no,
            ],
            b: [(True, 1, True), (True, 1, True), (True, 2, True), (True, 3, False)],
        },
    )
    # 2018: A reached 6 → realised 5, satisfied 6; B reached 4 → realised 4, satisfied 3
    latest = survey_of(
        fb,
        2018,
        {
            a: [(True, 1, True)] * 4 + [(True, 0, True), (True, 2, True)],
            b: [(True, 1, True), (True, 1, True), (True, 1, False), (True, 0, True)],
        },
    )
    report = selectors.survey_report(latest)

    # W_A = 6/10, W_B = 4/10.
    # 2018 实现率 = 0.6×5/6 + 0.4×4/4 = 0.9;   满意率 = 0.6×6/6 + 0.4×3/4 = 0.9
    # 2017 实现率 = 0.6×2/5 + 0.4×2/4 = 0.44;  满意率 = 0.6×3/5 + 0.4×3/4 = 0.66
    assert report.realization.rate == pytest.approx(0.9)
    assert report.satisfaction.rate == pytest.approx(0.9)
    assert report.previous.realization.rate == pytest.approx(0.44)
    assert report.previous.satisfaction.rate == pytest.approx(0.66)
    assert report.realization_change == 46.0
    assert report.satisfaction_change == 24.0
    assert report.previous.survey.period_start == dt.date(2017, 1, 1)
    # strata in department code order: RLSB (B) before SCJG (A)
    assert [(s.population, s.sample_size, s.reached) for s in report.strata] == [
        (4, 4, 4),
        (6, 6, 6),
    ]
    assert report.previous.response_rate == Decimal("90.00")  # 9 of 10 reached
    assert report.realization.low < 0.9 < report.realization.high


def test_no_previous_survey_no_change(fb):
    completed(fb, fb.matter_a, 3, 2018)
    survey = survey_of(fb, 2018, {})
    report = selectors.survey_report(survey)
    assert report.previous is None
    assert report.realization_change is None
    assert report.realization.rate is None  # nobody interviewed yet
    assert report.interviewed == 0 and report.drawn == 3


@pytest.mark.parametrize("by", ["department", "window", "staff", "channel"])
def test_the_groups_add_up_to_the_total(fb, ratings, by):
    """The pages take the total from the groups (total_of) instead of counting again."""
    a, b = ratings
    services.rate(actor=fb.admin, channel="hotline", level=4, follow_up_of=a[-1])
    Evaluation.objects.filter(pk=b[0].pk).update(invalidated=True)
    for filters in (EvaluationFilter(), EvaluationFilter(department=fb.dept_a.pk)):
        rows = selectors.satisfaction_by(user=fb.admin, filters=filters, by=by)
        expected = selectors.satisfaction(user=fb.admin, filters=filters)
        assert selectors.total_of(rows) == expected
    assert selectors.total_of(rows).total == 6 and selectors.total_of([]).rate is None
