"""排队日汇总: the counts, sums and time distributions of the tickets of each closed day, so that
the figures of a long period (metrics.py) read a few rows a day instead of every ticket.

- HallDailyStats: one row per day × queue × window × clerk with tickets, called, done, no-shows,
  the sum of the waits (microseconds, exact), the serving seconds of the finished tickets, and
  the tickets with serving time and their seconds (utilisation);
- HallDailyHistogram: per day × queue the number of tickets by wait (called tickets) and by
  service time (finished tickets) in 0.1-minute buckets: bucket 0 is exactly 0, bucket k ≥ 1
  holds (6(k−1), 6k] seconds, i.e. k = ⌈seconds / 6⌉. The share of waits over a whole-minute
  target T comes out exact (wait > T min ⇔ bucket > 10·T), so a change of the target needs no
  rebuild; the percentiles are computed on bucket midpoints (see metrics.py);
- HallSummaryDay: the days built. Only closed days (before today, local time) are built; a day
  without its HallSummaryDay row is counted live from the tickets, so the figures are right
  whether or not the nightly job ran — the summary only makes them fast.

A day is rebuilt by delete + insert in one transaction (`rebuild`), idempotent, audited. Tickets
of a closed day do not change today (every desk action checks that the ticket is today's,
services/_common.check_today); a service that would write one must call `mark_stale` in its
transaction, so that the day falls back to live counting until the next rebuild.
"""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from chuangkou.core import audit, daily_summary
from chuangkou.core.daily_summary import closed_before

from .models import HallDailyHistogram, HallDailyStats, HallSummaryDay, Ticket

BUCKET_SECONDS = 6


def wait_us_sql(table: str = "") -> str:
    """SQL of a ticket's wait (first call − issue, never negative) in exact microseconds; NULL
    if it was not called. `table` qualifies the columns (when the query joins others). For a
    statement run with parameters (its % doubled)."""
    called, issued = (f"{table}.{c}" if table else c for c in ("called_at", "issued_at"))
    if connection.vendor == "postgresql":
        return f"GREATEST(0, CAST(EXTRACT(EPOCH FROM ({called} - {issued})) * 1000000 AS BIGINT))"

    return f"MAX(0, {sqlite_microseconds(called)} - {sqlite_microseconds(issued)})"


def sqlite_microseconds(column: str) -> str:
    """SQL of a datetime as SQLite keeps it ("YYYY-MM-DD HH:MM:SS[.ffffff]", UTC) in exact
    microseconds since 1970: the whole seconds of its first 19 characters plus its fraction.
    strftime of the whole text would round the fraction to milliseconds first, and count a
    second twice from .9995 s on. For a statement run with parameters (its % doubled)."""
    return (
        f"(CAST(strftime('%%s', substr({column}, 1, 19)) AS INTEGER) * 1000000"
        f" + CAST(ROUND(CAST(substr({column}, 20) AS REAL) * 1000000) AS INTEGER))"
    )


def wait_bucket_sql(table: str = "") -> str:
    step = BUCKET_SECONDS * 1_000_000
    return f"(({wait_us_sql(table)}) + {step - 1}) / {step}"


def service_bucket_sql(table: str = "") -> str:
    column = f"{table}.service_seconds" if table else "service_seconds"
    return f"({column} + {BUCKET_SECONDS - 1}) / {BUCKET_SECONDS}"


DONE = Ticket.Status.DONE.value
NO_SHOW = Ticket.Status.NO_SHOW.value
STATS_COLUMNS = (
    "date, queue_id, window_id, clerk_id, tickets, called, done, no_show, wait_us, "
    "done_seconds, served, serving_seconds"
)


def stats_select(where: str) -> str:
    """The HallDailyStats rows of the tickets matching `where` (SQL over hall_ticket)."""
    return f"""
        SELECT service_date, queue_id, window_id, clerk_id, COUNT(*), COUNT(called_at),
            SUM(CASE WHEN status = '{DONE}' THEN 1 ELSE 0 END),
            SUM(CASE WHEN status = '{NO_SHOW}' THEN 1 ELSE 0 END),
            COALESCE(SUM({wait_us_sql()}), 0),
            COALESCE(SUM(CASE WHEN status = '{DONE}' THEN service_seconds ELSE 0 END), 0),
            SUM(CASE WHEN service_seconds <> 0 THEN 1 ELSE 0 END),
            COALESCE(SUM(service_seconds), 0)
        FROM {Ticket._meta.db_table} WHERE {where}
        GROUP BY service_date, queue_id, window_id, clerk_id
    """  # noqa: S608 (no input: names from the models, `where` from this package)


def histogram_select(where: str) -> str:
    """The HallDailyHistogram rows (date, queue, measure, bucket, count) of those tickets."""
    table = Ticket._meta.db_table
    wait, service = HallDailyHistogram.Measure.WAIT, HallDailyHistogram.Measure.SERVICE
    return f"""
        SELECT service_date, queue_id, {int(wait)}, {wait_bucket_sql()} AS bucket, COUNT(*)
        FROM {table} WHERE ({where}) AND called_at IS NOT NULL
        GROUP BY service_date, queue_id, bucket
        UNION ALL
        SELECT service_date, queue_id, {int(service)}, {service_bucket_sql()} AS bucket, COUNT(*)
        FROM {table} WHERE ({where}) AND status = '{DONE}'
        GROUP BY service_date, queue_id, bucket
    """  # noqa: S608 (no input)


def _lock() -> None:
    daily_summary.lock(HallSummaryDay)


def _delete(start: dt.date, end: dt.date) -> None:
    for model in (HallSummaryDay, HallDailyStats, HallDailyHistogram):
        model.objects.filter(date__range=(start, end))._raw_delete(connection.alias)


@transaction.atomic
def rebuild(*, start: dt.date, end: dt.date, actor=None) -> dict:
    """重建排队日汇总 of the closed days of [start, end] (delete + insert in this transaction);
    returns what was built. Days from today on are left out (they are counted live)."""
    end = min(end, closed_before() - dt.timedelta(days=1))
    if end < start:
        return {"start": start, "end": end, "days": 0, "rows": 0, "tickets": 0}
    _lock()
    _delete(start, end)
    where = "service_date BETWEEN %s AND %s"
    bounds = [connection.ops.adapt_datefield_value(d) for d in (start, end)]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(HallDailyStats._meta.db_table)} ({STATS_COLUMNS}) "
            + stats_select(where),
            bounds,
        )
        rows = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {q(HallDailyHistogram._meta.db_table)} "
            "(date, queue_id, measure, bucket, count) " + histogram_select(where),
            bounds + bounds,
        )
    per_day = dict(_sum_by_day(HallDailyStats.objects.filter(date__range=(start, end)), "tickets"))
    now = timezone.now()
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    HallSummaryDay.objects.bulk_create(
        [HallSummaryDay(date=d, built_at=now, tickets=per_day.get(d, 0)) for d in days],
        batch_size=500,
    )
    result = {
        "start": start,
        "end": end,
        "days": len(days),
        "rows": rows,
        "tickets": sum(per_day.values()),
    }
    audit.record(
        actor=actor,
        action="hall.rebuild_summary",
        object_type="hall.halldailystats",
        after=result,
    )
    return result


def _sum_by_day(qs, field: str):
    from django.db.models import Sum

    return qs.order_by().values_list("date").annotate(n=Sum(field)).values_list("date", "n")


def rebuild_range(*, start: dt.date, end: dt.date, actor=None) -> dict:
    """`rebuild` of a long range, CHUNK_DAYS days per transaction; the totals."""
    return daily_summary.rebuild_in_chunks(
        rebuild, start=start, end=end, actor=actor, counted="tickets"
    )


def missing_days(since: dt.date | None = None) -> list[tuple[dt.date, dt.date]]:
    """The closed days from `since` (default: the first ticket's day) to yesterday that are not
    built, as (first, last) ranges."""
    return daily_summary.missing_days(Ticket.objects, "service_date", HallSummaryDay.objects, since)


def rebuild_recent(actor=None) -> dict:
    """The nightly job: rebuild yesterday and build every closed day still missing."""
    return daily_summary.rebuild_recent(
        rebuild_range, missing_days(), actor=actor, counted="tickets"
    )


def mark_stale(days) -> None:
    """Drop the summary of `days` (inside the caller's transaction) so that they are counted
    live from the tickets until rebuilt; for any write to a ticket of a closed day."""
    days = sorted({d for d in days if d < closed_before()})
    if not days:
        return
    _lock()
    for model in (HallSummaryDay, HallDailyStats, HallDailyHistogram):
        model.objects.filter(date__in=days)._raw_delete(connection.alias)
