"""排队统计 for any period: wait and service times, no-shows, long waits, utilisation.

Definitions (every figure is computed from the timestamps the services write with each event):
- wait time (等候时长) = first call − issue, over the tickets that were called;
- service time (办理时长) = the time spent serving, start to finish without the parked stretches
  (Ticket.service_seconds), over the tickets finished (已办结);
- no-show rate (过号率) = no-shows ÷ tickets called;
- long-wait share (超时等候占比) = called tickets that waited longer than the center's target
  (HallSettings.target_wait_minutes, 20 by default) ÷ tickets called;
- utilisation (窗口/人员利用率) = serving time at the window (or by the clerk) ÷ opening hours of
  the period, assumed 8:30–12:00 and 13:30–17:00 on working days (see hours.py).
Percentiles interpolate linearly between the closest ranks.

The database does the counting: one GROUP BY per queue and day (counts and sums), one per window
and clerk, and one ranking per measure that returns only the rows at the percentile ranks; Python
adds up a few hundred rows, so the cost is that of the aggregates (bench/hall_figures.py).

Closed days that the 排队日汇总 holds (summary.py, built nightly) are read from it instead of the
tickets: its counts and sums are those of the tickets exactly, so every count, mean and share is
the same either way; the other days of the period (today, any day not built yet or made stale)
are counted live. When the period reads any summary day, the percentiles are computed from the
wait / service time distribution in 0.1-minute buckets (bucket 0 = exactly 0, bucket k ≥ 1 =
(6(k−1), 6k] seconds), each value taken as its bucket's midpoint (0 for bucket 0) and the same
interpolation between the closest ranks: the result is within 3 seconds (half a bucket) of the
exact percentile, below the one decimal of minutes the page shows. A period counted all live
gives the exact percentiles.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DurationField,
    F,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import require_role
from chuangkou.org.models import Center, Staff
from chuangkou.org.models import Window as DeskWindow

from . import hours, permissions, selectors, summary
from .models import (
    HallDailyHistogram,
    HallDailyStats,
    HallSettings,
    HallSummaryDay,
    ServiceQueue,
    Ticket,
)

MAX_DAYS = 365
PERCENTILES = (50, 90)


class _SqliteWait(Func):
    """MAX(0, called − issued) in exact microseconds from the text SQLite stores, without the
    Python function Django's datetime subtraction calls there for every row."""

    output_field = DurationField()

    def as_sql(self, compiler, connection, **extra_context):
        (called, called_params), (issued, issued_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        us = summary.sqlite_microseconds
        sql = f"MAX(0, {us(called)} - {us(issued)})"
        return sql, (*called_params, *called_params, *issued_params, *issued_params)


def wait() -> Func | Case:
    """The wait of a ticket as a duration: first call − issue, never negative, NULL if the
    ticket was not called."""
    if connection.vendor == "sqlite":
        return _SqliteWait(F("called_at"), F("issued_at"))
    return Case(
        When(called_at__lt=F("issued_at"), then=Value(dt.timedelta(0))),
        default=F("called_at") - F("issued_at"),
        output_field=DurationField(),
    )


CALLED = Q(called_at__isnull=False)
DONE = Q(status=Ticket.Status.DONE)
SERVING = ~Q(service_seconds=0)


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (0–100) of `values`, interpolated; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _ranks(n: int, p: float) -> tuple[int, int, float]:
    """The 1-based ranks of the two values `percentile` interpolates between, and the weight."""
    rank = (n - 1) * p / 100
    low = int(rank)
    return low + 1, min(low + 1, n - 1) + 1, rank - low


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _minutes(value) -> float:
    """A wait as the database returns it (interval, or microseconds on SQLite) in minutes."""
    if not isinstance(value, dt.timedelta):
        value = dt.timedelta(microseconds=int(value))
    return max(0.0, value.total_seconds() / 60)


@dataclass(frozen=True)
class Figures:
    tickets: int
    called: int
    done: int
    no_show: int
    wait_mean: float | None
    wait_median: float | None
    wait_p90: float | None
    service_mean: float | None
    service_median: float | None
    service_p90: float | None
    no_show_rate: float | None
    over_target_share: float | None


@dataclass
class Counts:
    """The sums a GROUP BY gives for a set of tickets (added up over days and queues)."""

    tickets: int = 0
    called: int = 0
    done: int = 0
    no_show: int = 0
    over_target: int = 0
    wait_total: dt.timedelta = dt.timedelta(0)
    service_seconds: int = 0

    def add(self, row: dict) -> None:
        self.tickets += int(row["tickets"])
        self.called += int(row["called"])
        self.done += int(row["done"])
        self.no_show += int(row["no_show"])
        self.over_target += int(row["over_target"] or 0)
        if row["wait_total"] is not None:
            wait = row["wait_total"]
            self.wait_total += (
                wait if isinstance(wait, dt.timedelta) else dt.timedelta(microseconds=int(wait))
            )
        self.service_seconds += int(row["service_seconds"] or 0)

    @property
    def wait_mean(self) -> float | None:
        return self.wait_total.total_seconds() / 60 / self.called if self.called else None

    @property
    def service_mean(self) -> float | None:
        return self.service_seconds / 60 / self.done if self.done else None

    def figures(self, waits: dict[int, float | None], services: dict[int, float | None]):
        return Figures(
            tickets=self.tickets,
            called=self.called,
            done=self.done,
            no_show=self.no_show,
            wait_mean=self.wait_mean,
            wait_median=waits.get(50),
            wait_p90=waits.get(90),
            service_mean=self.service_mean,
            service_median=services.get(50),
            service_p90=services.get(90),
            no_show_rate=_pct(self.no_show, self.called),
            over_target_share=_pct(self.over_target, self.called),
        )


@dataclass(frozen=True)
class Utilisation:
    label: str
    tickets: int
    serving_seconds: int
    open_seconds: int

    @property
    def hours(self) -> float:
        return round(self.serving_seconds / 3600, 1)

    @property
    def rate(self) -> float | None:
        return _pct(self.serving_seconds, self.open_seconds)


@dataclass(frozen=True)
class DayFigures:
    day: dt.date
    tickets: int
    wait_mean: float | None
    over_target_share: float | None


@dataclass
class HallMetrics:
    start: dt.date
    end: dt.date
    target_minutes: int
    open_seconds: int
    overall: Figures
    by_queue: list[tuple[ServiceQueue, Figures]] = field(default_factory=list)
    by_window: list[Utilisation] = field(default_factory=list)
    by_clerk: list[Utilisation] = field(default_factory=list)
    daily: list[DayFigures] = field(default_factory=list)


def day_counts(tickets: QuerySet[Ticket], target_minutes: int) -> list[dict]:
    """One row per queue and day: tickets, called, done, no-shows, over target, total wait and
    total service seconds (of the finished tickets)."""
    return list(
        tickets.order_by()
        .annotate(wait=wait())
        .values("queue_id", "service_date")
        .annotate(
            tickets=Count("id"),
            called=Count("id", filter=CALLED),
            done=Count("id", filter=DONE),
            no_show=Count("id", filter=Q(status=Ticket.Status.NO_SHOW)),
            over_target=Count("id", filter=Q(wait__gt=dt.timedelta(minutes=target_minutes))),
            wait_total=Sum("wait", filter=CALLED),
            service_seconds=Sum("service_seconds", filter=DONE),
        )
    )


def percentiles(tickets: QuerySet[Ticket], value, convert) -> dict:
    """{key: {p: percentile of `value`}} per queue (key = queue id) and over all (key None),
    identical to `percentile` over the same values. The database ranks the rows (two window
    functions in one pass, with the counts) and returns only the rows at the ranks `percentile`
    interpolates between; ranks and counts come from the same statement."""
    ranked = (
        tickets.order_by()
        .annotate(v=value)
        .annotate(
            rank_queue=Window(RowNumber(), partition_by=[F("queue_id")], order_by=F("v").asc()),
            rank_all=Window(RowNumber(), order_by=F("v").asc()),
            n_queue=Window(Count("id"), partition_by=[F("queue_id")]),
            n_all=Window(Count("id")),
        )
        .values_list("queue_id", "v", "rank_queue", "rank_all", "n_queue", "n_all")
    )
    sql, params = ranked.query.sql_with_params()
    q = connection.ops.quote_name
    where = []
    for rank, n in (("rank_queue", "n_queue"), ("rank_all", "n_all")):
        # 1-based ranks of `_ranks` in integer arithmetic: (n − 1)·p div 100 + 1 and the next
        lows = [f"(ranked.{q(n)} - 1) * {int(p)} / 100 + 1" for p in PERCENTILES]
        ranks = [*lows, *(f"{low} + 1" for low in lows)]
        where.append(f"ranked.{q(rank)} IN ({', '.join(ranks)})")
    query = f"SELECT * FROM ({sql}) ranked WHERE {' OR '.join(where)}"  # noqa: S608 (no input)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    found, sizes = {}, {}
    for queue_id, v, rank_queue, rank_all, n_queue, n_all in rows:
        found[(queue_id, rank_queue)] = found[(None, rank_all)] = v
        sizes[queue_id], sizes[None] = n_queue, n_all
    result = {}
    for key, n in sizes.items():
        result[key] = {}
        for p in PERCENTILES:
            low, high, weight = _ranks(n, p)
            a, b = convert(found[(key, low)]), convert(found[(key, high)])
            result[key][p] = a + (b - a) * weight
    return result


def _utilisation(totals: dict, labels: dict[int, str], open_secs: int) -> list[Utilisation]:
    result = [
        Utilisation(label, *totals.get(pk, (0, 0)), open_secs) for pk, label in labels.items()
    ]
    return sorted(result, key=lambda u: (-u.serving_seconds, u.label))


def utilisation_rows(tickets: QuerySet[Ticket]) -> list[dict]:
    return list(
        tickets.order_by()
        .filter(Q(window__isnull=False) | Q(clerk__isnull=False))
        .values("window_id", "clerk_id")
        .annotate(
            served=Count("id", filter=SERVING),
            seconds=Sum("service_seconds", filter=SERVING),
        )
    )


def utilisation(rows: list[dict], open_secs: int):
    """Tickets served and serving seconds by window and by clerk (every window and clerk of the
    period's tickets, also those that served none), from `utilisation_rows`."""
    by_window: dict[int, list[int]] = {}
    by_clerk: dict[int, list[int]] = {}
    for row in rows:
        for owners, pk in ((by_window, row["window_id"]), (by_clerk, row["clerk_id"])):
            if pk is not None:
                total = owners.setdefault(pk, [0, 0])
                total[0] += int(row["served"] or 0)
                total[1] += int(row["seconds"] or 0)
    windows = {
        w.pk: f"{w.number} {w.name}" for w in DeskWindow.objects.filter(pk__in=list(by_window))
    }
    clerks = {
        s.pk: f"{s.name}（{s.staff_no}）" for s in Staff.objects.filter(pk__in=list(by_clerk))
    }
    return (
        _utilisation({pk: tuple(v) for pk, v in by_window.items()}, windows, open_secs),
        _utilisation({pk: tuple(v) for pk, v in by_clerk.items()}, clerks, open_secs),
    )


# -- the summary of closed days ------------------------------------------------------------------


def _ranges(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as (first, last) runs of consecutive days."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and runs[-1][1] == day - dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _in_ranges(runs, name: str) -> Q:
    q = Q(pk__in=[])
    for first, last in runs:
        q |= Q(**{f"{name}__gte": first, f"{name}__lte": last})
    return q


def summary_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The days of [start, end] read from the 排队日汇总 (closed and built)."""
    last = min(end, summary.closed_before() - dt.timedelta(days=1))
    if last < start:
        return []
    return list(
        HallSummaryDay.objects.filter(date__range=(start, last))
        .order_by("date")
        .values_list("date", flat=True)
    )


def summary_day_counts(stats: QuerySet, histogram: QuerySet, target_minutes: int) -> list[dict]:
    """`day_counts` of the summary rows: counts and sums from HallDailyStats, the waits over the
    target from the wait distribution (wait > T minutes ⇔ bucket > 10·T, exact)."""
    rows = {
        (r["queue_id"], r["service_date"]): r
        for r in stats.order_by()
        .values("queue_id", service_date=F("date"))
        .annotate(
            tickets=Sum("tickets"),
            called=Sum("called"),
            done=Sum("done"),
            no_show=Sum("no_show"),
            wait_total=Sum("wait_us"),
            service_seconds=Sum("done_seconds"),
        )
    }
    over = (
        histogram.order_by()
        .filter(
            measure=HallDailyHistogram.Measure.WAIT,
            bucket__gt=target_minutes * 60 // summary.BUCKET_SECONDS,
        )
        .values_list("queue_id", "date")
        .annotate(n=Sum("count"))
    )
    for row in rows.values():
        row["over_target"] = 0
    for queue_id, day, n in over:
        if (queue_id, day) in rows:  # always (the same tickets)
            rows[(queue_id, day)]["over_target"] = n
    return list(rows.values())


def _bucket_value(bucket: int) -> float:
    """A bucket's midpoint in minutes (bucket 0 is exactly 0)."""
    return 0.0 if bucket == 0 else (bucket - 0.5) * summary.BUCKET_SECONDS / 60


def histogram_percentiles(histogram: dict[int, int]) -> dict[int, float]:
    """{p: percentile} of a distribution {bucket: count}: `percentile` over the values, each
    taken as its bucket's midpoint."""
    n = sum(histogram.values())
    if not n:
        return {}
    ordered = sorted(histogram.items())
    result = {}
    for p in PERCENTILES:
        low, high, weight = _ranks(n, p)
        found, seen = {}, 0
        for bucket, count in ordered:
            for rank in (low, high):
                if rank not in found and seen < rank <= seen + count:
                    found[rank] = _bucket_value(bucket)
            seen += count
            if high in found:
                break
        a, b = found[low], found[high]
        result[p] = a + (b - a) * weight
    return result


def _histograms(summary_rows, live_rows) -> dict[int, dict]:
    """{measure: {key: {bucket: count}}} per queue (key = queue id) and over all (key None)."""
    result: dict[int, dict] = {m: defaultdict(lambda: defaultdict(int)) for m in (1, 2)}
    for queue_id, measure, bucket, n in (*summary_rows, *live_rows):
        for key in (queue_id, None):
            result[int(measure)][key][int(bucket)] += int(n)
    return result


def live_histogram_rows(tickets: QuerySet[Ticket]) -> list[tuple]:
    """(queue, measure, bucket, count) of the tickets, as the summary holds them."""
    rows, table = [], Ticket._meta.db_table
    for measure, only, bucket in (
        (HallDailyHistogram.Measure.WAIT, CALLED, summary.wait_bucket_sql(table)),
        (HallDailyHistogram.Measure.SERVICE, DONE, summary.service_bucket_sql(table)),
    ):
        found = (
            tickets.order_by()
            .filter(only)
            .annotate(bucket=RawSQL(bucket, []))  # noqa: S611 (SQL of summary.py, no input)
            .values_list("queue_id", "bucket")
            .annotate(n=Count("id"))
        )
        rows += [(queue_id, int(measure), b, n) for queue_id, b, n in found]
    return rows


def hall_metrics(
    *,
    user,
    start: dt.date,
    end: dt.date,
    center: Center | None = None,
    queue: ServiceQueue | None = None,
) -> HallMetrics:
    """The figures of [start, end] over the tickets the user may see (one center, or a queue):
    the summary of the closed days it holds, the tickets of the other days."""
    require_role(user, *permissions.METRICS_READERS)
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    if (end - start).days > MAX_DAYS:
        raise DomainError(f"统计期间最长 {MAX_DAYS + 1} 天。", field="start")
    built = summary_days(start, end)
    built_set = set(built)
    all_days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    live_runs = _ranges([d for d in all_days if d not in built_set])
    tickets = selectors.tickets_visible_to(user).filter(_in_ranges(live_runs, "service_date"))
    queues = selectors.queues_visible_to(user).order_by("center", "prefix")
    summary_queues = selectors.ticket_queues(user)
    if center is not None:
        tickets = tickets.filter(queue__center=center)
        queues = queues.filter(center=center)
        summary_queues = summary_queues.filter(center=center)
    if queue is not None:
        tickets = tickets.filter(queue=queue)
        queues = queues.filter(pk=queue.pk)
        summary_queues = summary_queues.filter(pk=queue.pk)
    target = (
        selectors.settings_for(center).target_wait_minutes
        if center
        else HallSettings().target_wait_minutes
    )
    open_secs = hours.open_seconds(start, end)

    rows = day_counts(tickets, target) if live_runs else []
    owner_rows = utilisation_rows(tickets) if live_runs else []
    if built:
        queue_ids = list(summary_queues.values_list("pk", flat=True))
        in_summary = Q(queue_id__in=queue_ids) & _in_ranges(_ranges(built), "date")
        stats = HallDailyStats.objects.filter(in_summary)
        histogram = HallDailyHistogram.objects.filter(in_summary)
        rows += summary_day_counts(stats, histogram, target)
        owner_rows += list(
            stats.order_by()
            .filter(Q(window__isnull=False) | Q(clerk__isnull=False))
            .values("window_id", "clerk_id")
            .annotate(served=Sum("served"), seconds=Sum("serving_seconds"))
        )
        summary_hist = (
            histogram.order_by()
            .values_list("queue_id", "measure", "bucket")
            .annotate(n=Sum("count"))
        )
        live_hist = live_histogram_rows(tickets) if live_runs else []
        of_measure = _histograms(summary_hist, live_hist)
        waits, services = (
            {key: histogram_percentiles(h) for key, h in of_measure[m].items()}
            for m in (HallDailyHistogram.Measure.WAIT, HallDailyHistogram.Measure.SERVICE)
        )
    else:
        waits = percentiles(tickets.filter(CALLED), wait(), _minutes)
        services = percentiles(tickets.filter(DONE), F("service_seconds"), lambda s: s / 60)

    overall = Counts()
    of_queue: dict[int, Counts] = defaultdict(Counts)
    of_day: dict[dt.date, Counts] = defaultdict(Counts)
    for row in rows:
        for counts in (overall, of_queue[row["queue_id"]], of_day[row["service_date"]]):
            counts.add(row)
    queues = [q for q in queues if q.pk in of_queue or queue is not None]
    by_window, by_clerk = utilisation(owner_rows, open_secs)
    return HallMetrics(
        start=start,
        end=end,
        target_minutes=target,
        open_seconds=open_secs,
        overall=overall.figures(waits.get(None, {}), services.get(None, {})),
        by_queue=[
            (q, of_queue.get(q.pk, Counts()).figures(waits.get(q.pk, {}), services.get(q.pk, {})))
            for q in queues
        ],
        by_window=by_window,
        by_clerk=by_clerk,
        daily=[
            DayFigures(day, c.tickets, c.wait_mean, _pct(c.over_target, c.called))
            for day, c in sorted(of_day.items())
        ],
    )
