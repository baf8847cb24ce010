"""The service-level clock over opening hours (8:30–12:00, 13:30–17:00), weekends, holidays
and make-up working days (2024: 1–7 October off, Saturday 12 October worked)."""

import datetime as dt
from zoneinfo import ZoneInfo

from chuangkou.consult import sla
from chuangkou.core.calendar import is_working_day

TZ = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=TZ)


def test_calendar_facts_used_below():
    assert not is_working_day(dt.date(2024, 10, 7))
    assert is_working_day(dt.date(2024, 10, 12))  # 调休上班
    assert not is_working_day(dt.date(2024, 10, 13))


def test_within_a_morning():
    assert sla.add_working_minutes(at("2024-10-09", 9), 30) == at("2024-10-09", 9, 30)


def test_across_lunch():
    assert sla.add_working_minutes(at("2024-10-09", 11, 45), 30) == at("2024-10-09", 13, 45)
    assert sla.add_working_minutes(at("2024-10-09", 12, 30), 30) == at("2024-10-09", 14)


def test_asked_in_the_evening_counts_from_next_opening():
    assert sla.add_working_minutes(at("2024-10-09", 20), 30) == at("2024-10-10", 9)
    assert sla.add_working_minutes(at("2024-10-09", 7), 30) == at("2024-10-09", 9)


def test_weekend_and_make_up_working_day():
    # Friday 11 October evening: next opening is the make-up Saturday 12 October
    assert sla.add_working_minutes(at("2024-10-11", 18), 30) == at("2024-10-12", 9)
    # Saturday 19 October is an ordinary weekend: Monday 21
    assert sla.add_working_minutes(at("2024-10-19", 10), 30) == at("2024-10-21", 9)


def test_national_day_holiday():
    assert sla.add_working_minutes(at("2024-09-30", 16, 50), 30) == at("2024-10-08", 8, 50)
    assert sla.add_working_minutes(at("2024-10-03", 10), 30) == at("2024-10-08", 9)


def test_one_working_day_to_resolve():
    first, resolve = sla.deadlines(at("2024-10-09", 10))
    assert first == at("2024-10-09", 10, 30)
    assert resolve == at("2024-10-10", 10)  # 7 open hours later
    assert sla.deadlines(at("2024-09-30", 15))[1] == at("2024-10-08", 15)


def test_working_seconds_skips_nights_lunch_and_holidays():
    assert sla.working_seconds(at("2024-10-09", 11), at("2024-10-09", 14)) == 90 * 60
    assert sla.working_seconds(at("2024-09-30", 16), at("2024-10-08", 9)) == 90 * 60
    assert sla.working_seconds(at("2024-10-09", 14), at("2024-10-09", 13)) == 0
    assert sla.working_seconds(at("2024-10-09", 8, 30), at("2024-10-09", 17)) == 7 * 3600


def test_minutes_left():
    due = at("2024-10-09", 14)
    assert sla.minutes_left(due, at("2024-10-09", 11, 50)) == 40
    assert sla.minutes_left(due, at("2024-10-09", 14, 5)) == -5
