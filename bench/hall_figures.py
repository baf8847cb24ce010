"""Benchmark of the half-year figures of the hall (排队统计) and of 好差评 (满意率) as the history
grows (issue "Speed and scale", goal Figures): each page, its figures alone, and beside them a bare
SQL aggregate of the same figures in the same run (the floor), first with empty tables, then with
N tickets of earlier days (bench/hall_history.py generates them, without events) and one rating
for each ticket served at a window (1% of them with a follow-up 追评, 0.5% invalidated).

    .venv/bin/python bench/hall_figures.py [--db pg sqlite] [--history 1000000 ...] [--reps 7]

The history covers ~3 years (1,095 days), so the half year holds a sixth of it. After each
generation the 排队日汇总 of every closed day is built (hall/summary.py, the nightly job's work;
its time is printed), and so is the 满意率日汇总 (feedback/summary.py): the hall and satisfaction
figures read them for the closed days and count only today's tickets and ratings, so their time
stays flat as the history grows, while the bare SQL over the tickets (the floor of
counting them, measured in the same run) grows with it. Prints per size the
median of each measure (ms), its ratio to the empty tables and its ratio to the bare SQL, and the
load average. PostgreSQL: database ck_figures on BENCH_PG_URL's server, dropped after.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from hall_history import generate, make_hall, run_children  # noqa: E402
from hall_queue import PG_URL, setup_django  # noqa: E402

DB_NAME = os.environ.get("BENCH_FIGURES_DB", "ck_figures")  # one of your own when others run it too
FLAT = 2.0  # figures within this factor of their time on empty tables count as flat
HALF_YEAR = 182

# one rating per ticket served at a window (ids above {after}): levels 1 5%, 2 5%, 3 10%,
# 4 30%, 5 50%
RATINGS = """
INSERT INTO feedback_evaluation (case_id, ticket_id, channel, level, comment, contact_phone,
    follow_up_of_id, staff_id, window_id, department_id, center_id, entered_by_id, invalidated,
    created_at, rated_on)
SELECT NULL, t.id, 'pad',
    CASE WHEN t.id % 20 = 0 THEN 1 WHEN t.id % 20 = 1 THEN 2 WHEN t.id % 20 < 4 THEN 3
         WHEN t.id % 20 < 10 THEN 4 ELSE 5 END,
    '', '', NULL, t.clerk_id, t.window_id, {department}, {center}, NULL, t.id % 200 = 3,
    COALESCE(t.finished_at, t.called_at, t.issued_at), t.service_date
FROM hall_ticket t WHERE t.id > {after} AND t.window_id IS NOT NULL
"""
FOLLOW_UPS = """
INSERT INTO feedback_evaluation (case_id, ticket_id, channel, level, comment, contact_phone,
    follow_up_of_id, staff_id, window_id, department_id, center_id, entered_by_id, invalidated,
    created_at, rated_on)
SELECT NULL, e.ticket_id, 'phone', 5, '', '', e.id, e.staff_id, e.window_id, e.department_id,
    e.center_id, NULL, FALSE, e.created_at, e.rated_on
FROM feedback_evaluation e WHERE e.id > {after} AND e.id % 100 = 7
"""

# -- the bare SQL of the same figures (one statement per table of the page) ----------------------

PG_HALL = [
    """SELECT queue_id, count(*), count(called_at), count(*) FILTER (WHERE status = 'done'),
        count(*) FILTER (WHERE status = 'no_show'),
        avg(greatest(called_at - issued_at, interval '0')),
        count(*) FILTER (WHERE called_at - issued_at > interval '20 minutes'),
        percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP
            (ORDER BY greatest(called_at - issued_at, interval '0')),
        avg(service_seconds) FILTER (WHERE status = 'done'),
        percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY service_seconds)
            FILTER (WHERE status = 'done')
    FROM hall_ticket WHERE service_date BETWEEN %(start)s AND %(end)s AND queue_id = ANY(%(queues)s)
    GROUP BY ROLLUP (queue_id)""",
    """SELECT service_date, count(*), avg(greatest(called_at - issued_at, interval '0')),
        count(*) FILTER (WHERE called_at - issued_at > interval '20 minutes'), count(called_at)
    FROM hall_ticket WHERE service_date BETWEEN %(start)s AND %(end)s AND queue_id = ANY(%(queues)s)
    GROUP BY service_date""",
    """SELECT window_id, clerk_id, count(*) FILTER (WHERE service_seconds <> 0),
        sum(service_seconds)
    FROM hall_ticket WHERE service_date BETWEEN %(start)s AND %(end)s AND queue_id = ANY(%(queues)s)
        AND (window_id IS NOT NULL OR clerk_id IS NOT NULL)
    GROUP BY window_id, clerk_id""",
]
SQLITE_WAIT = "max(0, (julianday(called_at) - julianday(issued_at)) * 1440)"
SQLITE_HALL = [
    """SELECT queue_id, count(*), count(called_at), sum(status = 'done'),
        sum(status = 'no_show'), avg(WAIT), sum(WAIT > 20),
        avg(CASE WHEN status = 'done' THEN service_seconds END)
    FROM hall_ticket WHERE service_date BETWEEN :start AND :end AND queue_id IN :queues
    GROUP BY queue_id""",
    """SELECT service_date, count(*), avg(WAIT), sum(WAIT > 20)
    FROM hall_ticket WHERE service_date BETWEEN :start AND :end AND queue_id IN :queues
    GROUP BY service_date""",
    """SELECT window_id, clerk_id, sum(service_seconds <> 0), sum(service_seconds)
    FROM hall_ticket WHERE service_date BETWEEN :start AND :end AND queue_id IN :queues
        AND (window_id IS NOT NULL OR clerk_id IS NOT NULL)
    GROUP BY window_id, clerk_id""",
    # the percentiles (no percentile_cont in SQLite): the rows at ranks, per queue and overall
    """SELECT * FROM (SELECT queue_id, w,
            row_number() OVER (PARTITION BY queue_id ORDER BY w) AS rq,
            row_number() OVER (ORDER BY w) AS ra
        FROM (SELECT queue_id, WAIT AS w FROM hall_ticket
              WHERE service_date BETWEEN :start AND :end AND queue_id IN :queues
                AND called_at IS NOT NULL))
    WHERE rq IN (1, 2, 3) OR ra IN (1, 2, 3)""",
    """SELECT * FROM (SELECT queue_id, service_seconds,
            row_number() OVER (PARTITION BY queue_id ORDER BY service_seconds) AS rq,
            row_number() OVER (ORDER BY service_seconds) AS ra
        FROM hall_ticket WHERE service_date BETWEEN :start AND :end AND queue_id IN :queues
            AND status = 'done')
    WHERE rq IN (1, 2, 3) OR ra IN (1, 2, 3)""",
]
SQLITE_HALL = [s.replace("WAIT", SQLITE_WAIT) for s in SQLITE_HALL]
COUNTED = """FROM feedback_evaluation e
    WHERE e.rated_on BETWEEN {start} AND {end} AND NOT e.invalidated
      AND NOT EXISTS (SELECT 1 FROM feedback_evaluation f
                      WHERE f.follow_up_of_id = e.id AND NOT f.invalidated)"""
SATISFACTION = [  # by department and level (the total adds them up), by month and level
    "SELECT e.department_id, e.level, count(*) " + COUNTED + " GROUP BY e.department_id, e.level",
    "SELECT {month}, e.level, count(*) " + COUNTED + " GROUP BY 1, e.level",
]


def bare_sql(kind: str, start: dt.date, end: dt.date, queue_ids: list[int]):
    from django.db import connection

    pg = connection.vendor == "postgresql"
    if kind == "hall":
        statements = PG_HALL if pg else SQLITE_HALL
        if pg:
            params = {"start": start, "end": end, "queues": list(queue_ids)}
        else:  # sqlite3 has no tuple parameters: the ids are ints of this process
            ids = "(" + ", ".join(str(int(i)) for i in queue_ids) + ")"
            statements = [s.replace(":queues", ids) for s in statements]
            params = {"start": start.isoformat(), "end": end.isoformat()}
    else:
        marks = ("%(start)s", "%(end)s") if pg else (":start", ":end")
        month = "date_trunc('month', e.rated_on)" if pg else "substr(e.rated_on, 1, 7)"
        statements = [s.format(start=marks[0], end=marks[1], month=month) for s in SATISFACTION]
        params = (
            {"start": start, "end": end}
            if pg
            else {"start": start.isoformat(), "end": end.isoformat()}
        )
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor() if not pg else cursor
        for sql in statements:
            raw.execute(sql, params)
            raw.fetchall()


def add_ratings(hall: dict, after_ticket: int) -> float:
    from django.db import connection, transaction

    from chuangkou.feedback.models import Evaluation

    t = time.perf_counter()
    after = Evaluation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            RATINGS.format(after=after_ticket, department=hall["department"], center=hall["cid"])
        )
        cursor.execute(FOLLOW_UPS.format(after=after))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE) feedback_evaluation")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")
    return time.perf_counter() - t


def build_feedback_summary() -> float:
    """The 满意率日汇总 of every closed day, rebuilt (the ratings are written straight into the
    table, also into days already built). Checked against the counted ratings."""
    from django.db.models import Sum
    from django.utils import timezone

    from chuangkou.feedback.models import Evaluation, FeedbackSummaryDay
    from chuangkou.feedback.selectors import counted
    from chuangkou.feedback.summary import rebuild_range

    t = time.perf_counter()
    today = timezone.localdate()
    first = Evaluation.objects.order_by("rated_on").values_list("rated_on", flat=True).first()
    if first is not None:
        rebuild_range(start=first, end=today - dt.timedelta(days=1))
    elapsed = time.perf_counter() - t
    built = FeedbackSummaryDay.objects.aggregate(n=Sum("ratings"))["n"] or 0
    live = counted(Evaluation.objects.filter(rated_on__lt=today)).count()
    assert built == live, "满意率日汇总 ≠ counted ratings"
    return elapsed


def build_summary() -> float:
    """The 排队日汇总 of every closed day, rebuilt: the history is written straight into the
    table (as an import would), also into days already built. Checked against the tickets."""
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from chuangkou.hall.models import HallSummaryDay, Ticket
    from chuangkou.hall.summary import rebuild_range

    t = time.perf_counter()
    today = timezone.localdate()
    first = Ticket.objects.order_by("service_date").values_list("service_date", flat=True)
    if first.first() is not None:
        rebuild_range(start=first.first(), end=today - dt.timedelta(days=1))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    elapsed = time.perf_counter() - t
    built = HallSummaryDay.objects.aggregate(n=Sum("tickets"))["n"] or 0
    assert built == Ticket.objects.filter(service_date__lt=today).count(), "summary ≠ tickets"
    return elapsed


def measure(hall: dict, reps: int) -> dict:
    """Medians (s) of each page, its figures alone and the bare SQL, over the last half year."""
    from django.conf import settings
    from django.test import Client, override_settings
    from django.utils import timezone

    from chuangkou.feedback import selectors as feedback
    from chuangkou.feedback.filters import EvaluationFilter
    from chuangkou.hall import metrics

    center, admin = hall["center"], hall["admin"]
    end = timezone.localdate()
    start = end - dt.timedelta(days=HALF_YEAR)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    period = {"start": start.isoformat(), "end": end.isoformat()}
    filters = EvaluationFilter(start=start, end=end)

    def page(url, params):
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code

    def satisfaction():
        rows = feedback.satisfaction_by(user=admin, filters=filters, by="department")
        feedback.total_of(rows)
        feedback.monthly_trend(user=admin, filters=filters)

    measures = {
        "hall_page": lambda: page("/hall/metrics/", {**period, "center": center.pk}),
        "hall_figures": lambda: metrics.hall_metrics(
            user=admin, start=start, end=end, center=center
        ),
        "hall_sql": lambda: bare_sql("hall", start, end, hall["ids_q"]),
        "satisfaction_page": lambda: page("/feedback/satisfaction/", period),
        "satisfaction_figures": satisfaction,
        "satisfaction_sql": lambda: bare_sql("satisfaction", start, end, []),
    }
    times = {name: [] for name in measures}
    storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": storage}):
        for _ in range(reps + 1):  # the first round warms up; rounds interleave the measures
            for name, run in measures.items():
                t = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - t)
    return {name: statistics.median(values[1:]) for name, values in times.items()}


def run_one(db: str, sizes: list[int], reps: int) -> None:
    data_dir = tempfile.mkdtemp(prefix="ck_figures_")
    if db == "pg":
        url = urlunsplit(urlsplit(PG_URL)._replace(path=f"/{DB_NAME}"))
    else:
        url = f"sqlite:///{data_dir}/figures.sqlite3"
    setup_django(url, data_dir)
    from chuangkou.hall.models import Ticket
    from chuangkou.org.models import Department

    hall = make_hall()
    hall["ids_q"] = [q.pk for q in hall["queues"]]
    hall["cid"] = hall["center"].pk
    hall["department"] = Department.objects.get(code="BENCH").pk
    size = 0
    try:
        for target in [0, *sizes]:
            gen = {}
            if target > size:
                after = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                gen = generate(size, target, hall, events=False)
                gen["ratings_s"] = add_ratings(hall, after)
                gen["feedback_summary_s"] = build_feedback_summary()
                gen["summary_s"] = build_summary()  # (ends with the ANALYZE of both)
                size = target
            row = {"db": db, "history": size, "gen": gen, "times": measure(hall, reps)}
            row["load"] = os.getloadavg()
            print("ROW " + json.dumps(row), flush=True)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def report(rows: list[dict]) -> None:
    base = {r["db"]: r for r in rows if r["history"] == 0}
    for r in rows:
        b, t = base[r["db"]]["times"], r["times"]
        print(f"{r['db']} history {r['history']:,}  load(1m) {r['load'][0]:.1f}")
        if r["gen"]:
            g = r["gen"]
            print(
                f"  generated: tickets {g['tickets_s']:.1f} s, ratings {g['ratings_s']:.1f} s, "
                f"排队日汇总 (every closed day) {g['summary_s']:.1f} s, "
                f"满意率日汇总 {g.get('feedback_summary_s', 0):.1f} s"
            )
        for what in ("hall", "satisfaction"):
            sql = t[f"{what}_sql"]
            for kind in ("page", "figures", "sql"):
                v = t[f"{what}_{kind}"]
                print(
                    f"  {what + '_' + kind:22} {v * 1000:9.1f} ms  "
                    f"×{v / b[f'{what}_{kind}']:7.2f} of empty  ×{v / sql:5.2f} of bare SQL"
                )
        if r["history"]:  # flat: the figures cost about what they cost on empty tables
            for what in ("hall", "satisfaction"):
                ratio = t[f"{what}_figures"] / b[f"{what}_figures"]
                verdict = "flat" if ratio < FLAT else "NOT flat"
                print(f"  {what} figures ×{ratio:.2f} of empty: {verdict} (< ×{FLAT})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["pg", "sqlite"], choices=["pg", "sqlite"])
    parser.add_argument("--history", nargs="+", type=int, default=[1_000_000])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--one", choices=["pg", "sqlite"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = sorted(set(args.history))
    if args.one:
        run_one(args.one, sizes, args.reps)
        return
    extra = ["--reps", str(args.reps), "--history", *map(str, sizes)]
    rows = run_children(__file__, args.db, DB_NAME, extra)
    if rows:
        report(rows)


if __name__ == "__main__":
    main()
