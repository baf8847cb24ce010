"""满意率日汇总: the counted ratings (selectors.counted) of each closed day by department,
center, window, clerk, channel and level, so that the satisfaction figures of a long period
(selectors.satisfaction, satisfaction_by, monthly_trend) read a few rows a day instead of every
rating.

- FeedbackDailyStats: one row per day × department × center × window × clerk × channel × level
  with the number of counted ratings (not invalidated on appeal, not superseded by a valid
  follow-up); every filter and grouping of the page is one of these columns;
- FeedbackSummaryDay: the days built. Only closed days (before today, local time) are built; a
  day without its FeedbackSummaryDay row is counted live from the ratings, so the figures are
  right whether or not the nightly job ran — the summary only makes them fast.

A day is rebuilt by delete + insert in one transaction (`rebuild`), idempotent, audited. Whether
a rating of a closed day counts can still change: a follow-up (追评) supersedes it, an upheld
appeal (申诉成立) invalidates it (or its follow-up, so that it counts again), a rating may be
entered with an earlier time. Every service that does so calls `mark_stale` in its transaction,
so that the day falls back to live counting until the next rebuild.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from chuangkou.core import audit, daily_summary
from chuangkou.core.daily_summary import closed_before

from .models import Evaluation, FeedbackDailyStats, FeedbackSummaryDay

DIMENSIONS = ("rated_on", "department_id", "center_id", "window_id", "staff_id", "channel", "level")


def _lock() -> None:
    daily_summary.lock(FeedbackSummaryDay)


def stats_select(start: dt.date, end: dt.date) -> tuple[str, tuple]:
    """SQL and parameters of the FeedbackDailyStats rows (DIMENSIONS, count) of [start, end]:
    the same `counted` query the figures run live, grouped."""
    from .selectors import counted

    qs = (
        counted(Evaluation.objects.filter(rated_on__range=(start, end)))
        .order_by()
        .values_list(*DIMENSIONS)
        .annotate(n=Count("id"))
    )
    return qs.query.sql_with_params()


@transaction.atomic
def rebuild(*, start: dt.date, end: dt.date, actor=None) -> dict:
    """重建满意率日汇总 of the closed days of [start, end] (delete + insert in this transaction);
    returns what was built. Days from today on are left out (they are counted live)."""
    end = min(end, closed_before() - dt.timedelta(days=1))
    if end < start:
        return {"start": start, "end": end, "days": 0, "rows": 0, "ratings": 0}
    _lock()
    for model, field in ((FeedbackSummaryDay, "date"), (FeedbackDailyStats, "rated_on")):
        model.objects.filter(**{f"{field}__range": (start, end)})._raw_delete(connection.alias)
    sql, params = stats_select(start, end)
    table = connection.ops.quote_name(FeedbackDailyStats._meta.db_table)
    columns = ", ".join((*DIMENSIONS, "count"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        rows = cursor.rowcount
    per_day = dict(
        FeedbackDailyStats.objects.filter(rated_on__range=(start, end))
        .order_by()
        .values_list("rated_on")
        .annotate(n=Sum("count"))
        .values_list("rated_on", "n")
    )
    now = timezone.now()
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    FeedbackSummaryDay.objects.bulk_create(
        [FeedbackSummaryDay(date=d, built_at=now, ratings=per_day.get(d, 0)) for d in days],
        batch_size=500,
    )
    result = {
        "start": start,
        "end": end,
        "days": len(days),
        "rows": rows,
        "ratings": sum(per_day.values()),
    }
    audit.record(
        actor=actor,
        action="feedback.rebuild_summary",
        object_type="feedback.feedbackdailystats",
        after=result,
    )
    return result


def rebuild_range(*, start: dt.date, end: dt.date, actor=None) -> dict:
    """`rebuild` of a long range, CHUNK_DAYS days per transaction; the totals."""
    return daily_summary.rebuild_in_chunks(
        rebuild, start=start, end=end, actor=actor, counted="ratings"
    )


def missing_days(since: dt.date | None = None) -> list[tuple[dt.date, dt.date]]:
    """The closed days from `since` (default: the first rating's day) to yesterday that are not
    built, as (first, last) ranges."""
    return daily_summary.missing_days(
        Evaluation.objects, "rated_on", FeedbackSummaryDay.objects, since
    )


def rebuild_recent(actor=None) -> dict:
    """The nightly job: rebuild yesterday and build every closed day still missing."""
    return daily_summary.rebuild_recent(
        rebuild_range, missing_days(), actor=actor, counted="ratings"
    )


def mark_stale(days) -> None:
    """Drop the summary of `days` (inside the caller's transaction) so that they are counted
    live from the ratings until rebuilt; for any write that changes which ratings of a closed
    day count."""
    days = sorted({d for d in days if d is not None and d < closed_before()})
    if not days:
        return
    _lock()
    FeedbackSummaryDay.objects.filter(date__in=days)._raw_delete(connection.alias)
    FeedbackDailyStats.objects.filter(rated_on__in=days)._raw_delete(connection.alias)
