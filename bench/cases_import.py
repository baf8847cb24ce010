"""Importing historical cases: 662,032 rows (the briefing's first half of 2018) from CSV and from
Excel, against a bare `bulk_create` of the same rows.

    python bench/cases_import.py             # 662,032 rows (takes several minutes)
    python bench/cases_import.py --small     # 50,000 rows, 3 runs each
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/cases_import.py --small

Measured, each in a transaction that is rolled back afterwards:
  baseline   Case.objects.bulk_create of ready-made Case objects (batches of 5,000): what the
             database takes with no reading and no checks
  writer     cases.bulk.insert_rows of the same rows (COPY on PostgreSQL, executemany on SQLite)
  csv, xlsx  the whole import as the background job runs it: read the file, check every row
             (catalog, windows, staff, ID check digits, dates, duplicates in the file and in the
             database), spool, write in one transaction, rebuild the daily summary
The files are generated first (not timed in the import figures) and removed at the end.
"""

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from cases_common import (
    cleanup,
    database_label,
    load_organisation,
    median,
    prepare_environment,
    stopwatch,
    table,
)

FULL_ROWS = 662_032
SMALL_ROWS = 50_000


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


def case_objects(rows: list[dict]) -> list:
    """The same rows as Case objects, ready for bulk_create (the baseline's input)."""
    import zoneinfo

    from chuangkou.cases.models import Case
    from chuangkou.catalog.models import Matter
    from chuangkou.org.models import Center, Staff, Window

    tz = zoneinfo.ZoneInfo("Asia/Shanghai")
    matters = {m.code: m for m in Matter.objects.all()}
    main = Center.objects.get(kind=Center.Kind.MAIN)
    windows = dict(Window.objects.filter(center=main).values_list("number", "pk"))
    staff = dict(Staff.objects.values_list("staff_no", "pk"))
    objs = []
    for r in rows:
        m = matters[r["事项编码"]]
        accepted, done = r["受理时间"].replace(tzinfo=tz), r["办结时间"].replace(tzinfo=tz)
        objs.append(
            Case(
                number=r["受理编号"],
                matter_id=m.pk,
                department_id=m.department_id,
                center_id=main.pk,
                window_id=windows.get(r["窗口号"]),
                clerk_id=staff.get(r["受理人工号"]),
                channel="online" if r["受理渠道"] == "网上申请" else "window",
                applicant_kind="company" if r["申请人类型"] == "企业" else "person",
                applicant_name=r["申请人"],
                applicant_id=r["证件号码"],
                applicant_phone=r["联系电话"],
                status="completed",
                accepted_at=accepted,
                accepted_date=accepted.date(),
                due_date=r["承诺办结日期"],
                completed_at=done,
                completed_date=done.date(),
                visits=r["跑动次数"],
                is_overdue=done.date() > r["承诺办结日期"],
                is_one_trip=r["跑动次数"] <= m.max_visits,
            )
        )
    return objs


def rolled_back(fn) -> float:
    """Seconds that `fn` takes inside a transaction that is then rolled back."""
    from django.db import transaction

    times: list[float] = []
    with transaction.atomic():
        with stopwatch(times):
            fn()
        transaction.set_rollback(True)
    return times[0]


def import_once(path: Path, fmt: str, rows: int) -> tuple[float, float, float]:
    """(total, check, write) seconds of one import of `path`, rolled back."""
    from django.core.files import File

    from chuangkou.cases.imports import jobs
    from chuangkou.cases.models import ImportJob

    result = {}

    def run():
        job = ImportJob(filename=path.name, format=fmt)
        with path.open("rb") as f:
            job.file.save(path.name, File(f), save=False)
        job.save()
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
            t0 = time.perf_counter()
            checker = jobs.check_file(job, Path(job.file.path), spool)
            t1 = time.perf_counter()
            if checker.error_count:
                raise SystemExit(f"benchmark file has errors: {checker.errors[:3]}")
            spool.seek(0)
            created = jobs.write_spool(job, spool, checker)
            t2 = time.perf_counter()
        job.file.delete(save=False)
        if created != rows:
            raise SystemExit(f"imported {created} rows instead of {rows}")
        result["times"] = (t2 - t0, t1 - t0, t2 - t1)

    rolled_back(run)
    return result["times"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help=f"{SMALL_ROWS} rows, 3 runs each")
    parser.add_argument("--rows", type=int, help="rows to import (default 662,032)")
    parser.add_argument("--repeat", type=int, help="runs of each measurement (median)")
    parser.add_argument("--formats", default="csv,xlsx")
    args = parser.parse_args()
    rows = args.rows or (SMALL_ROWS if args.small else FULL_ROWS)
    repeat = args.repeat or (3 if args.small else 1)
    data_dir, created_db = prepare_environment()
    try:
        return run(rows, repeat, args.formats.split(","), data_dir)
    finally:
        cleanup(data_dir, created_db)


def run(rows: int, repeat: int, formats: list[str], data_dir: Path) -> int:
    from chuangkou.cases.bulk import insert_rows
    from chuangkou.cases.demo.draw import CASE_FIELDS
    from chuangkou.cases.models import Case

    print(f"cases import benchmark: {rows:,} rows, {repeat} run(s) each, {database_label()}")
    load_organisation()
    t = time.perf_counter()
    data = generate(rows)
    objs = case_objects(data)
    print(f"generated the rows in {time.perf_counter() - t:.1f} s")
    files = {}
    for fmt in formats:
        path = data_dir / f"cases.{fmt}"
        t = time.perf_counter()
        (write_csv if fmt == "csv" else write_xlsx)(data, path)
        files[fmt] = path
        size = path.stat().st_size / 1e6
        print(f"wrote {path.name}: {size:.1f} MB in {time.perf_counter() - t:.1f} s")

    tuples = [tuple(getattr(o, f) for f in CASE_FIELDS[:-1]) for o in objs]
    baseline = median(
        [
            rolled_back(lambda: Case.objects.bulk_create(objs, batch_size=5000))
            for _ in range(repeat)
        ]
    )
    writer = median(
        [rolled_back(lambda: insert_rows(Case, CASE_FIELDS[:-1], tuples)) for _ in range(repeat)]
    )
    results = [
        ["baseline: bulk_create", f"{baseline:.1f}", f"{rows / baseline:,.0f}", "1.00", "", ""],
        [
            "insert_rows (writer)",
            f"{writer:.1f}",
            f"{rows / writer:,.0f}",
            f"{baseline / writer:.2f}",
            "",
            "",
        ],
    ]
    for fmt, path in files.items():
        runs = [import_once(path, fmt, rows) for _ in range(repeat)]
        total, check, write = (median([r[i] for r in runs]) for i in range(3))
        results.append(
            [
                f"import {fmt}",
                f"{total:.1f}",
                f"{rows / total:,.0f}",
                f"{baseline / total:.2f}",
                f"{rows / check:,.0f}",
                f"{rows / write:,.0f}",
            ]
        )
    print()
    print(
        table(
            ["measure", "seconds", "rows/s", "× baseline speed", "check rows/s", "write rows/s"],
            results,
        )
    )
    print("\n(write = insert_rows + rebuild of the daily summary + audit, in one transaction)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
