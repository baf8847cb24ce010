"""The hall figures counted by the database are those of the ticket rows, computed one by one."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.utils import timezone

from chuangkou.core.roles import Role
from chuangkou.hall import metrics
from chuangkou.hall.models import HallSettings, Ticket
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = Ticket.Status
START = dt.date(2018, 10, 8)


def reference(tickets, target):
    """The figures of a list of tickets, row by row (the definitions of metrics.py)."""
    waits = [
        max(0.0, (t.called_at - t.issued_at).total_seconds() / 60) for t in tickets if t.called_at
    ]
    services = [t.service_seconds / 60 for t in tickets if t.status == S.DONE]
    no_show = sum(t.status == S.NO_SHOW for t in tickets)

    def pct(part, whole):
        return round(part * 100 / whole, 1) if whole else None

    return metrics.Figures(
        tickets=len(tickets),
        called=len(waits),
        done=len(services),
        no_show=no_show,
        wait_mean=sum(waits) / len(waits) if waits else None,
        wait_median=metrics.percentile(waits, 50),
        wait_p90=metrics.percentile(waits, 90),
        service_mean=sum(services) / len(services) if services else None,
        service_median=metrics.percentile(services, 50),
        service_p90=metrics.percentile(services, 90),
        no_show_rate=pct(no_show, len(waits)),
        over_target_share=pct(sum(w > target for w in waits), len(waits)),
    )


def assert_same(got: metrics.Figures, expected: metrics.Figures):
    for name, value in vars(expected).items():
        if isinstance(value, float) and name.endswith("_mean"):
            assert getattr(got, name) == pytest.approx(value, rel=1e-12), name
        else:  # counts, shares and percentiles come out exactly the same
            assert getattr(got, name) == value, name


def make_tickets(hall, days: int, per_day: int, seed: int) -> list[Ticket]:
    rng = random.Random(seed)
    statuses = [S.DONE] * 12 + [S.NO_SHOW, S.CANCELLED, S.TRANSFERRED, S.WAITING]
    desks = [(hall.w_a01, hall.a1), (hall.w_t01, hall.staff_t), (hall.w_b01, None), (None, None)]
    rows, seq = [], defaultdict(int)
    for d in range(days):
        day = START + dt.timedelta(days=d)
        base = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
        for _ in range(per_day):
            queue = rng.choice([hall.queue_a, hall.queue_b])
            status = rng.choice(statuses)
            issued = base + dt.timedelta(seconds=rng.randrange(0, 8 * 3600), microseconds=777)
            called = None
            if status not in (S.WAITING, S.CANCELLED):
                # whole minutes give ties; a few calls stamped before the issue count as 0
                wait = rng.choice([rng.randrange(0, 50) * 60, rng.uniform(-90, 4000)])
                called = issued + dt.timedelta(seconds=wait)
            window, clerk = rng.choice(desks) if called else (None, None)
            seq[(queue.pk, day)] += 1
            rows.append(
                Ticket(
                    queue=queue,
                    service_date=day,
                    seq=seq[(queue.pk, day)],
                    number=f"{queue.prefix}{seq[(queue.pk, day)]:03d}",
                    status=status,
                    channel=Ticket.Channel.KIOSK,
                    issued_at=issued,
                    called_at=called,
                    window=window,
                    clerk=clerk,
                    service_seconds=rng.choice([0, rng.randrange(60, 1800)])
                    if status == S.DONE
                    else rng.choice([0, 0, 45]),
                )
            )
    return Ticket.objects.bulk_create(rows)


def test_figures_match_the_rows_one_by_one(hall):
    tickets = make_tickets(hall, days=9, per_day=40, seed=9)
    HallSettings.objects.create(center=hall.main, target_wait_minutes=15)
    end = START + dt.timedelta(days=6)  # the last two days lie outside the period
    report = metrics.hall_metrics(user=hall.admin, start=START, end=end, center=hall.main)
    period = [t for t in tickets if t.service_date <= end]
    assert report.overall.tickets == len(period) > 200
    assert_same(report.overall, reference(period, 15))
    assert [q for q, _ in report.by_queue] == [hall.queue_a, hall.queue_b]
    for queue, figures in report.by_queue:
        assert_same(figures, reference([t for t in period if t.queue == queue], 15))
    days = sorted({t.service_date for t in period})
    assert [d.day for d in report.daily] == days
    for day_figures in report.daily:
        expected = reference([t for t in period if t.service_date == day_figures.day], 15)
        assert day_figures.tickets == expected.tickets
        assert day_figures.wait_mean == pytest.approx(expected.wait_mean, rel=1e-12)
        assert day_figures.over_target_share == expected.over_target_share
    for owners, key in ((report.by_window, "window"), (report.by_clerk, "clerk")):
        served = defaultdict(lambda: [0, 0])
        for t in period:
            if getattr(t, key) is not None:
                served[getattr(t, key).pk][0] += bool(t.service_seconds)
                served[getattr(t, key).pk][1] += t.service_seconds
        assert sorted((u.tickets, u.serving_seconds) for u in owners) == sorted(
            tuple(v) for v in served.values()
        )
        seconds = [u.serving_seconds for u in owners]
        assert seconds == sorted(seconds, reverse=True)
    assert {u.label for u in report.by_window} == {"A01 商事登记", "T01 综合通办", "B01 社保办理"}


def test_one_queue_and_a_head_see_their_part(hall):
    tickets = make_tickets(hall, days=3, per_day=30, seed=3)
    end = START + dt.timedelta(days=2)
    report = metrics.hall_metrics(
        user=hall.admin, start=START, end=end, center=hall.main, queue=hall.queue_b
    )
    expected = reference([t for t in tickets if t.queue == hall.queue_b], 20)
    assert_same(report.overall, expected)
    assert [q for q, _ in report.by_queue] == [hall.queue_b]
    # department A's windows serve both queues (B through the 通办 window): its head sees both
    head = metrics.hall_metrics(user=hall.head_a, start=START, end=end)
    assert head.overall.tickets == len(tickets)
    stranger = UserFactory(roles=[Role.DEPT_HEAD])
    empty = metrics.hall_metrics(user=stranger, start=START, end=end)
    assert empty.overall == reference([], 20) and empty.by_queue == [] and empty.daily == []
