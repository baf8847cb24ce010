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
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import require_role
from chuangkou.org.models import Center, Staff, Window

from . import hours, permissions, selectors
from .models import HallSettings, ServiceQueue, Ticket

MAX_DAYS = 365


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (0–100) of `values`, interpolated; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


@dataclass(frozen=True)
class Row:
    """One ticket as the figures need it."""

    service_date: dt.date
    queue_id: int
    status: str
    issued_at: dt.datetime
    called_at: dt.datetime | None
    service_seconds: int
    window_id: int | None
    clerk_id: int | None

    @property
    def wait_minutes(self) -> float | None:
        if self.called_at is None:
            return None
        return max(0.0, (self.called_at - self.issued_at).total_seconds() / 60)


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


def figures(rows: list[Row], target_minutes: int) -> Figures:
    waits = [w for w in (r.wait_minutes for r in rows) if w is not None]
    services = [r.service_seconds / 60 for r in rows if r.status == Ticket.Status.DONE]
    no_show = sum(1 for r in rows if r.status == Ticket.Status.NO_SHOW)
    return Figures(
        tickets=len(rows),
        called=len(waits),
        done=len(services),
        no_show=no_show,
        wait_mean=_mean(waits),
        wait_median=percentile(waits, 50),
        wait_p90=percentile(waits, 90),
        service_mean=_mean(services),
        service_median=percentile(services, 50),
        service_p90=percentile(services, 90),
        no_show_rate=_pct(no_show, len(waits)),
        over_target_share=_pct(sum(1 for w in waits if w > target_minutes), len(waits)),
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


FIELDS = (
    "service_date",
    "queue_id",
    "status",
    "issued_at",
    "called_at",
    "service_seconds",
    "window_id",
    "clerk_id",
)


def _utilisation(rows: list[Row], key: str, labels: dict[int, str], open_secs: int):
    tickets: dict[int, int] = defaultdict(int)
    seconds: dict[int, int] = defaultdict(int)
    for r in rows:
        owner = getattr(r, key)
        if owner is not None and r.service_seconds:
            tickets[owner] += 1
            seconds[owner] += r.service_seconds
    result = [
        Utilisation(label, tickets[pk], seconds[pk], open_secs) for pk, label in labels.items()
    ]
    return sorted(result, key=lambda u: (-u.serving_seconds, u.label))


def hall_metrics(
    *,
    user,
    start: dt.date,
    end: dt.date,
    center: Center | None = None,
    queue: ServiceQueue | None = None,
) -> HallMetrics:
    """The figures of [start, end] over the tickets the user may see (one center, or a queue)."""
    require_role(user, *permissions.METRICS_READERS)
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    if (end - start).days > MAX_DAYS:
        raise DomainError(f"统计期间最长 {MAX_DAYS + 1} 天。", field="start")
    tickets = selectors.tickets_visible_to(user).filter(
        service_date__gte=start, service_date__lte=end
    )
    queues = selectors.queues_visible_to(user).order_by("center", "prefix")
    if center is not None:
        tickets = tickets.filter(queue__center=center)
        queues = queues.filter(center=center)
    if queue is not None:
        tickets = tickets.filter(queue=queue)
        queues = queues.filter(pk=queue.pk)
    rows = [Row(*values) for values in tickets.order_by().values_list(*FIELDS)]
    target = (
        selectors.settings_for(center).target_wait_minutes
        if center
        else HallSettings().target_wait_minutes
    )
    open_secs = hours.open_seconds(start, end)
    visible_queue_ids = {r.queue_id for r in rows}
    queues = [q for q in queues if q.pk in visible_queue_ids or queue is not None]
    rows_of_queue: dict[int, list[Row]] = defaultdict(list)
    rows_of_day: dict[dt.date, list[Row]] = defaultdict(list)
    for r in rows:
        rows_of_queue[r.queue_id].append(r)
        rows_of_day[r.service_date].append(r)
    window_ids = {r.window_id for r in rows if r.window_id}
    clerk_ids = {r.clerk_id for r in rows if r.clerk_id}
    windows = {w.pk: f"{w.number} {w.name}" for w in Window.objects.filter(pk__in=window_ids)}
    clerks = {s.pk: f"{s.name}（{s.staff_no}）" for s in Staff.objects.filter(pk__in=clerk_ids)}
    daily = []
    for day in sorted(rows_of_day):
        day_figures = figures(rows_of_day[day], target)
        daily.append(
            DayFigures(
                day, day_figures.tickets, day_figures.wait_mean, day_figures.over_target_share
            )
        )
    return HallMetrics(
        start=start,
        end=end,
        target_minutes=target,
        open_seconds=open_secs,
        overall=figures(rows, target),
        by_queue=[(q, figures(rows_of_queue.get(q.pk, []), target)) for q in queues],
        by_window=_utilisation(rows, "window_id", windows, open_secs),
        by_clerk=_utilisation(rows, "clerk_id", clerks, open_secs),
        daily=daily,
    )
