"""Who sees which cases, the list filters, and the figures on a hand-computed set of cases."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from chuangkou.cases import selectors, services
from chuangkou.cases.filters import CaseFilter
from chuangkou.cases.selectors import Period, year_earlier
from chuangkou.core.errors import DomainError
from chuangkou.core.roles import Role

from .conftest import accept_at_window, accept_online, at

pytestmark = pytest.mark.django_db

P_START, P_END = dt.date(2018, 2, 12), dt.date(2018, 2, 23)


# --- visibility and the list -----------------------------------------------------------------


@pytest.fixture
def three(hall):
    """a: clerk a1 at A01 (dept A); b: clerk b1 at B01 (dept B); c: online, dept A."""
    return SimpleNamespace(
        a=accept_at_window(hall, at("2018-03-05", 9), applicant_name="王小明"),
        b=accept_at_window(hall, at("2018-03-06", 9), clerk=hall.clerk_b1, matter=hall.matter_b),
        c=accept_online(hall, at("2018-03-07", 9), applicant_name="杭州云端科技有限公司"),
    )


def _numbers(user, **filters) -> set[str]:
    return {c.number for c in selectors.case_list(user=user, filters=CaseFilter(**filters))}


def test_who_sees_which_cases(hall, three, role_user):
    assert _numbers(hall.admin) == {three.a.number, three.b.number, three.c.number}
    assert _numbers(hall.head_a) == {three.a.number, three.c.number}
    assert _numbers(hall.clerk_a1) == {three.a.number}
    assert _numbers(hall.clerk_b1) == {three.b.number}
    for nobody in (role_user(Role.AUDITOR), role_user(Role.CLERK), role_user()):
        assert _numbers(nobody) == set()
    # several roles: the union
    hall.clerk_b1.groups.add(*hall.head_a.groups.all())
    hall.dept_a.heads.add(hall.clerk_b1)
    hall.clerk_b1._chuangkou_roles = None
    assert _numbers(hall.clerk_b1) == {three.a.number, three.b.number, three.c.number}


def test_list_filters(hall, three):
    admin = hall.admin
    assert _numbers(admin, q="330103-20180306") == {three.b.number}
    assert _numbers(admin, q="小明") == {three.a.number}
    assert _numbers(admin, status="accepted") == {three.a.number, three.b.number, three.c.number}
    assert _numbers(admin, department=hall.dept_b.pk) == {three.b.number}
    assert _numbers(admin, window=hall.w_a01.pk) == {three.a.number}
    assert _numbers(admin, date_from=dt.date(2018, 3, 6), date_to=dt.date(2018, 3, 6)) == {
        three.b.number
    }
    assert _numbers(admin, channel="online") == {three.c.number}
    # matter_a promises 1 working day, matter_b 20: on 2018-03-06 nothing is due yet, but today
    # all three are open past their due dates
    assert _numbers(admin, overdue=True) == {three.a.number, three.b.number, three.c.number}
    services.complete_case(actor=admin, case=three.a)
    assert _numbers(admin, overdue=False) == set()
    # filtering for another department does not widen a head's view
    assert _numbers(hall.head_a, department=hall.dept_b.pk) == set()


# --- figures ---------------------------------------------------------------------------------


@pytest.fixture
def season(hall):
    """The hand-computed set. Period 2018-02-12..2018-02-23 holds the 2018 春节 holiday
    (15–21 February), so its working days are 12, 13, 14, 22 and 23 February: 5.

    Accepted in the period (14):
      A01 (clerk a1, matter_a of dept A, 1 working day): 12 Feb ×3, 13 Feb ×2, 22 Feb ×2 → 7
      B01 (clerk b1, matter_b of dept B, 20 working days): 14 Feb ×3 → 3
      online (matter_a, dept A): 12 Feb ×2, 23 Feb ×2 → 4
    Same period of 2017 (4): A01 13 Feb 2017 ×2, online 20 Feb 2017 ×2 → 同比 14 ÷ 4 = 3.5 倍.
    A01 cases are numbered #1–#7 in that order (#1–#3 on 12 Feb, #4–#5 on 13 Feb, #6–#7 on 22 Feb).
    Completed in the period (6):
      A01 #1 (due 13 Feb) on 13 Feb: on time, one trip
      A01 #2 (due 13 Feb) on 14 Feb: overdue, one trip
      A01 #3 (due 13 Feb) came again on 13 Feb (2 trips, 1 allowed), done 22 Feb: overdue, not
      A01 #4 (13 Feb, due 14 Feb) on 14 Feb: on time, one trip
      online #1 (due 13 Feb) on 13 Feb: on time, one trip (no trip at all)
      online #2 (due 13 Feb) on 23 Feb: overdue, one trip
    → 最多跑一次实现率 5 ÷ 6 = 83.3 %, 超期率 3 ÷ 6 = 50.0 %.
    A01 #6 is completed on 1 March, after the period: not counted in it.
    Still open and past due today: A01 #5 and #7, B01 ×3, online #3–#4 → 7.
    Window ranking: A01 7 ÷ 5 = 1.4 per working day, B01 3 ÷ 5 = 0.6.
    """
    a01 = [
        accept_at_window(hall, at(d, 9 + i))
        for i, d in enumerate(["2018-02-12"] * 3 + ["2018-02-13"] * 2 + ["2018-02-22"] * 2)
    ]
    for d in ["2018-02-14"] * 3:
        accept_at_window(hall, at(d, 10), clerk=hall.clerk_b1, matter=hall.matter_b)
    online = [accept_online(hall, at(d, 11)) for d in ["2018-02-12"] * 2 + ["2018-02-23"] * 2]
    for d in ["2017-02-13", "2017-02-13"]:
        accept_at_window(hall, at(d, 9))
    for d in ["2017-02-20", "2017-02-20"]:
        accept_online(hall, at(d, 9))

    def done(case, day, hour=16):
        services.complete_case(actor=hall.admin, case=case, completed_at=at(day, hour))

    done(a01[0], "2018-02-13")
    done(a01[1], "2018-02-14")
    services.record_visit(actor=hall.clerk_a1, case=a01[2], visited_at=at("2018-02-13", 15))
    done(a01[2], "2018-02-22")
    done(a01[3], "2018-02-14")
    done(online[0], "2018-02-13")
    done(online[1], "2018-02-23")
    done(a01[5], "2018-03-01")
    return hall


def test_the_hand_computed_figures(season):
    f = selectors.case_figures(user=season.admin, start=P_START, end=P_END)
    assert f.working_days == 5
    assert f.counts.accepted == 14 and f.previous_accepted == 4
    assert f.year_on_year == Decimal("3.5")
    assert f.daily_average == Decimal("2.8")
    assert (f.counts.completed, f.counts.one_trip, f.counts.overdue) == (6, 5, 3)
    assert f.counts.one_trip_rate == Decimal("83.3")
    assert f.counts.overdue_rate == Decimal("50.0")
    assert f.daily == [
        (dt.date(2018, 2, 12), 5),
        (dt.date(2018, 2, 13), 2),
        (dt.date(2018, 2, 14), 3),
        (dt.date(2018, 2, 22), 2),
        (dt.date(2018, 2, 23), 2),
    ]
    ranking = [(w.rank, w.number, w.accepted, w.daily_average) for w in f.windows]
    assert ranking == [(1, "A01", 7, Decimal("1.4")), (2, "B01", 3, Decimal("0.6"))]
    by_dept = {d.name: d for d in f.departments}
    assert [d.name for d in f.departments] == ["市场监管局", "人力社保局"]
    a, b = by_dept["市场监管局"], by_dept["人力社保局"]
    # two decimals: 11 ÷ 4 is 2.75 倍, +175.0%
    assert (a.counts.accepted, a.previous_accepted, a.year_on_year) == (11, 4, Decimal("2.75"))
    assert a.year_on_year_change == Decimal("175.0")
    assert (b.counts.accepted, b.previous_accepted, b.year_on_year) == (3, 0, None)
    assert b.counts.one_trip_rate is None  # nothing completed
    assert f.open_overdue == 7


def test_figures_follow_the_filters_and_the_viewer(season):
    head = selectors.case_figures(user=season.head_a, start=P_START, end=P_END)
    assert (head.counts.accepted, head.previous_accepted, head.year_on_year) == (
        11,
        4,
        Decimal("2.75"),
    )
    assert [w.number for w in head.windows] == ["A01"]
    b_only = selectors.case_figures(
        user=season.admin, start=P_START, end=P_END, department_id=season.dept_b.pk
    )
    assert b_only.counts.accepted == 3 and b_only.year_on_year is None
    clerk = selectors.case_figures(user=season.clerk_a1, start=P_START, end=P_END)
    assert clerk.counts.accepted == 0


def test_a_period_on_its_own_working_days():
    assert Period(P_START, P_END).working_days == 5
    # 2018 上半年 and 2017 上半年 both have 123 working days on the official calendar
    assert Period(dt.date(2018, 1, 1), dt.date(2018, 6, 30)).working_days == 123
    assert Period(dt.date(2018, 1, 1), dt.date(2018, 6, 30)).previous == Period(
        dt.date(2017, 1, 1), dt.date(2017, 6, 30)
    )
    assert year_earlier(dt.date(2016, 2, 29)) == dt.date(2015, 2, 28)


def test_bad_periods_are_refused(hall):
    with pytest.raises(DomainError, match="结束日期不能早于开始日期"):
        selectors.case_figures(user=hall.admin, start=P_END, end=P_START)
    with pytest.raises(DomainError, match="不能超过 10 年"):
        selectors.case_figures(user=hall.admin, start=dt.date(2000, 1, 1), end=dt.date(2018, 1, 1))


def test_an_empty_period_has_no_rates(hall):
    f = selectors.case_figures(user=hall.admin, start=P_START, end=P_END)
    assert f.counts.accepted == 0 and f.year_on_year is None
    assert f.counts.one_trip_rate is None and f.windows == [] and f.departments == []
    assert len(f.daily) == 5  # every working day, with 0
