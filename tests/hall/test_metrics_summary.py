"""排队日汇总: the figures read from the summary of closed days are those of the ticket rows
(counts and sums exactly, percentiles within half a 0.1-minute bucket); days not built or made
stale are counted live; the nightly job and the command build it."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.hall import metrics, selectors, summary
from chuangkou.hall.models import (
    HallDailyHistogram,
    HallDailyStats,
    HallSettings,
    HallSummaryDay,
    Ticket,
)
from chuangkou.jobs import tasks
from chuangkou.jobs.schedules import BY_NAME
from chuangkou.org.models import Staff
from tests.factories import StaffFactory, UserFactory

from .test_metrics import START, make_tickets, reference

pytestmark = pytest.mark.django_db

EXACT = (
    "tickets",
    "called",
    "done",
    "no_show",
    "wait_mean",
    "service_mean",
    "no_show_rate",
    "over_target_share",
)
PERCENTILES = ("wait_median", "wait_p90", "service_median", "service_p90")
HALF_BUCKET = 0.05  # minutes


def assert_close(got: metrics.Figures, expected: metrics.Figures, exact_means=False):
    """Counts and shares exactly, means too against the live figures (against a float sum of the
    rows: to rounding); percentiles within half a bucket (3 seconds)."""
    for name in EXACT:
        value, want = getattr(got, name), getattr(expected, name)
        if name.endswith("_mean") and not exact_means and want is not None:
            assert value == pytest.approx(want, rel=1e-12), name
        else:
            assert value == want, name
    for name in PERCENTILES:
        value, want = getattr(got, name), getattr(expected, name)
        if want is None:
            assert value is None, name
        else:
            assert abs(value - want) <= HALF_BUCKET + 1e-9, (name, value, want)


def assert_same_report(got: metrics.HallMetrics, expected: metrics.HallMetrics):
    assert_close(got.overall, expected.overall, exact_means=True)
    assert [q for q, _ in got.by_queue] == [q for q, _ in expected.by_queue]
    for (_, a), (_, b) in zip(got.by_queue, expected.by_queue, strict=True):
        assert_close(a, b, exact_means=True)
    assert got.by_window == expected.by_window
    assert got.by_clerk == expected.by_clerk
    assert got.daily == expected.daily


def with_leaver(hall, tickets):
    """A clerk who has left since: some of the tickets were theirs."""
    leaver = StaffFactory(name="离职", department=hall.dept_a, center=hall.main)
    mine = [t for t in tickets if t.clerk_id is not None][::7]
    Ticket.objects.filter(pk__in=[t.pk for t in mine]).update(clerk=leaver)
    for t in mine:
        t.clerk = leaver
    Staff.objects.filter(pk=leaver.pk).update(status=Staff.Status.LEFT)
    return leaver


def today_tickets(hall, n: int, seed: int) -> list[Ticket]:
    """Tickets of today (never in the summary), numbered after any of the day."""
    rng = random.Random(seed)
    today = timezone.localdate()
    base = timezone.now() - dt.timedelta(hours=3)
    rows = []
    for i in range(n):
        issued = base + dt.timedelta(
            seconds=rng.randrange(0, 3600), microseconds=rng.randrange(10**6)
        )
        called = issued + dt.timedelta(seconds=rng.uniform(0, 2400)) if i % 3 else None
        rows.append(
            Ticket(
                queue=hall.queue_a,
                service_date=today,
                seq=900 + i,
                number=f"A{900 + i}",
                status=Ticket.Status.DONE if called else Ticket.Status.WAITING,
                channel=Ticket.Channel.KIOSK,
                issued_at=issued,
                called_at=called,
                window=hall.w_a01 if called else None,
                clerk=hall.a1 if called else None,
                service_seconds=rng.randrange(30, 900) if called else 0,
            )
        )
    return Ticket.objects.bulk_create(rows)


def test_summary_gives_the_figures_of_the_rows(hall):
    tickets = make_tickets(hall, days=9, per_day=60, seed=21)
    leaver = with_leaver(hall, tickets)
    HallSettings.objects.create(center=hall.main, target_wait_minutes=15)
    end = START + dt.timedelta(days=6)
    live = metrics.hall_metrics(user=hall.admin, start=START, end=end, center=hall.main)
    assert not HallSummaryDay.objects.exists()

    built = summary.rebuild(start=START, end=START + dt.timedelta(days=8))
    assert built["days"] == 9 and built["tickets"] == len(tickets)
    with CaptureQueriesContext(connection) as read:
        report = metrics.hall_metrics(user=hall.admin, start=START, end=end, center=hall.main)
    assert not [q for q in read.captured_queries if '"hall_ticket"' in q["sql"]]  # summary only
    assert_same_report(report, live)
    period = [t for t in tickets if t.service_date <= end]
    assert_close(report.overall, reference(period, 15))
    for queue, figures in report.by_queue:
        assert_close(figures, reference([t for t in period if t.queue == queue], 15))
    assert f"离职（{leaver.staff_no}）" in {u.label for u in report.by_clerk}
    # the target changes: the share over it still comes out exact (from the distribution)
    HallSettings.objects.filter(center=hall.main).update(target_wait_minutes=7)
    assert_close(
        metrics.hall_metrics(user=hall.admin, start=START, end=end, center=hall.main).overall,
        reference(period, 7),
    )
    # one queue, and a department head (both main queues) and the sub-center's admin view
    one = metrics.hall_metrics(
        user=hall.admin, start=START, end=end, center=hall.main, queue=hall.queue_b
    )
    assert_close(one.overall, reference([t for t in period if t.queue == hall.queue_b], 7))
    head = metrics.hall_metrics(user=hall.head_a, start=START, end=end)
    assert_close(head.overall, reference(period, 20))
    stranger = UserFactory(roles=[Role.DEPT_HEAD])
    assert metrics.hall_metrics(user=stranger, start=START, end=end).overall.tickets == 0


def test_a_period_mixes_summary_days_live_days_and_today(hall):
    tickets = make_tickets(hall, days=6, per_day=50, seed=5)
    summary.rebuild(start=START + dt.timedelta(days=1), end=START + dt.timedelta(days=3))
    end = START + dt.timedelta(days=5)
    report = metrics.hall_metrics(user=hall.admin, start=START, end=end, center=hall.main)
    assert_close(report.overall, reference(tickets, 20))
    assert [d.day for d in report.daily] == sorted({t.service_date for t in tickets})

    # today is always counted live, also when asked to build it
    today = timezone.localdate()
    now = today_tickets(hall, 40, seed=6)
    assert summary.rebuild(start=today, end=today)["days"] == 0
    assert not HallSummaryDay.objects.filter(date=today).exists()
    summary.rebuild(start=today - dt.timedelta(days=6), end=today)  # today left out
    assert HallSummaryDay.objects.filter(date__gte=today - dt.timedelta(days=6)).count() == 6
    week = metrics.hall_metrics(
        user=hall.admin, start=today - dt.timedelta(days=6), end=today, center=hall.main
    )
    assert_close(week.overall, reference(now, 20))


def test_a_stale_day_falls_back_to_live_counting(hall):
    tickets = make_tickets(hall, days=3, per_day=40, seed=8)
    end = START + dt.timedelta(days=2)
    summary.rebuild(start=START, end=end)
    late = next(t for t in tickets if t.status == Ticket.Status.WAITING)
    # a late write to a ticket of a closed day (no service does it today: check_today)
    Ticket.objects.filter(pk=late.pk).update(
        status=Ticket.Status.NO_SHOW, called_at=late.issued_at + dt.timedelta(minutes=3)
    )
    fresh = list(Ticket.objects.filter(service_date__lte=end))
    stale = metrics.hall_metrics(user=hall.admin, start=START, end=end, center=hall.main)
    assert stale.overall.no_show == reference(fresh, 20).no_show - 1  # the summary is behind
    summary.mark_stale([late.service_date])
    assert not HallSummaryDay.objects.filter(date=late.service_date).exists()
    assert not HallDailyStats.objects.filter(date=late.service_date).exists()
    assert not HallDailyHistogram.objects.filter(date=late.service_date).exists()
    report = metrics.hall_metrics(user=hall.admin, start=START, end=end, center=hall.main)
    assert_close(report.overall, reference(fresh, 20))
    assert HallSummaryDay.objects.count() == 2  # the other days still come from the summary


def test_the_nightly_job_builds_yesterday_and_the_missing_days(hall):
    today = timezone.localdate()
    first = today - dt.timedelta(days=5)
    rows = []
    for d in range(6):
        day = first + dt.timedelta(days=d)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        rows.append(
            Ticket(
                queue=hall.queue_a,
                service_date=day,
                seq=1,
                number="A001",
                status=Ticket.Status.DONE,
                channel=Ticket.Channel.KIOSK,
                issued_at=at,
                called_at=at + dt.timedelta(minutes=d, microseconds=5),
                window=hall.w_a01,
                clerk=hall.a1,
                service_seconds=60 * d + 1,
            )
        )
    Ticket.objects.bulk_create(rows)
    summary.rebuild(start=first + dt.timedelta(days=1), end=first + dt.timedelta(days=1))
    assert BY_NAME["rebuild_hall_summary"].at == dt.time(1, 20)
    done = tasks.rebuild_hall_summary.call()
    built = set(HallSummaryDay.objects.values_list("date", flat=True))
    assert built == {first + dt.timedelta(days=d) for d in range(5)}  # not today
    assert done["days"] == 4
    assert AuditEntry.objects.filter(action="hall.rebuild_summary").exists()
    # idempotent: a second run rebuilds yesterday to the same rows
    before = sorted(
        HallDailyStats.objects.values_list("date", "tickets", "wait_us", "done_seconds")
    )
    tasks.rebuild_hall_summary.call()
    after = sorted(HallDailyStats.objects.values_list("date", "tickets", "wait_us", "done_seconds"))
    assert after == before and len(after) == 5
    assert dict((d, w) for d, _, w, _ in after)[first + dt.timedelta(days=2)] == 2 * 60 * 10**6 + 5

    HallSummaryDay.objects.all().delete()
    call_command("rebuild_hall_summary", "--start", str(first), "--end", str(today))
    assert HallSummaryDay.objects.count() == 5


def test_summary_queues_are_those_of_the_visible_tickets(hall):
    make_tickets(hall, days=1, per_day=30, seed=1)
    Ticket.objects.bulk_create(
        [
            Ticket(
                queue=hall.queue_s,
                service_date=START,
                seq=1,
                number="A001",
                channel=Ticket.Channel.KIOSK,
                issued_at=timezone.make_aware(dt.datetime.combine(START, dt.time(9))),
            )
        ]
    )
    stranger = UserFactory(roles=[Role.DEPT_HEAD])
    for user in (hall.admin, hall.head_a, hall.lobby, stranger):
        seen = set(selectors.tickets_visible_to(user).values_list("queue_id", flat=True))
        queues = set(selectors.ticket_queues(user).values_list("pk", flat=True))
        assert queues & {hall.queue_a.pk, hall.queue_b.pk, hall.queue_s.pk} == seen, user


def test_histogram_percentiles_stay_within_half_a_bucket():
    rng = random.Random(4)
    for _ in range(200):
        n = rng.randrange(1, 60)
        seconds = [rng.choice([0, rng.randrange(0, 3000), rng.uniform(0, 3000)]) for _ in range(n)]
        histogram = defaultdict(int)
        for s in seconds:
            histogram[-int(-s // summary.BUCKET_SECONDS)] += 1
        got = metrics.histogram_percentiles(histogram)
        for p in metrics.PERCENTILES:
            exact = metrics.percentile([s / 60 for s in seconds], p)
            assert abs(got[p] - exact) <= HALF_BUCKET + 1e-9
    assert metrics.histogram_percentiles({}) == {}


@pytest.fixture
def demo_org():
    from chuangkou.core import demo as core_demo
    from chuangkou.org import demo as org_demo
    from chuangkou.org.models import Center

    core_demo.load()
    org_demo.load()
    return Center.objects.get(kind=Center.Kind.MAIN)


def test_the_demo_builds_its_past_days_and_reads_them(demo_org):
    from chuangkou.core.models import User
    from chuangkou.hall import demo

    demo.load()
    today = timezone.localdate()
    built = set(HallSummaryDay.objects.values_list("date", flat=True))
    past = set(Ticket.objects.filter(service_date__lt=today).values_list("service_date", flat=True))
    assert past and past <= built and today not in built
    admin = User.objects.get(username="admin")
    period = {"start": today - dt.timedelta(days=40), "end": today, "center": demo_org}
    fast = metrics.hall_metrics(user=admin, **period)
    HallSummaryDay.objects.all().delete()  # every day counted live, percentiles exact
    live = metrics.hall_metrics(user=admin, **period)
    assert fast.overall.tickets > 2000
    assert_same_report(fast, live)


def test_a_wait_ending_a_hair_before_the_next_second_counts_once(hall):
    """SQLite keeps datetimes as text; its strftime rounds them to milliseconds, so a time at
    .9995 s or later once counted its second twice (a wait 1 s off, live and in the summary)."""
    at_nine = timezone.make_aware(dt.datetime.combine(START, dt.time(9)))
    times = [  # issued at .9997 s and .9998 s, called on the second
        (at_nine + dt.timedelta(microseconds=999_700), at_nine + dt.timedelta(seconds=61)),
        (
            at_nine + dt.timedelta(minutes=5, microseconds=999_800),
            at_nine + dt.timedelta(minutes=6),
        ),
    ]
    Ticket.objects.bulk_create(
        Ticket(
            queue=hall.queue_a,
            service_date=START,
            seq=i + 1,
            number=f"A{i + 1:03d}",
            status=Ticket.Status.DONE,
            channel=Ticket.Channel.KIOSK,
            issued_at=issued,
            called_at=called,
            window=hall.w_a01,
            clerk=hall.a1,
            service_seconds=60,
        )
        for i, (issued, called) in enumerate(times)
    )
    exact = (60.0003 + 59.0002) / 2 / 60

    def wait_mean():
        report = metrics.hall_metrics(user=hall.admin, start=START, end=START, center=hall.main)
        return report.overall.wait_mean

    assert wait_mean() == pytest.approx(exact, rel=1e-12)  # live
    summary.rebuild(start=START, end=START)
    assert HallSummaryDay.objects.filter(date=START).exists()
    assert wait_mean() == pytest.approx(exact, rel=1e-12)  # from the summary
