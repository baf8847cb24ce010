"""The pre-review figures on hand-computed data, and who sees which pre-reviews."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.prereview import selectors
from chuangkou.prereview.filters import PreReviewFilter
from chuangkou.prereview.models import PreReview
from tests.feedback.factories import CaseFactory

from .conftest import start

pytestmark = pytest.mark.django_db

START, END = dt.date(2018, 3, 1), dt.date(2018, 3, 31)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _case(w, matter, *, visits: int, day: dt.date, **kw):
    return CaseFactory(
        **kw,
        matter=matter,
        center=w.main,
        accepted_at=_at(day - dt.timedelta(days=2)),
        completed_at=_at(day),
        completed_date=day,
        visits=visits,
        is_one_trip=visits <= 1,
    )


def _prereview(w, *, started: dt.date, passed: dt.date | None, rounds: int, case=None):
    return PreReview.objects.create(
        matter=w.food,
        center=w.main,
        applicant_name="某人",
        phone="13900000000",
        status=PreReview.Status.PASSED if passed else PreReview.Status.REVIEWING,
        started_at=_at(started, 9),
        passed_at=_at(passed, 15) if passed else None,
        fix_rounds=rounds,
        case=case,
    )


def test_figures_on_hand_computed_data(pw):
    food, company = pw.food, pw.catalog.company
    day = dt.date(2018, 3, 20)
    # food: two pre-reviewed cases of 1 visit each; three others of 1, 2 and 3 visits
    pre1, pre2 = _case(pw, food, visits=1, day=day), _case(pw, food, visits=1, day=day)
    for visits in (1, 2, 3):
        _case(pw, food, visits=visits, day=day)
    _case(pw, food, visits=4, day=dt.date(2018, 4, 2))  # closed after the period: left out
    _case(pw, company, visits=3, day=day)  # no pre-reviewed case of this matter: left out
    _case(pw, food, visits=0, day=day, channel="online")  # online: no trip, left out
    _prereview(pw, started=dt.date(2018, 3, 2), passed=dt.date(2018, 3, 5), rounds=0, case=pre1)
    _prereview(pw, started=dt.date(2018, 3, 3), passed=dt.date(2018, 3, 9), rounds=2, case=pre2)
    _prereview(pw, started=dt.date(2018, 3, 30), passed=None, rounds=1)
    _prereview(pw, started=dt.date(2018, 2, 27), passed=dt.date(2018, 4, 1), rounds=3)

    f = selectors.figures(user=pw.admin, start=START, end=END)

    assert (f.started, f.completed) == (3, 2)
    assert f.average_fix_rounds == 1.0  # (0 + 2) / 2
    assert (f.prereviewed.cases, f.prereviewed.one_trip_rate, f.prereviewed.average_visits) == (
        2,
        1.0,
        1.0,
    )
    assert (f.others.cases, f.others.one_trip_rate, f.others.average_visits) == (3, 0.3333, 2.0)
    assert f.visits_saved == 2.0  # (2.0 − 1.0) × 2


def test_figures_of_an_empty_period(pw):
    f = selectors.figures(user=pw.admin, start=START, end=END)
    assert f.started == f.completed == 0
    assert f.average_fix_rounds is None and f.visits_saved is None
    assert f.prereviewed.one_trip_rate is None


def test_visibility(pw):
    mine = start(pw)
    other_center = start(pw, center=pw.sub)
    assert set(selectors.prereviews_visible_to(pw.admin)) == {mine, other_center}
    assert set(selectors.prereviews_visible_to(pw.clerk_a1)) == {mine}
    assert not selectors.prereviews_visible_to(pw.clerk_b1).exists()  # another department
    assert not selectors.prereviews_visible_to(pw.head_a).exists()
    listed = selectors.prereview_list(user=pw.admin, filters=PreReviewFilter(center=pw.sub.pk))
    assert list(listed) == [other_center]


def test_matters_for_prereview_search(pw):
    names = {m.name for m in selectors.matters_for_prereview("食品")}
    assert names == {"食品经营许可证核发"}
    assert not selectors.matters_for_prereview("\x00").filter(is_active=False).exists()
