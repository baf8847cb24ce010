"""The statements of the satisfaction figures over the 满意率日汇总: the live ratings are read by
day ranges with one lower and at most one upper bound on rated_on each (SQLite's planner scans
the index from the first lower bound it meets, so a repeated period bound made it scan the whole
half year for today's ratings), none when every day of the period is built; the months of the
trend are the same dates whether counted live or from the summary."""

import datetime as dt
import re

import pytest
from django.db.models import Count
from django.db.models.functions import TruncMonth

from chuangkou.feedback import selectors, summary
from chuangkou.feedback.filters import EvaluationFilter
from chuangkou.feedback.models import Evaluation
from tests.statements import Statements

from .test_satisfaction_summary import DAYS, build, live, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

RATED_ON = '"feedback_evaluation"."rated_on"'


def live_statements(statements: Statements) -> list[str]:
    return [s for s in statements.sql if 'FROM "feedback_evaluation"' in s]


def bounds(sql: str) -> list[str]:
    return re.findall(re.escape(RATED_ON) + r" ([<>]=?)", sql)


def test_today_is_read_by_one_range_beside_the_built_half_year(world):  # noqa: F811
    fb, today, _ = world
    build(today)
    filters = EvaluationFilter(start=today - dt.timedelta(days=DAYS // 2), end=today)
    selectors.satisfaction(user=fb.admin, filters=filters)  # (the user's roles, read once)
    with Statements() as statements:
        figures = selectors.satisfaction(user=fb.admin, filters=filters)
    assert figures.total > 0
    assert len(statements) == 3, statements.report()  # the built days, live, summary
    [sql] = live_statements(statements)
    assert sorted(bounds(sql)) == ["<=", ">"], sql  # (yesterday, today], not the period again


def test_gaps_are_ranges_of_their_own(world):  # noqa: F811
    fb, today, _ = world
    build(today)
    summary.mark_stale([today - dt.timedelta(days=d) for d in (DAYS - 1, 12, 11, 1)])
    filters = EvaluationFilter(start=today - dt.timedelta(days=DAYS), end=today)
    with Statements() as statements:
        selectors.satisfaction(user=fb.admin, filters=filters)
    [sql] = live_statements(statements)
    # the stale day after the first, days 12-11 and from yesterday: one pair of bounds each
    assert bounds(sql) == [">", "<", ">", "<", ">", "<="], sql
    filters = EvaluationFilter(start=today - dt.timedelta(days=DAYS - 1), end=today)
    with Statements() as statements:
        selectors.satisfaction(user=fb.admin, filters=filters)
    [sql] = live_statements(statements)
    assert bounds(sql) == [">=", "<", ">", "<", ">", "<="], sql  # the first from the start


def test_a_period_built_to_its_end_reads_no_rating(world):  # noqa: F811
    fb, today, _ = world
    build(today)
    filters = EvaluationFilter(start=today - dt.timedelta(days=DAYS), end=today - dt.timedelta(1))
    expected = live(lambda: selectors.satisfaction(user=fb.admin, filters=filters))
    selectors.satisfaction(user=fb.admin, filters=filters)
    with Statements() as statements:
        assert selectors.satisfaction(user=fb.admin, filters=filters) == expected
    assert len(statements) == 2, statements.report()  # the built days and the summary
    assert live_statements(statements) == []


def test_the_trend_months_are_the_first_days_live_and_from_the_summary(world):  # noqa: F811
    fb, today, _ = world
    filters = EvaluationFilter()
    counted = selectors.counted(Evaluation.objects.all())
    expected = {
        row["month"]: row["n"]
        for row in counted.order_by()
        .annotate(month=TruncMonth("rated_on"))
        .values("month")
        .annotate(n=Count("id"))
    }
    for source in ("live", "summary"):
        if source == "summary":
            build(today)
        trend = selectors.monthly_trend(user=fb.admin, filters=filters)
        assert {month: figures.total for month, figures in trend if figures.total} == expected
        assert all(type(month) is dt.date and month.day == 1 for month, _ in trend)
