"""The feedback demo over a small world of its own (the cases demo may not exist yet): the
briefing's survey changes come out of the interview answers; the ratings look real."""

import random

import pytest

from chuangkou.feedback import demo, selectors
from chuangkou.feedback.filters import EvaluationFilter
from chuangkou.feedback.models import Evaluation, Rectification, Survey

pytestmark = pytest.mark.django_db


def test_surveys_rise_by_the_briefings_points(demo_world):
    demo.load()
    surveys = {s.period_start.year: s for s in Survey.objects.all()}
    assert set(surveys) == {2017, 2018}
    report = selectors.survey_report(surveys[2018])

    assert report.previous.survey == surveys[2017]
    assert report.realization_change == 20.2
    assert report.satisfaction_change == 11.8
    # the rounded figures shown on the page differ by the same points
    shown = report.realization.percent - report.previous.realization.percent
    assert round(shown, 1) == 20.2
    shown = report.satisfaction.percent - report.previous.satisfaction.percent
    assert round(shown, 1) == 11.8
    assert report.drawn == 400 and report.interviewed == 400
    assert 0.8 < report.reached / report.drawn < 0.97
    assert report.realization.low < report.realization.rate < report.realization.high
    assert len(report.strata) == 4 and all(s.sample_size >= 1 for s in report.strata)


def test_ratings_are_about_98_to_99_percent_satisfied(demo_world):
    demo.load()
    figures = selectors.satisfaction(user=demo_world.admin, filters=EvaluationFilter())
    assert figures.total >= 90
    assert 97.0 <= figures.rate <= 99.9
    assert Evaluation.objects.filter(ticket__isnull=False, channel__in=["pad", "phone"]).exists()
    # every bad rating has its rectification
    bad = Evaluation.objects.filter(level__lte=2)
    assert bad.count() == Rectification.objects.count()


def test_rectifications_in_every_state_the_list_needs(demo_world):
    demo.load()
    states = set(
        selectors.rectifications_visible_to(demo_world.admin).values_list(
            "current_state", flat=True
        )
    )
    assert {"pending", "rectifying", "rectified", "appealing", "overdue"} <= states
    head_sees = selectors.rectifications_visible_to(demo_world.head_a)
    assert head_sees.filter(current_state="appealing").exists()
    for rect in Rectification.objects.all():
        assert rect.events.exists()


def test_tune_hits_its_target():
    rng = random.Random(3)
    weights = {"A": 500, "B": 300, "C": 120, "D": 80}
    respondents = {"A": 170, "B": 101, "C": 41, "D": 27}
    counts = demo.tune(weights, respondents, 0.887, rng)
    estimate = sum(weights[k] / 1000 * counts[k] / respondents[k] for k in weights)
    assert abs(estimate - 0.887) < 0.0002
