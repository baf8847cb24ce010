"""Importing historical cases: 662,032 rows (the briefing's first half of 2018) from CSV, and
100,000 rows from Excel, beside the raw write of the same rows.

    python bench/cases_import.py                      # 662,032 csv rows, 100,000 xlsx rows, 3 runs
    python bench/cases_import.py --rows 100000 --repeat 1
    python bench/cases_import.py --profile            # cProfile of one csv import (top 25)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ck_import python bench/cases_import.py

Measured (each run's rows are deleted before the next):
  baseline   cases.bulk.insert_rows of the same rows, ready-made tuples, in one transaction:
             the raw COPY (PostgreSQL) / executemany in batches of 5,000 (SQLite), what the
             database takes with no reading and no checks
  csv, xlsx  the whole import as the background job runs it (`jobs.import_file`): read the
             file, check every row (catalog, windows, staff, ID check digits, dates, duplicates
             in the file and in the database) and write it, add its counts to the daily
             summary, audit.
             SQLite: check = read, check and stage; write = publish + summary + audit (the only
             step holding the write lock). PostgreSQL: check = read, check and COPY into the
             cases table (one open transaction); write = summary + audit + commit
  parse      the xlsx file read cell by cell, nothing else: python-calamine and openpyxl's
             read-only mode (the reference for the xlsx import: ≥ 50% of calamine's rate)
The files are generated first (not timed) and removed at the end. Medians of --repeat runs.
"""

import argparse
import csv
import datetime as dt
import random
import sys
import time
from pathlib import Path

from cases_common import (
    cleanup,
    database_label,
    load_organisation,
    median,
    prepare_environment,
    table,
)

FULL_ROWS = 662_032
SMALL_ROWS = 50_000
XLSX_ROWS = 100_000


def generate(rows: int) -> list[dict]:
    """Typed rows over the working days of 2018H1, on the demo catalog and windows."""
    from chuangkou.cases.demo.draw import credit_code, person_id
    from chuangkou.cases.workdays import add_working_days, is_working_day
    from chuangkou.catalog.models import Matter
    from chuangkou.org.models import Center, Staff, Window

    rng = random.Random(662032)  # noqa: S311 (benchmark data)
    main = Center.objects.get(kind=Center.Kind.MAIN)
    windows = list(Window.objects.filter(center=main).select_related("center"))
    matters = {}
    for m in Matter.objects.all():
        matters.setdefault(m.department_id, []).append(m)
    windows = [w for w in windows if w.department_id in matters]
    staff = list(Staff.objects.values_list("staff_no", flat=True)[:200])
    day, days = dt.date(2018, 1, 1), []
    while day <= dt.date(2018, 6, 30):
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    out, seqs = [], dict.fromkeys(days, 0)
    for i in range(rows):
        day = days[i * len(days) // rows]
        seqs[day] += 1
        seq = seqs[day]
        online = rng.random() < 0.15
        window = None if online else rng.choice(windows)
        matter = rng.choice(
            matters[window.department_id] if window else rng.choice(list(matters.values()))
        )
        company = rng.random() < 0.2
        accepted = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(
            minutes=rng.randint(0, 500)
        )
        due = add_working_days(day, matter.promised_days)
        done = accepted + dt.timedelta(days=rng.randint(0, 6), hours=1)
        out.append(
            {
                "受理编号": f"330103-{day:%Y%m%d}-{seq:06d}",
                "事项编码": matter.code,
                "受理渠道": "网上申请" if online else "窗口受理",
                "中心": main.name,
                "窗口号": window.number if window else "",
                "受理人工号": "" if online else rng.choice(staff),
                "申请人类型": "企业" if company else "个人",
                "申请人": "杭州某某有限公司" if company else f"申请人{i}",
                "证件号码": credit_code(rng) if company else person_id(rng),
                "联系电话": f"139{rng.randint(0, 99_999_999):08d}",
                "受理时间": accepted,
                "状态": "已办结",
                "办结时间": done,
                "跑动次数": 0 if online else rng.choice((1, 1, 1, 1, 2)),
                "承诺办结日期": due,
            }
        )
    return out


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def write_csv(rows: list[dict], path: Path) -> None:
    from chuangkou.cases.imports import HEADERS

    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        for r in rows:
            writer.writerow([_text(r[h]) for h in HEADERS])


def write_xlsx(rows: list[dict], path: Path) -> None:
    from openpyxl import Workbook

    from chuangkou.cases.imports import HEADERS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("历史办件")
    ws.append(HEADERS)
    for r in rows:
        ws.append([r[h] for h in HEADERS])
    wb.save(path)


def baseline_rows(rows: list[dict]) -> list[tuple]:
    """The same rows as ready-made tuples in CASE_FIELDS order (the baseline's input)."""
    import zoneinfo

    from chuangkou.catalog.models import Matter
    from chuangkou.org.models import Center, Staff, Window

    tz = zoneinfo.ZoneInfo("Asia/Shanghai")
    matters = {m.code: m for m in Matter.objects.all()}
    main = Center.objects.get(kind=Center.Kind.MAIN)
    windows = dict(Window.objects.filter(center=main).values_list("number", "pk"))
    staff = dict(Staff.objects.values_list("staff_no", "pk"))
    out = []
    for r in rows:
        m = matters[r["事项编码"]]
        accepted, done = r["受理时间"].replace(tzinfo=tz), r["办结时间"].replace(tzinfo=tz)
        out.append(
            (
                r["受理编号"],
                m.pk,
                m.department_id,
                main.pk,
                windows.get(r["窗口号"]),
                staff.get(r["受理人工号"]),
                "online" if r["受理渠道"] == "网上申请" else "window",
                "company" if r["申请人类型"] == "企业" else "person",
                r["申请人"],
                r["证件号码"],
                r["联系电话"],
                "completed",
                accepted,
                accepted.date(),
                r["承诺办结日期"],
                0,
                done,
                done.date(),
                r["跑动次数"],
                done.date() > r["承诺办结日期"],
                r["跑动次数"] <= m.max_visits,
            )
        )
    return out


def clear_cases() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_case")
        cursor.execute("DELETE FROM cases_dailycasestats")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def write_baseline(tuples: list[tuple]) -> float:
    from django.db import transaction

    from chuangkou.cases.bulk import insert_rows
    from chuangkou.cases.demo.draw import CASE_FIELDS
    from chuangkou.cases.models import Case

    clear_cases()
    t = time.perf_counter()
    with transaction.atomic():
        insert_rows(Case, CASE_FIELDS[:-1], tuples)
    return time.perf_counter() - t


def import_once(path: Path, fmt: str, rows: int, profile: bool = False) -> tuple[float, ...]:
    """(total, check, write, rebuild alone) seconds of one import, as the job runs it."""
    from django.core.files import File

    from chuangkou.cases.imports import jobs
    from chuangkou.cases.models import ImportJob
    from chuangkou.cases.services.stats import rebuild_daily_stats

    clear_cases()
    job = ImportJob(filename=path.name, format=fmt)
    with path.open("rb") as f:
        job.file.save(path.name, File(f), save=False)
    job.save()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    checker = jobs.import_file(job, Path(job.file.path))
    t2 = time.perf_counter()
    if checker.error_count:
        raise SystemExit(f"benchmark file has errors: {checker.errors[:3]}")
    created = checker.created
    t1 = t0 + checker.seconds[0]
    # for reference: a full rebuild of the summary of those dates (the import adds its counts)
    rebuild_daily_stats(actor=None, start=checker.min_date, end=checker.max_date)
    t3 = time.perf_counter()
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    job.file.delete(save=False)
    if created != rows:
        raise SystemExit(f"imported {created} rows instead of {rows}")
    return t2 - t0, t1 - t0, t2 - t1, t3 - t2


def parse_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    count = sum(1 for _ in wb.get_sheet_by_index(0).iter_rows())
    wb.close()
    return count


def parse_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return count


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help=f"{SMALL_ROWS} rows")
    parser.add_argument("--rows", type=int, help="csv rows to import (default 662,032)")
    parser.add_argument("--xlsx-rows", type=int, help=f"xlsx rows (default {XLSX_ROWS:,})")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--profile", action="store_true", help="cProfile one csv import")
    args = parser.parse_args()
    rows = args.rows or (SMALL_ROWS if args.small else FULL_ROWS)
    xlsx_rows = min(rows, args.xlsx_rows or XLSX_ROWS)
    data_dir, created_db = prepare_environment()
    try:
        return run(rows, xlsx_rows, args, data_dir)
    finally:
        cleanup(data_dir, created_db)


def _rate(label: str, seconds: float, rows: int, baseline: float | None, *extra) -> list:
    ratio = f"{(rows / seconds) / baseline:.2f}" if baseline else ""
    return [label, f"{rows:,}", f"{seconds:.2f}", f"{rows / seconds:,.0f}", ratio, *extra]


def run(rows: int, xlsx_rows: int, args, data_dir: Path) -> int:
    import os

    formats = args.formats.split(",")
    repeat = args.repeat
    load = os.getloadavg()
    print(
        f"cases import benchmark: {rows:,} csv rows, {xlsx_rows:,} xlsx rows, {repeat} run(s) "
        f"each, {database_label()}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    load_organisation()
    t = time.perf_counter()
    data = generate(rows)
    tuples = baseline_rows(data)
    print(f"generated the rows in {time.perf_counter() - t:.1f} s")
    files = {}
    for fmt in formats:
        path = data_dir / f"cases.{fmt}"
        t = time.perf_counter()
        if fmt == "csv":
            write_csv(data, path)
        else:
            write_xlsx(data[:xlsx_rows], path)
        files[fmt] = path
        size = path.stat().st_size / 1e6
        print(f"wrote {path.name}: {size:.1f} MB in {time.perf_counter() - t:.1f} s")
    if args.profile:
        import_once(files["csv"], "csv", rows, profile=True)
        return 0

    head = [
        "measure",
        "rows",
        "seconds",
        "rows/s",
        "× baseline",
        "check rows/s",
        "write s",
        "rebuild alone s",
    ]
    results = []
    baseline = median([write_baseline(tuples) for _ in range(repeat)])
    base_rate = rows / baseline
    results.append(_rate("baseline: raw write", baseline, rows, base_rate, "", "", ""))
    for fmt, path in files.items():
        n = rows if fmt == "csv" else xlsx_rows
        runs = [import_once(path, fmt, n) for _ in range(repeat)]
        total, check, write, summary = (median([r[i] for r in runs]) for i in range(4))
        results.append(
            _rate(
                f"import {fmt}",
                total,
                n,
                base_rate,
                f"{n / check:,.0f}",
                f"{write:.2f}",
                f"{summary:.2f}",
            )
        )
    clear_cases()
    if "xlsx" in files:
        path = files["xlsx"]
        cal = median([timed(parse_calamine, path) for _ in range(repeat)])
        opx = median([timed(parse_openpyxl, path) for _ in range(repeat)])
        results.append(_rate("parse xlsx: calamine", cal, xlsx_rows, None, "", "", ""))
        results.append(_rate("parse xlsx: openpyxl ro", opx, xlsx_rows, None, "", "", ""))
        imported = [r for r in results if r[0] == "import xlsx"][0]
        share = float(imported[3].replace(",", "")) / (xlsx_rows / cal)
        checked = float(imported[5].replace(",", "")) / (xlsx_rows / cal)
        print(
            f"xlsx import at {share:.0%} of calamine's raw parse rate "
            f"(its reading and checking alone at {checked:.0%})"
        )
    print()
    print(table(head, results))
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(
        "(SQLite: write = publish from staging + summary + audit, the one step holding the "
        "write lock; PostgreSQL: check includes the COPY into the cases table, write = summary "
        "+ audit + commit)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
