"""The figures of the dashboard (办件统计) for a half year, as the cases grow: from the daily
summary (what the page reads) against the same figures computed from the cases table with its
indexes (the baseline). The summary's time must stay nearly flat.

    python bench/cases_figures.py                       # 1 million and 2 million cases
    python bench/cases_figures.py --sizes 1000000,10000000 --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/cases_figures.py

The cases are generated inside the database (PostgreSQL: INSERT … SELECT generate_series;
SQLite: a recursive CTE) over 2017–2018 on the demo catalog and windows (≈470 window × matter
combinations; the day of case g steps 389 days on, so every size covers all 730 days), so the
half year 2018H1 holds a quarter of them and its year-earlier period another quarter. Each size
adds rows to the previous one, then rebuilds the summary (timed).
"""

import argparse
import datetime as dt
import sys
import time

from cases_common import (
    cleanup,
    database_label,
    load_organisation,
    median,
    prepare_environment,
    stopwatch,
    table,
)

START, END = dt.date(2018, 1, 1), dt.date(2018, 6, 30)
DAYS = 730  # 2017-01-01 … 2018-12-31
COLUMNS = (
    "number, matter_id, department_id, center_id, window_id, channel, applicant_kind,"
    " applicant_name, applicant_id, applicant_phone, status, accepted_at, accepted_date,"
    " due_date, completed_at, completed_date, visits, is_overdue, is_one_trip"
)


def make_combos() -> int:
    """bench_combo(k, matter, department, center, window): windows × up to 5 matters of their
    department, and every online matter without a window."""
    from django.db import connection

    from chuangkou.catalog.models import Matter
    from chuangkou.org.models import Center, Window

    main = Center.objects.get(kind=Center.Kind.MAIN)
    by_department: dict[int, list[Matter]] = {}
    for m in Matter.objects.order_by("code"):
        by_department.setdefault(m.department_id, []).append(m)
    combos = [
        (m.pk, m.department_id, w.center_id, w.pk)
        for w in Window.objects.order_by("pk")
        for m in by_department.get(w.department_id, [])[:5]
    ]
    combos += [
        (m.pk, m.department_id, main.pk, None)
        for ms in by_department.values()
        for m in ms
        if m.online
    ]
    with connection.cursor() as c:
        c.execute(
            "CREATE TABLE bench_combo (k integer PRIMARY KEY, matter_id bigint,"
            " department_id bigint, center_id bigint, window_id bigint)"
        )
        c.executemany(
            "INSERT INTO bench_combo VALUES (%s, %s, %s, %s, %s)",
            [(k, *combo) for k, combo in enumerate(combos)],
        )
    return len(combos)


def _postgres_sql(k: int) -> str:
    return f"""
    INSERT INTO cases_case ({COLUMNS})
    SELECT 'G' || g, c.matter_id, c.department_id, c.center_id, c.window_id,
        CASE WHEN c.window_id IS NULL THEN 'online' ELSE 'window' END, 'person', '申请人', '', '',
        CASE WHEN g %% 50 = 0 THEN 'accepted' ELSE 'completed' END,
        (d + time '09:00' + (g %% 360) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai',
        d, d + 3,
        CASE WHEN g %% 50 = 0 THEN NULL
             ELSE (d + (g %% 7) + time '16:00') AT TIME ZONE 'Asia/Shanghai' END,
        CASE WHEN g %% 50 = 0 THEN NULL ELSE d + (g %% 7) END,
        CASE WHEN c.window_id IS NULL THEN 0 WHEN g %% 12 = 0 THEN 2 ELSE 1 END,
        g %% 50 <> 0 AND g %% 7 > 3,
        g %% 50 <> 0 AND NOT (c.window_id IS NOT NULL AND g %% 12 = 0)
    FROM generate_series(%s, %s) AS g
    JOIN bench_combo c ON c.k = g %% {k}
    CROSS JOIN LATERAL (SELECT date '2017-01-01' + ((g / {k}) * 389 %% {DAYS})::int AS d) AS day
    """  # noqa: S608 (numbers only)


def _sqlite_sql(k: int) -> str:
    day = f"date('2017-01-01', '+' || ((g / {k}) * 389 % {DAYS}) || ' days')"
    done = f"date({day}, '+' || (g % 7) || ' days')"
    return f"""
    WITH RECURSIVE seq(g) AS (SELECT %s UNION ALL SELECT g + 1 FROM seq WHERE g < %s)
    INSERT INTO cases_case ({COLUMNS})
    SELECT 'G' || g, c.matter_id, c.department_id, c.center_id, c.window_id,
        CASE WHEN c.window_id IS NULL THEN 'online' ELSE 'window' END, 'person', '申请人', '', '',
        CASE WHEN g % 50 = 0 THEN 'accepted' ELSE 'completed' END,
        datetime({day}, '+' || (60 + g % 360) || ' minutes'),
        {day}, date({day}, '+3 days'),
        CASE WHEN g % 50 = 0 THEN NULL ELSE datetime({done}, '+8 hours') END,
        CASE WHEN g % 50 = 0 THEN NULL ELSE {done} END,
        CASE WHEN c.window_id IS NULL THEN 0 WHEN g % 12 = 0 THEN 2 ELSE 1 END,
        g % 50 <> 0 AND g % 7 > 3,
        g % 50 <> 0 AND NOT (c.window_id IS NOT NULL AND g % 12 = 0)
    FROM seq JOIN bench_combo c ON c.k = g % {k}
    """  # noqa: S608 (numbers only)


def grow(k: int, first: int, last: int) -> None:
    """Add the generated cases first..last (in steps of a million, each committed)."""
    from django.db import connection, transaction

    sql = _postgres_sql(k) if connection.vendor == "postgresql" else _sqlite_sql(k)
    step = 1_000_000
    for lo in range(first, last + 1, step):
        with transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [lo, min(last, lo + step - 1)])
    if connection.vendor == "postgresql":  # what autovacuum does on a live database
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE cases_case")


def figures_from_cases(start: dt.date, end: dt.date) -> dict:
    """The baseline: the dashboard's numbers straight from the cases table (its indexes on
    accepted_date, completed_date, (accepted_date, department), (accepted_date, window))."""
    from django.db.models import Count, Q

    from chuangkou.cases.models import Case
    from chuangkou.cases.selectors import year_earlier

    period = Case.objects.filter(accepted_date__range=(start, end))
    done = Case.objects.filter(status="completed", completed_date__range=(start, end))
    before = Case.objects.filter(accepted_date__range=(year_earlier(start), year_earlier(end)))
    result = {
        "accepted": period.count(),
        "daily": list(period.values("accepted_date").annotate(n=Count("id")).order_by()),
        "departments": list(period.values("department_id").annotate(n=Count("id")).order_by()),
        "previous": list(before.values("department_id").annotate(n=Count("id")).order_by()),
        "windows": list(
            period.filter(window__isnull=False)
            .values("window_id")
            .annotate(n=Count("id"))
            .order_by()
        ),
        "completed": done.aggregate(
            n=Count("id"),
            one_trip=Count("id", filter=Q(is_one_trip=True)),
            overdue=Count("id", filter=Q(is_overdue=True)),
        ),
    }
    result["previous_accepted"] = sum(r["n"] for r in result["previous"])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000,2000000", help="case counts, ascending")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    data_dir, created_db = prepare_environment()
    try:
        return run(sizes, args.repeat)
    finally:
        cleanup(data_dir, created_db)


def run(sizes: list[int], repeat: int) -> int:
    from chuangkou.cases.models import DailyCaseStats
    from chuangkou.cases.selectors import case_figures
    from chuangkou.cases.services import rebuild_daily_stats
    from chuangkou.core.models import User

    print(f"cases figures benchmark: half year {START}…{END}, {repeat} runs, {database_label()}")
    load_organisation()
    admin = User.objects.get(username="admin")
    k = make_combos()
    print(f"{k} window × matter combinations")
    rows, have = [], 0
    for size in sizes:
        t = time.perf_counter()
        grow(k, have + 1, size)
        have = size
        generated = time.perf_counter() - t
        rebuild: list[float] = []
        with stopwatch(rebuild):
            rebuild_daily_stats(start=dt.date(2017, 1, 1), end=dt.date(2018, 12, 31))
        summary_rows = DailyCaseStats.objects.filter(date__range=(START, END)).count()
        via_summary: list[float] = []
        via_cases: list[float] = []
        for _ in range(repeat):
            with stopwatch(via_summary):
                f = case_figures(user=admin, start=START, end=END)
            with stopwatch(via_cases):
                base = figures_from_cases(START, END)
        assert f.counts.accepted == base["accepted"], (f.counts.accepted, base["accepted"])
        assert f.previous_accepted == base["previous_accepted"]
        assert f.counts.completed == base["completed"]["n"]
        summary_ms, cases_ms = median(via_summary) * 1000, median(via_cases) * 1000
        rows.append(
            [
                f"{size:,}",
                f"{f.counts.accepted:,}",
                f"{summary_rows:,}",
                f"{generated:.0f}",
                f"{rebuild[0]:.1f}",
                f"{summary_ms:.0f}",
                f"{cases_ms:.0f}",
                f"{cases_ms / summary_ms:.1f}×",
            ]
        )
        print(f"  {size:,} cases: summary {summary_ms:.0f} ms, cases table {cases_ms:.0f} ms")
    print()
    print(
        table(
            [
                "cases",
                "in 2018H1",
                "summary rows",
                "generate s",
                "rebuild s",
                "figures ms (summary)",
                "baseline ms (cases table)",
                "speed-up",
            ],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
