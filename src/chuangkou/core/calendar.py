"""Working days on China's official calendar (法定节假日与调休上班日).

Two sources, the first that knows a year wins:
1. the days the center admin entered (`OfficialDay`, a page of `core`), for a year whose State
   Council notice came out after the installed chinese_calendar (published each November);
2. chinese_calendar.
A year neither covers counts Monday to Friday; `calendar_covers` tells the pages so, and
`coverage_warning` is printed by `chuangkou serve`/`demo` after 1 December when next year is
not covered yet.

The entered days are read once and kept for `RELOAD_SECONDS` (other processes see a change
within that time; this process at once, through `forget_entered_days`).
"""

import datetime as dt
import time
from functools import lru_cache

import chinese_calendar
from django.db import DatabaseError

RELOAD_SECONDS = 60
WARN_FROM = (12, 1)  # month, day: the notice for next year is out by then

_entered: dict = {"at": None, "days": {}, "years": frozenset(), "version": 0}


def _load_entered() -> None:
    from .holidays import OfficialDay

    try:
        rows = list(OfficialDay.objects.values_list("date", "is_working_day"))
    except (DatabaseError, RuntimeError):  # not migrated yet, or no database in this context
        _entered["at"] = time.monotonic()  # ask again later, not on every day asked for
        return
    days = dict(rows)
    changed = days != _entered["days"]
    _entered.update(
        at=time.monotonic(),
        days=days,
        years=frozenset(d.year for d in days),
        version=_entered["version"] + changed,
    )


def _entered_days() -> dict:
    loaded = _entered["at"]
    if loaded is None or time.monotonic() - loaded > RELOAD_SECONDS:
        _load_entered()
    return _entered


def forget_entered_days() -> None:
    """Read the entered days again on the next question (after the admin saved a year)."""
    _entered["at"] = None


def version() -> int:
    """Changes whenever the entered days are read anew (a key for callers' caches)."""
    _entered_days()
    return _entered["version"]


@lru_cache(maxsize=16384)
def _library_working_day(day: dt.date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def library_covers_year(year: int) -> bool:
    return _library_working_day(dt.date(year, 7, 1)) is not None


def is_working_day(day: dt.date) -> bool:
    """工作日: by the days the center admin entered for `day`'s year, else by the State Council's
    notice in chinese_calendar, else Monday to Friday."""
    entered = _entered_days()
    if day.year in entered["years"]:
        return entered["days"].get(day, day.weekday() < 5)
    known = _library_working_day(day)
    return day.weekday() < 5 if known is None else known


def calendar_covers(day: dt.date) -> bool:
    """Whether the official holidays of `day`'s year are known (else weekdays are assumed)."""
    return day.year in _entered_days()["years"] or library_covers_year(day.year)


def uncovered_years(*days: dt.date) -> list[int]:
    """The years of `days` that neither source covers, in order."""
    return sorted({d.year for d in days if d is not None and not calendar_covers(d)})


def coverage_warning(today: dt.date) -> str:
    """The warning to print at start when next year's holidays are not known after 1 December
    (empty when there is nothing to say)."""
    if (today.month, today.day) < WARN_FROM:
        return ""
    year = today.year + 1
    if calendar_covers(dt.date(year, 1, 1)):
        return ""
    return (
        f"警告：{year} 年的法定节假日和调休上班日尚未录入（已安装的 chinese_calendar 只到 "
        f"{last_library_year()} 年）。请中心管理员在“节假日设置”页面录入国务院办公厅公布的安排，"
        "否则承诺办结日期和期限按周一至周五计算。"
    )


def last_library_year() -> int:
    """The last year the installed chinese_calendar knows."""
    return max(chinese_calendar.constants.holidays).year


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself not counted).

    `days == 0` returns `start`. Holidays and make-up working days (调休) as `is_working_day`.
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
