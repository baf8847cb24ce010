"""The service-level clock of 1call (服务时限), on working time: the hall's opening hours
(hall.hours.OPEN_PERIODS) on working days (core.calendar, with holidays and 调休).

First reply within 30 working minutes; resolution within 1 working day (the open hours of one
working day, 7 hours). A question asked at night or on a holiday starts counting when the hall
next opens.
"""

import datetime as dt

from django.utils import timezone

from chuangkou.core.calendar import is_working_day
from chuangkou.hall.hours import OPEN_PERIODS, OPEN_SECONDS_PER_DAY

FIRST_REPLY_MINUTES = 30
RESOLVE_MINUTES = OPEN_SECONDS_PER_DAY // 60  # 1 working day
SOON_MINUTES = 10  # "about to breach": at most this much working time left
MAX_DAYS = 400  # never search further for open time (a calendar without working days)


def _periods(day: dt.date, tz) -> list[tuple[dt.datetime, dt.datetime]]:
    if not is_working_day(day):
        return []
    return [
        (dt.datetime.combine(day, a, tzinfo=tz), dt.datetime.combine(day, b, tzinfo=tz))
        for a, b in OPEN_PERIODS
    ]


def add_working_minutes(start: dt.datetime, minutes: int) -> dt.datetime:
    """The moment `minutes` of opening hours after `start`."""
    tz = timezone.get_current_timezone()
    local = timezone.localtime(start, tz)
    left = dt.timedelta(minutes=minutes)
    day = local.date()
    for _ in range(MAX_DAYS):
        for opens, closes in _periods(day, tz):
            begin = max(opens, local)
            if begin >= closes:
                continue
            if begin + left <= closes:
                return begin + left
            left -= closes - begin
        day += dt.timedelta(days=1)
    return local + left


def working_seconds(start: dt.datetime, end: dt.datetime) -> int:
    """Seconds of opening hours between `start` and `end` (0 when end is not after start)."""
    if end <= start:
        return 0
    tz = timezone.get_current_timezone()
    start, end = timezone.localtime(start, tz), timezone.localtime(end, tz)
    total = 0
    day = start.date()
    while day <= end.date():
        for opens, closes in _periods(day, tz):
            overlap = (min(closes, end) - max(opens, start)).total_seconds()
            total += max(0, int(overlap))
        day += dt.timedelta(days=1)
    return total


def deadlines(asked_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(首次答复期限, 办结期限) of a question asked at `asked_at`."""
    return (
        add_working_minutes(asked_at, FIRST_REPLY_MINUTES),
        add_working_minutes(asked_at, RESOLVE_MINUTES),
    )


def minutes_left(due: dt.datetime, now: dt.datetime) -> int:
    """Working minutes until `due` (negative when past, counted in wall-clock minutes)."""
    if now >= due:
        return -int((now - due).total_seconds() // 60)
    return working_seconds(now, due) // 60
