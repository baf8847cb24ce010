"""Working days on China's official calendar (法定节假日与调休上班日), via chinese_calendar."""

import datetime as dt

import chinese_calendar


def is_working_day(day: dt.date) -> bool:
    return chinese_calendar.is_workday(day)


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
