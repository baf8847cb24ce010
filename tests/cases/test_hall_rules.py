"""The hall's rules as the law has them: 不予受理 is not 受理, 补正 stops the clock, one
definition of 最多跑一次, and 同比 precise enough to see a change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangkou.cases import selectors, services
from chuangkou.cases.models import Case, CaseEvent, DailyCaseStats, counts_as_one_trip
from chuangkou.cases.services.status import paused_working_days
from chuangkou.cases.workdays import add_working_days

from .conftest import accept_at_window, at
from .factories import MatterFactory

pytestmark = pytest.mark.django_db

MARCH_2018 = (dt.date(2018, 3, 1), dt.date(2018, 3, 31))


def _summary() -> tuple[int, int]:
    rows = DailyCaseStats.objects.all()
    return sum(r.accepted for r in rows), sum(r.rejected for r in rows)


# --- 不予受理 --------------------------------------------------------------------------------


def test_a_refused_application_leaves_the_accepted_volume_and_is_counted_apart(hall):
    kept = accept_at_window(hall, at("2018-03-05", 9))
    refused = accept_at_window(hall, at("2018-03-05", 10))
    services.reject_case(actor=hall.clerk_a1, case=refused, reason="不属于本机关职权范围")
    assert _summary() == (1, 1)
    f = selectors.case_figures(user=hall.admin, start=MARCH_2018[0], end=MARCH_2018[1])
    assert (f.counts.accepted, f.counts.rejected) == (1, 1)
    assert [(w.number, w.accepted) for w in f.windows] == [(hall.w_a01.number, 1)]
    assert f.departments[0].counts.accepted == 1
    # a year later the same: 同比 compares accepted with accepted
    for hour in (9, 10):
        accept_at_window(hall, at("2019-03-05", hour))
    refused_later = accept_at_window(hall, at("2019-03-05", 11))
    services.reject_case(actor=hall.clerk_a1, case=refused_later, reason="材料虚假")
    later = selectors.case_figures(
        user=hall.admin, start=dt.date(2019, 3, 1), end=dt.date(2019, 3, 31)
    )
    assert (later.counts.accepted, later.previous_accepted, later.year_on_year) == (2, 1, 2)
    # the rebuilt summary counts the same way
    services.rebuild_daily_stats(start=dt.date(2018, 1, 1), end=dt.date(2019, 12, 31))
    assert _summary() == (3, 2)
    assert kept.pk != refused.pk


def test_the_figures_page_shows_the_refused_apart(client, hall):
    refused = accept_at_window(hall, at("2018-03-05", 10))
    services.reject_case(actor=hall.clerk_a1, case=refused, reason="不属于本机关职权范围")
    client.force_login(hall.admin)
    page = client.get(reverse("cases:figures"), {"start": "2018-03-01", "end": "2018-03-31"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "不予受理 1 件" in text and "不计入受理量" in text


def test_the_api_gives_the_refused_and_the_change_in_percent(client, hall):
    refused = accept_at_window(hall, at("2018-03-05", 10))
    services.reject_case(actor=hall.clerk_a1, case=refused, reason="材料虚假")
    client.force_login(hall.admin)
    data = client.get("/api/v1/cases/figures", {"start": "2018-03-01", "end": "2018-03-31"}).json()
    assert (data["accepted"], data["rejected"], data["year_on_year_change"]) == (0, 1, None)


# --- 补正 stops the clock ----------------------------------------------------------------------


def _supplement_since(hall, case: Case, notice: dt.datetime) -> Case:
    case = services.request_supplement(actor=hall.clerk_a1, case=case, note="缺身份证复印件")
    case.events.filter(action=CaseEvent.Action.SUPPLEMENT).update(at=notice)
    return case


def test_paused_working_days_skip_the_notice_day_and_holidays():
    assert paused_working_days(dt.date(2018, 3, 5), dt.date(2018, 3, 5)) == 0
    assert paused_working_days(dt.date(2018, 3, 5), dt.date(2018, 3, 7)) == 2
    # notice on 14 February 2018, materials on 23 February: the 春节 week (15–21) does not count
    assert paused_working_days(dt.date(2018, 2, 14), dt.date(2018, 2, 23)) == 2


def test_the_due_date_moves_by_the_working_days_spent_waiting(hall):
    today = timezone.localdate()
    matter = MatterFactory(department=hall.dept_a, promised_days=10)
    accepted = timezone.now() - dt.timedelta(days=20)
    case = accept_at_window(hall, accepted, matter=matter)
    due = case.due_date
    notice = timezone.now() - dt.timedelta(days=7)
    case = _supplement_since(hall, case, notice)
    case = services.resume_case(actor=hall.clerk_a1, case=case)
    waited = paused_working_days(timezone.localdate(notice), today)
    assert waited >= 4
    assert (case.paused_days, case.due_date) == (waited, add_working_days(due, waited))
    assert "承诺办结日期顺延至" in case.events.last().note


def test_a_case_closed_while_waiting_for_materials_is_not_late_for_the_wait(hall):
    case = accept_at_window(hall, timezone.now() - dt.timedelta(days=10))  # 1 working day
    case = _supplement_since(hall, case, timezone.now() - dt.timedelta(days=9))
    case = services.return_case(actor=hall.clerk_a1, case=case, reason="申请人撤回申请")
    assert case.paused_days > 0 and not case.is_overdue


# --- 最多跑一次 -------------------------------------------------------------------------------


def test_one_trip_is_at_most_one_visit_whatever_the_matter_promises(hall):
    assert [counts_as_one_trip(n) for n in (0, 1, 2)] == [True, True, False]
    zero = MatterFactory(department=hall.dept_a, max_visits=0, online=True)
    case = accept_at_window(hall, at("2018-03-05", 9), matter=zero)  # came once: still 最多跑一次
    assert services.complete_case(actor=hall.clerk_a1, case=case).is_one_trip
    two = MatterFactory(department=hall.dept_a, max_visits=2)
    case = accept_at_window(hall, at("2018-03-05", 10), matter=two)
    services.record_visit(actor=hall.clerk_a1, case=case, visited_at=at("2018-03-06", 9))
    assert not services.complete_case(actor=hall.clerk_a1, case=case).is_one_trip


# --- 同比 ------------------------------------------------------------------------------------


def test_year_on_year_has_two_decimals_and_the_change_in_percent():
    assert selectors.year_on_year_ratio(995, 1000) == Decimal("1.00")
    assert selectors.year_on_year_change(995, 1000) == Decimal("-0.5")
    assert selectors.year_on_year_ratio(662, 189) == Decimal("3.50")
    assert selectors.year_on_year_change(662, 189) == Decimal("250.3")
    assert selectors.year_on_year_ratio(5, 0) is None
    assert selectors.year_on_year_change(5, 0) is None
