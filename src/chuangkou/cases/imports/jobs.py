"""历史办件导入: cases of earlier years from a CSV or Excel file (format: `format.COLUMNS`).

Every row is checked first and each error is reported with its row and column; when any row is
wrong, nothing is written. A clean file is written in one transaction, and the daily summary is
rebuilt for the dates it covers, so the figures include it at once.

Large files run in a background thread of the web process (`launch`), reporting progress in the
ImportJob row, which any worker can read (the page polls it). The checked rows wait in a
temporary spool file between the two phases, so memory stays flat for a million rows.
"""

import csv
import datetime as dt
import logging
import tempfile
import threading
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from chuangkou.core import importing
from chuangkou.core.errors import DomainError, PermissionDeniedError

from .. import permissions
from ..bulk import insert_rows
from ..models import Case, ImportJob
from ..services.stats import rebuild_daily_stats
from .checking import SPOOL_FIELDS, Checker, Lookups
from .format import HEADERS, REQUIRED
from .reading import read_rows
from .reading import text as _text

log = logging.getLogger(__name__)

MAX_ROWS = 2_000_000
MAX_FILE_BYTES = 300 * 1024 * 1024
PROGRESS_EVERY = 5_000


def _progress(job: ImportJob, **fields) -> None:
    """Committed at once (outside any transaction), so other workers see it."""
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now(), **fields)


def _check_header(header: list[str]) -> dict[str, int]:
    names = [_text(h) for h in header]
    missing = [h for h in HEADERS if h in REQUIRED and h not in names]
    if missing:
        raise DomainError(f"表头缺少列：{'、'.join(missing)}。请使用导入模板。")
    return {h: names.index(h) for h in HEADERS if h in names}


def _existing_numbers(numbers: list[str]) -> set[str]:
    return set(Case.objects.filter(number__in=numbers).values_list("number", flat=True))


def _spool_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def check_file(job: ImportJob, path: Path, spool) -> Checker:
    """Phase 1: read and check every row; checked rows go to `spool` (a text file)."""
    header, rows, total = read_rows(path, job.format)
    index = _check_header(header)
    _progress(job, status=ImportJob.Status.VALIDATING, total_rows=total)
    checker = Checker(Lookups.load(), zoneinfo.ZoneInfo(settings.TIME_ZONE), timezone.now())
    writer = csv.writer(spool)
    pending: list[tuple[int, str]] = []
    count = 0
    for number, values in rows:
        if not any(x is not None and x != "" and _text(x) for x in values):
            continue
        count += 1
        if count > MAX_ROWS:
            raise DomainError(f"一次最多导入 {MAX_ROWS} 行，请拆分文件。")
        raw = {h: values[i] if i < len(values) else None for h, i in index.items()}
        checked = checker.check(number, raw)
        if checked is not None:
            writer.writerow([_spool_value(x) for x in checked])
            pending.append((number, checked[0]))
        if len(pending) >= PROGRESS_EVERY:
            _flag_taken_numbers(checker, pending)
            pending = []
            _progress(job, processed_rows=count, error_count=checker.error_count)
    _flag_taken_numbers(checker, pending)
    if count == 0:
        raise DomainError("文件中没有数据行。")
    _progress(job, processed_rows=count, total_rows=count, error_count=checker.error_count)
    return checker


def _flag_taken_numbers(checker: Checker, pending: list[tuple[int, str]]) -> None:
    taken = _existing_numbers([n for _, n in pending])
    for row, number in pending:
        if number in taken:
            checker.add_error(row, "受理编号", f"受理编号 {number} 已存在于系统中")


def _int(text: str) -> int | None:
    return int(text) if text else None


def _spooled_rows(spool, job_id: int) -> Iterator[tuple]:
    """The checked rows back from the spool, typed, in SPOOL_FIELDS order + import_job_id."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    date, moment = dt.date.fromisoformat, dt.datetime.fromisoformat
    for r in csv.reader(spool):
        yield (
            r[0],
            int(r[1]),
            int(r[2]),
            int(r[3]),
            _int(r[4]),
            _int(r[5]),
            *r[6:12],
            moment(r[12]).astimezone(tz),
            date(r[13]),
            date(r[14]),
            moment(r[15]).astimezone(tz) if r[15] else None,
            date(r[16]) if r[16] else None,
            int(r[17]),
            r[18] == "1",
            r[19] == "1",
            job_id,
        )


def write_spool(job: ImportJob, spool, checker: Checker) -> int:
    """Phase 2: every checked row in one transaction, then the summary of their dates."""
    _progress(job, status=ImportJob.Status.WRITING)
    with transaction.atomic():
        created = insert_rows(Case, [*SPOOL_FIELDS, "import_job_id"], _spooled_rows(spool, job.pk))
        rebuild_daily_stats(actor=None, start=checker.min_date, end=checker.max_date)
        _audit(
            job,
            importing.SUCCEEDED,
            created,
            0,
            created=created,
            first_date=checker.min_date,
            last_date=checker.max_date,
        )
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE,
            created=created,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
            message=f"已导入 {created} 件（{checker.min_date} 至 {checker.max_date}）。",
        )
    return created


def _audit(job: ImportJob, result: str, rows: int, errors: int, **extra) -> None:
    """The audit entry of one attempt (succeeded, rejected or aborted), naming who ran it."""
    report = importing.ImportReport(
        filename=job.filename, rows=rows, error_count=errors, result=result
    )
    report.created = extra.pop("created", 0)
    importing.record_attempt(
        actor=job.created_by,
        action="cases.import",
        report=report,
        obj=job,
        **extra,
    )


def _fail(job: ImportJob, message: str, checker: Checker | None = None, *, result: str) -> None:
    errors = [] if checker is None else checker.errors
    job.refresh_from_db(fields=["processed_rows"])
    count = checker.error_count if checker else 1
    _audit(job, result, job.processed_rows, count, message=message[:200])
    _progress(
        job,
        status=ImportJob.Status.FAILED,
        message=message[:500],
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in errors],
        error_count=checker.error_count if checker else 0,
        finished_at=timezone.now(),
    )


def run_import(job_id: int) -> ImportJob:
    """Check, then write (or not) the file of one job; the job row tells how it went."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    path = Path(job.file.path)
    checker = None
    try:
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
            checker = check_file(job, path, spool)
            if checker.error_count:
                message = f"发现 {checker.error_count} 处错误，未导入任何数据。"
                _fail(job, message, checker, result=importing.REJECTED)
            else:
                spool.seek(0)
                write_spool(job, spool, checker)
    except DomainError as exc:
        _fail(job, exc.message, checker, result=importing.REJECTED)
    except Exception:
        log.exception("case import %s failed", job_id)
        message = "导入时发生系统错误，未导入任何数据。请联系系统管理员。"
        _fail(job, message, checker, result=importing.ABORTED)
    finally:
        _discard_file(job)
    job.refresh_from_db()
    return job


def _discard_file(job: ImportJob) -> None:
    """The uploaded file holds personal data: once checked or written, keep only the outcome."""
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run_import(job_id)
    finally:
        connection.close()


def launch(job_id: int) -> None:
    """Run the import in a background thread of this process; the page polls the job row."""
    threading.Thread(
        target=_run_in_thread, args=(job_id,), name=f"case-import-{job_id}", daemon=True
    ).start()


def file_format(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".csv"):
        return ImportJob.Format.CSV
    if lower.endswith(".xlsx"):
        return ImportJob.Format.XLSX
    raise DomainError("请上传 .csv 或 .xlsx 文件。", field="file")


@transaction.atomic
def start_import(*, actor, upload) -> ImportJob:
    """上传历史办件: keep the file, create the job, and run it once this transaction commits."""
    if not permissions.can_import(actor):
        raise PermissionDeniedError("只有中心管理员可以导入历史办件。")
    fmt = file_format(upload.name)
    if upload.size > MAX_FILE_BYTES:
        raise DomainError("文件不能超过 300 MB，请拆分后分批导入。", field="file")
    job = ImportJob(filename=Path(upload.name).name[:200], format=fmt, created_by=actor)
    job.file.save(f"{timezone.now():%Y%m%d%H%M%S}.{fmt}", upload, save=False)
    job.save()
    transaction.on_commit(lambda: launch(job.pk))
    return job
