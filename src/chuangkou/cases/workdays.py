"""Working days for due dates and daily averages, on top of `core.calendar`.

The answer for a day is cached (imports and the demo ask for the same few thousand days
millions of times). `chinese_calendar` only knows the years whose State Council notice it ships
(up to 2026 in 1.11); beyond them a case must still get a due date, so days there count Monday
to Friday until the library is upgraded.
"""

import datetime as dt
from functools import lru_cache

from chuangkou.core import calendar


@lru_cache(maxsize=8192)
def is_working_day(day: dt.date) -> bool:
    try:
        return calendar.is_working_day(day)
    except NotImplementedError:
        return day.weekday() < 5


@lru_cache(maxsize=65536)
def add_working_days(start: dt.date, days: int) -> dt.date:
    """As `core.calendar.add_working_days`: `days` working days after `start` (start itself not
    counted; 0 gives `start`), with the cache and the fallback above."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, remaining = start, days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """工作日数: working days in [start, end], both included (0 when end < start)."""
    count, day = 0, start
    while day <= end:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count
