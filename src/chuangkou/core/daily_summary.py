"""What every daily summary of closed days shares (hall 排队日汇总, feedback 满意率日汇总, …):
which days are closed, runs of consecutive days, rebuilding a long range in chunks, the nightly
"yesterday and every day still missing", and the lock that serialises rebuilds with
invalidations. Each app keeps its own tables, its per-range `rebuild` and its `mark_stale`."""

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import connection
from django.utils import timezone

CHUNK_DAYS = 31  # days rebuilt per transaction by `rebuild_in_chunks`
ONE_DAY = dt.timedelta(days=1)


def closed_before() -> dt.date:
    """The first day that is not closed (today, local time)."""
    return timezone.localdate()


def lock(model) -> None:
    """One rebuild or invalidation at a time (PostgreSQL; SQLite serialises writers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as (first, last) runs of consecutive days."""
    found: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if found and found[-1][1] == day - ONE_DAY:
            found[-1] = (found[-1][0], day)
        else:
            found.append((day, day))
    return found


def missing_days(rows, day_field: str, built_days, since: dt.date | None = None):
    """The closed days from `since` (default: the first day of `rows`, by their `day_field`) to
    yesterday that have no row in `built_days` (the summary's built days, by `date`), as
    (first, last) runs."""
    if since is None:
        since = rows.order_by(day_field).values_list(day_field, flat=True).first()
        if since is None:
            return []
    built = set(built_days.filter(date__gte=since).values_list("date", flat=True))
    yesterday = closed_before() - ONE_DAY
    days = (since + dt.timedelta(days=i) for i in range((yesterday - since).days + 1))
    return runs(d for d in days if d not in built)


def rebuild_in_chunks(
    rebuild: Callable[..., dict], *, start: dt.date, end: dt.date, actor, counted: str
) -> dict:
    """`rebuild` of a long range, CHUNK_DAYS days per transaction; the totals (days, rows and
    the `counted` key of the app's result)."""
    total = {"start": start, "end": end, "days": 0, "rows": 0, counted: 0}
    day = start
    while day <= end:
        last = min(end, day + dt.timedelta(days=CHUNK_DAYS - 1))
        done = rebuild(start=day, end=last, actor=actor)
        for key in ("days", "rows", counted):
            total[key] += done[key]
        day = last + ONE_DAY
    return total


def rebuild_recent(
    rebuild_range: Callable[..., dict],
    missing: list[tuple[dt.date, dt.date]],
    *,
    actor,
    counted: str,
) -> dict:
    """The nightly job: rebuild yesterday and build every closed day still `missing`."""
    yesterday = closed_before() - ONE_DAY
    ranges = list(missing)
    if not any(a <= yesterday <= b for a, b in ranges):
        ranges.append((yesterday, yesterday))
    total = {"ranges": len(ranges), "days": 0, "rows": 0, counted: 0}
    for start, end in ranges:
        done = rebuild_range(start=start, end=end, actor=actor)
        for key in ("days", "rows", counted):
            total[key] += done[key]
    return total
