"""Working days on China's official calendar (法定节假日与调休上班日), via chinese_calendar."""

import datetime as dt

import chinese_calendar


def is_working_day(day: dt.date) -> bool:
    """工作日 by the State Council's holiday notice; for a year the installed chinese_calendar
    does not cover yet (its notice is published each November), Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def calendar_covers(day: dt.date) -> bool:
    """Whether the official holidays of `day`'s year are known (else weekdays are assumed)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself not counted).

    `days == 0` returns `start`. Holidays and make-up working days (调休) follow the State
    Council's yearly notice as published in chinese_calendar.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
