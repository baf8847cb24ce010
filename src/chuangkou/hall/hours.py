"""Opening hours of the hall (办公时间), used for appointment slots and utilisation.

Assumption: 8:30–12:00 and 13:30–17:00 on working days (China's official calendar, with its
holidays and make-up working days, through core.calendar.is_working_day): 7 hours a day.
"""

import datetime as dt
from collections.abc import Iterator

from chuangkou.core.calendar import is_working_day

OPEN_PERIODS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(8, 30), dt.time(12, 0)),
    (dt.time(13, 30), dt.time(17, 0)),
)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


OPEN_SECONDS_PER_DAY = sum((_minutes(b) - _minutes(a)) * 60 for a, b in OPEN_PERIODS)


def working_days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        if is_working_day(day):
            yield day
        day += dt.timedelta(days=1)


def open_seconds(start: dt.date, end: dt.date) -> int:
    """Seconds the hall is open from `start` to `end` (both included)."""
    return OPEN_SECONDS_PER_DAY * sum(1 for _ in working_days(start, end))


def slot_times(minutes: int) -> list[tuple[dt.time, dt.time]]:
    """Slots of `minutes` each that fit in the opening hours, e.g. 30 → 8:30–9:00, 9:00–9:30…"""
    slots = []
    for opens, closes in OPEN_PERIODS:
        start = _minutes(opens)
        while start + minutes <= _minutes(closes):
            end = start + minutes
            slots.append((dt.time(start // 60, start % 60), dt.time(end // 60, end % 60)))
            start = end
    return slots
