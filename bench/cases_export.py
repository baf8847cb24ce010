"""Exporting 受理件 to Excel in the background (core.exports): 662,032 cases (the briefing's first
half of 2018) written by the task worker's job, beside the bare work of the same export.

    python bench/cases_export.py                      # 662,032 cases, 3 runs
    python bench/cases_export.py --rows 100000 --repeat 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/cases_export.py

Measured:
  baseline   one SQL statement joining the case with its matter, department, center, window and
             clerk, its rows written with openpyxl's write-only mode as they come (no styles, no
             masking, no labels): the least an xlsx export of these columns can do
  job        `exports.run_export` of the center admin's job for the whole list: the list's
             selector, the rows as the page shows them (labels, masked ID and phone, overdue),
             the workbook with its header and widths, progress every 5,000 rows, the audit
The cases are written once (not timed). Medians of --repeat runs; rows per second and the ratio.
"""

import argparse
import os
import sys
import time

from cases_common import cleanup, database_label, load_organisation, median, prepare_environment
from cases_common import table as text_table
from cases_import import FULL_ROWS, baseline_rows, generate, write_baseline

BASELINE_SQL = """
SELECT c.number, m.name, d.name, ce.name, w.number, s.name, c.channel, c.applicant_kind,
       c.applicant_name, c.applicant_id, c.applicant_phone, c.status, c.accepted_at,
       c.due_date, c.completed_at, c.visits
FROM cases_case c
JOIN catalog_matter m ON m.id = c.matter_id
JOIN org_department d ON d.id = c.department_id
JOIN org_center ce ON ce.id = c.center_id
LEFT JOIN org_window w ON w.id = c.window_id
LEFT JOIN org_staff s ON s.id = c.clerk_id
ORDER BY c.accepted_at DESC, c.id DESC
"""


def export_baseline(path) -> tuple[float, int]:
    from django.db import connection
    from openpyxl import Workbook

    t = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("受理件")
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL)
        while batch := cursor.fetchmany(2000):
            for row in batch:
                ws.append([v.replace(tzinfo=None) if hasattr(v, "tzinfo") else v for v in row])
            rows += len(batch)
    wb.save(path)
    return time.perf_counter() - t, rows


def export_job() -> tuple[float, int]:
    from chuangkou.core import exports
    from chuangkou.core.models import AuditEntry, ExportJob, User

    admin = User.objects.get(username="admin")
    ExportJob.objects.all().delete()
    job = ExportJob.objects.create(owner=admin, kind="cases.case", query={}, query_key="bench")
    t = time.perf_counter()
    job = exports.run_export(job.pk)
    seconds = time.perf_counter() - t
    if job.status != ExportJob.Status.DONE:
        raise SystemExit(f"the export failed: {job.message}")
    assert AuditEntry.objects.filter(action="data.export", after__job=job.pk).exists()
    return seconds, job.written_rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=FULL_ROWS, help="cases (default 662,032)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    args = parser.parse_args()
    data_dir, created_db = prepare_environment()
    try:
        return run(args, data_dir)
    finally:
        cleanup(data_dir, created_db)


def run(args, data_dir) -> int:
    load = os.getloadavg()
    print(
        f"cases export benchmark: {args.rows:,} cases, {args.repeat} run(s) each, "
        f"{database_label()}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    load_organisation()
    t = time.perf_counter()
    write_baseline(baseline_rows(generate(args.rows)))
    print(f"wrote the cases in {time.perf_counter() - t:.1f} s")
    base_runs = [export_baseline(data_dir / "baseline.xlsx") for _ in range(args.repeat)]
    job_runs = [export_job() for _ in range(args.repeat)]
    base = median([s for s, _ in base_runs])
    job = median([s for s, _ in job_runs])
    rows = job_runs[0][1]
    assert rows == base_runs[0][1] == args.rows, (rows, base_runs[0][1])
    base_rate, job_rate = rows / base, rows / job
    size = max((data_dir / "media" / "exports").glob("*.xlsx"), key=os.path.getmtime)
    ratio = job_rate / base_rate
    lines = [
        ["baseline: one SELECT + bare xlsx", f"{rows:,}", f"{base:.1f}", f"{base_rate:,.0f}", ""],
        ["job: exports.run_export", f"{rows:,}", f"{job:.1f}", f"{job_rate:,.0f}", f"{ratio:.2f}"],
    ]
    print()
    print(text_table(["measure", "rows", "seconds", "rows/s", "× baseline"], lines))
    print(f"\nthe job's file: {size.stat().st_size / 1e6:.1f} MB")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
