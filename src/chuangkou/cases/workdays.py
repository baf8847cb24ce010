"""Working days for due dates and daily averages, on top of `core.calendar`.

`core.calendar` answers a day from the days the center admin entered, then chinese_calendar,
then Monday to Friday. Due dates are asked for millions of times by imports and the demo, so
`add_working_days` is cached per version of the entered days (a saved year starts afresh).
"""

import datetime as dt
from functools import lru_cache

from chuangkou.core import calendar


def is_working_day(day: dt.date) -> bool:
    return calendar.is_working_day(day)


@lru_cache(maxsize=65536)
def _add_working_days(start: dt.date, days: int, version: int) -> dt.date:
    return calendar.add_working_days(start, days)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """As `core.calendar.add_working_days`: `days` working days after `start` (start itself not
    counted; 0 gives `start`)."""
    if days < 0:
        raise ValueError("days must not be negative")
    return _add_working_days(start, days, calendar.version())


def working_days_between(start: dt.date, end: dt.date) -> int:
    """工作日数: working days in [start, end], both included (0 when end < start)."""
    count, day = 0, start
    while day <= end:
        count += calendar.is_working_day(day)
        day += dt.timedelta(days=1)
    return count
