"""历史办件导入: cases of earlier years from a CSV or Excel file (format: `format.COLUMNS`).

Every row is checked first and each error is reported with its row and column; when any row is
wrong, nothing is written. A clean file is written in one transaction, with its counts added to
the daily summary (`summary`), so the figures include it at once.

The import runs as a background task (`launch` queues `run_import_task` on the "imports" queue;
`chuangkou worker` runs it), reporting progress in the ImportJob row (the page polls it). When the
import fails for a reason of the system (an exception, or its worker killed: see
`recover_abandoned_imports`) the uploaded file is kept so the job can be retried from its page;
it is removed when the import succeeds, when the file is rejected (its data must be corrected
anyway), when the user discards it, or `KEEP_FAILED_FILES` after the failure. The checked rows
wait in a temporary staging table of the import's connection (`staging`), so memory stays flat
for a million rows and, on SQLite, other writes go on while a file is checked; the publish into
the cases table is one INSERT … SELECT. On PostgreSQL the checked rows are COPYed straight into
the cases table inside the import's one transaction (`staging.DirectWrite`: MVCC keeps them
invisible until the commit, and other writes go on meanwhile); progress is then reported on a
connection of its own.
"""

import contextlib
import datetime as dt
import gc
import logging
import time
import zoneinfo
from operator import itemgetter
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import task

from chuangkou.core import audit, importing
from chuangkou.core.connections import SideConnection
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.tasks import enqueue

from .. import permissions
from ..models import STALE_AFTER, ImportJob
from .checking import Checker, Lookups
from .format import HEADERS, REQUIRED
from .reading import cell, read_rows
from .reading import text as _text
from .staging import DirectWrite, Staging
from .summary import DailyCounts

log = logging.getLogger(__name__)

MAX_ROWS = 2_000_000
MAX_FILE_BYTES = 300 * 1024 * 1024
PROGRESS_EVERY = 20_000  # rows between progress reports and staged batches
KEEP_FAILED_FILES = dt.timedelta(days=7)
ORPHAN_FILES_AFTER = dt.timedelta(days=1)
RECOVERY_GRACE = dt.timedelta(minutes=1)
_AS_IS = frozenset({dt.datetime, dt.date})  # Excel's dates and times, as the checks take them
RUNNING = (ImportJob.Status.PENDING, ImportJob.Status.VALIDATING, ImportJob.Status.WRITING)
SYSTEM_ERROR = "导入时发生系统错误，未导入任何数据。可在此页重试，或联系系统管理员。"
WORKER_LOST = "导入中断（处理进程已停止），未导入任何数据。可在此页重试。"


def _progress(job: ImportJob, **fields) -> None:
    """Committed at once, so other workers and the page see it: outside any transaction, or
    inside the PostgreSQL import's transaction on the job's own progress connection."""
    fields["updated_at"] = timezone.now()
    side = getattr(job, "progress_connection", None)
    if side is None or not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job.pk).update(**fields)
        return
    side.update(ImportJob, job.pk, **fields)


def _check_header(header: list[str]) -> dict[str, int]:
    names = [_text(h) for h in header]
    missing = [h for h in HEADERS if h in REQUIRED and h not in names]
    if missing:
        raise DomainError(f"表头缺少列：{'、'.join(missing)}。请使用导入模板。")
    return {h: names.index(h) for h in HEADERS if h in names}


@contextlib.contextmanager
def _cycle_collector_paused():
    """Python's cycle collector off for an import, then as it was: the rows, batches and parse
    caches are a million acyclic tuples and lists (reference counting frees them) that every
    collection walked again (xlsx, 100,000 rows: checking 1.27-1.44 -> 1.23-1.30 s CPU, the
    summary's rows 0.45 -> 0.33 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_cycle_collector_paused()
def import_file(job: ImportJob, path: Path) -> Checker:
    """Check every row and, when none is wrong, write them all (`write_spool`); the checker
    tells the outcome (`error_count`, `created`, `seconds`: checking and writing).

    SQLite: checked rows are staged without the main database's write lock, then published in
    one transaction. PostgreSQL: one transaction from the first row to the last, the rows
    COPYed into the cases table as they are checked (`DirectWrite`), rolled back on any error.
    """
    if connection.vendor != "postgresql":
        t0 = time.perf_counter()
        checker = check_file(job, path)
        t1 = time.perf_counter()
        if not checker.error_count:
            checker.created = write_spool(job, None, checker)
        checker.seconds = (t1 - t0, time.perf_counter() - t1)
        return checker
    if not connection.in_atomic_block:  # (a caller's transaction may hold the job's row)
        job.progress_connection = SideConnection()
    try:
        t0 = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cursor:  # an import lost with the machine is retried
                cursor.execute("SET LOCAL synchronous_commit = off")
                # The foreign keys stay deferred (checked at the commit). Their checks are about
                # half of the server's CPU for these rows, but SET CONSTRAINTS ALL IMMEDIATE only
                # moved them into the COPYs, at slightly more server CPU (200k rows, same run:
                # 9.3-10.7 s deferred, 11.3-11.9 s immediate)
            checker = check_file(job, path, direct=True)
            t1 = time.perf_counter()
            if checker.error_count:
                transaction.set_rollback(True)
            else:
                checker.created = write_spool(job, None, checker)
        checker.seconds = (t1 - t0, time.perf_counter() - t1)
    finally:
        if getattr(job, "progress_connection", None) is not None:
            job.progress_connection.close()
            job.progress_connection = None
    if checker.error_count:  # the counts again, here: the side connection may not see the job
        _progress(job, processed_rows=checker.row_count, error_count=checker.error_count)
    return checker


def check_file(job: ImportJob, path: Path, spool=None, *, direct: bool = False) -> Checker:
    """Phase 1: read and check every row; checked rows wait in the staging table
    (`checker.staging`, see `staging`), numbers already in the system are then found in one
    query. `direct` (PostgreSQL, inside the caller's transaction): the rows go straight into
    the cases table instead (`DirectWrite`). `spool` is not used any more."""
    header, rows, total = read_rows(path, job.format)
    index = _check_header(header)
    _progress(job, status=ImportJob.Status.VALIDATING, total_rows=total)
    checker = Checker(Lookups.load(), zoneinfo.ZoneInfo(settings.TIME_ZONE), timezone.now())
    staging = DirectWrite(job.pk) if direct else Staging()
    checker.staging = staging = staging.open()
    checker.daily = DailyCounts()
    try:
        count = _check_rows(job, checker, rows, [index.get(h, len(header)) for h in HEADERS])
        for row, number in staging.taken_numbers():
            checker.add_error(row, "受理编号", f"受理编号 {number} 已存在于系统中")
        checker.errors.sort(key=lambda e: e.row)
        if count == 0:
            raise DomainError("文件中没有数据行。")
    except BaseException:
        staging.drop()
        raise
    if checker.error_count:
        staging.drop()  # nothing of a file with errors is written
    checker.row_count = count
    _progress(job, processed_rows=count, total_rows=count, error_count=checker.error_count)
    return checker


def _check_rows(job: ImportJob, checker: Checker, rows, positions: list[int]) -> int:
    """Every data row through `checker.check_cells`; the checked ones staged in batches."""
    pick = itemgetter(*positions)
    width = max(positions) + 1  # a column the file lacks is read past the end: padded blank
    as_csv = job.format == ImportJob.Format.CSV
    check, staging, daily = checker.check_cells, checker.staging, checker.daily

    def stage(batch: list[tuple]) -> None:
        staging.add(batch, write=not checker.error_count)
        if not checker.error_count:
            daily.add(batch)

    strip = str.strip
    batch: list[tuple] = []
    count = 0
    for number, values in rows:
        if as_csv:
            if not "".join(values).strip():
                continue
            if len(values) < width:
                values = [*values, *[""] * (width - len(values))]
            cells = [*map(strip, pick(values))]
        else:  # calamine: text as str ("" when empty), numbers float, dates and times
            first = values[0] if values else None
            if not (type(first) is str and strip(first)) and not any(
                x is not None and (type(x) is not str or strip(x)) for x in values
            ):
                continue  # blank (the usual row stops at its first cell)
            if len(values) < width:
                values = [*values, *[None] * (width - len(values))]
            cells = [
                strip(x) if type(x) is str else x if type(x) in _AS_IS else cell(x)
                for x in pick(values)
            ]
        count += 1
        if count > MAX_ROWS:
            raise DomainError(f"一次最多导入 {MAX_ROWS} 行，请拆分文件。")
        checked = check(number, cells)
        if checked is not None:
            batch.append(checked)
        if count % PROGRESS_EVERY == 0:
            stage(batch)
            batch = []
            _progress(job, processed_rows=count, error_count=checker.error_count)
    stage(batch)
    return count


def write_spool(job: ImportJob, spool, checker: Checker) -> int:
    """Phase 2: the staged rows into the cases table, the summary of their dates, the audit
    entry and the job's outcome, in one short transaction (`spool` is not used any more)."""
    _progress(job, status=ImportJob.Status.WRITING)
    try:
        with transaction.atomic():
            created = checker.staging.publish(job.pk)
            summary_rows = add_daily_counts(checker)
            _audit(
                job,
                importing.SUCCEEDED,
                created,
                0,
                created=created,
                first_date=checker.min_date,
                last_date=checker.max_date,
                summary_rows=summary_rows,
            )
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.DONE,
                processed_rows=checker.row_count,
                total_rows=checker.row_count,
                error_count=0,
                created=created,
                finished_at=timezone.now(),
                updated_at=timezone.now(),
                message=f"已导入 {created} 件（{checker.min_date} 至 {checker.max_date}）。",
            )
    finally:
        if not connection.needs_rollback:
            with contextlib.suppress(DatabaseError):
                checker.staging.drop()
    return created


def add_daily_counts(checker: Checker) -> int:
    """The import's counts added to the daily summary (`summary`), in the write transaction."""
    return checker.daily.apply()


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
    """Check, then write (or not) the file of one job; the job row tells how it went.

    Runs only a job still waiting (PENDING): a task delivered twice never imports twice. The
    uploaded file is removed unless the failure was the system's (then a retry needs it).
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.PENDING:
        return job
    checker = None
    keep_file = False
    try:
        if not job.file or not job.file.storage.exists(job.file.name):
            raise DomainError("上传的文件已不存在（已放弃或已清理），请重新上传。")
        path = Path(job.file.path)
        checker = import_file(job, path)
        if checker.error_count:
            message = f"发现 {checker.error_count} 处错误，未导入任何数据。"
            _fail(job, message, checker, result=importing.REJECTED)
    except DomainError as exc:
        _fail(job, exc.message, checker, result=importing.REJECTED)
    except Exception:
        log.exception("case import %s failed", job_id)
        _fail(job, SYSTEM_ERROR, checker, result=importing.ABORTED)
        keep_file = True
    finally:
        if not keep_file:
            _discard_file(job)
    job.refresh_from_db()
    return job


def _discard_file(job: ImportJob) -> None:
    """The uploaded file holds personal data: once checked or written, keep only the outcome."""
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


@task(queue_name="imports")
def run_import_task(job_id: int) -> str:
    """The import as a task of the "imports" queue; returns the job's final status."""
    return run_import(job_id).status


RUN_IMPORT_TASK = run_import_task.module_path


def launch(job_id: int) -> None:
    """Queue the import (inside the caller's transaction: queued exactly when the job exists)."""
    enqueue(run_import_task, job_id)


def file_format(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".csv"):
        return ImportJob.Format.CSV
    if lower.endswith(".xlsx"):
        return ImportJob.Format.XLSX
    raise DomainError("请上传 .csv 或 .xlsx 文件。", field="file")


@transaction.atomic
def start_import(*, actor, upload) -> ImportJob:
    """上传历史办件: keep the file, create the job and queue it in the same transaction."""
    if not permissions.can_import(actor):
        raise PermissionDeniedError("只有中心管理员可以导入历史办件。")
    fmt = file_format(upload.name)
    if upload.size > MAX_FILE_BYTES:
        raise DomainError("文件不能超过 300 MB，请拆分后分批导入。", field="file")
    job = ImportJob(filename=Path(upload.name).name[:200], format=fmt, created_by=actor)
    job.file.save(f"{timezone.now():%Y%m%d%H%M%S}.{fmt}", upload, save=False)
    job.save()
    launch(job.pk)
    return job


def _retryable(job: ImportJob) -> bool:
    return job.status == ImportJob.Status.FAILED and bool(job.file)


@transaction.atomic
def retry_import(*, actor, job_id: int) -> ImportJob:
    """重试: a job that failed for a reason of the system runs again from its kept file."""
    if not permissions.can_import(actor):
        raise PermissionDeniedError("只有中心管理员可以导入历史办件。")
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise DomainError("找不到该导入任务。", status=404)
    if not _retryable(job):
        raise DomainError("只有因系统原因未完成、且文件仍保留的导入可以重试。", status=409)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.PENDING,
        processed_rows=0,
        error_count=0,
        errors=[],
        created=0,
        message="",
        finished_at=None,
        updated_at=timezone.now(),
    )
    audit.record(actor=actor, action="cases.import_retry", obj=job, after={"file": job.filename})
    launch(job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def discard_import(*, actor, job_id: int) -> ImportJob:
    """放弃: the kept file of a failed job is deleted; the job stays as the record of the try."""
    if not permissions.can_import(actor):
        raise PermissionDeniedError("只有中心管理员可以导入历史办件。")
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise DomainError("找不到该导入任务。", status=404)
    if not _retryable(job):
        raise DomainError("该导入没有保留的文件。", status=409)
    audit.record(actor=actor, action="cases.import_discard", obj=job, after={"file": job.filename})
    storage, name = job.file.storage, job.file.name
    transaction.on_commit(lambda: storage.delete(name))
    ImportJob.objects.filter(pk=job.pk).update(file="", updated_at=timezone.now())
    job.refresh_from_db()
    return job


def recover_abandoned_imports(*, now=None) -> int:
    """Jobs still marked running whose task no longer runs (its worker died) → failed.

    Nothing was written (the write is one transaction, rolled back with the dead connection);
    the uploaded file is kept for a retry. Without the database backend, a job silent for
    STALE_AFTER counts as abandoned.
    """
    now = now or timezone.now()
    # The candidates first, then the live tasks: a job queued in between is not a candidate (and
    # a just-queued or just-retried one is younger than the grace anyway).
    candidates = list(
        ImportJob.objects.filter(status__in=RUNNING, updated_at__lt=now - RECOVERY_GRACE)
        .select_related("created_by")
        .order_by("pk")
    )
    from chuangkou.jobs.recovery import live_task_ids

    live = live_task_ids(RUN_IMPORT_TASK)
    if live is None:
        candidates = [j for j in candidates if j.updated_at < now - STALE_AFTER]
    else:
        candidates = [j for j in candidates if j.pk not in live]
    failed = 0
    for job in candidates:
        with transaction.atomic():
            if not ImportJob.objects.filter(pk=job.pk, status__in=RUNNING).update(
                status=ImportJob.Status.FAILED,
                message=WORKER_LOST,
                finished_at=now,
                updated_at=now,
            ):
                continue
            _audit(job, importing.ABORTED, job.processed_rows, 1, message=WORKER_LOST)
        failed += 1
    if failed:
        log.warning("marked %d abandoned case import(s) failed", failed)
    return failed


def cleanup_import_files(*, now=None) -> int:
    """Uploaded files no longer needed: of jobs failed KEEP_FAILED_FILES ago, and orphans.

    Orphans are files no job names (an upload whose transaction rolled back), older than a day.
    Returns the number of files deleted.
    """
    now = now or timezone.now()
    deleted = 0
    old = ImportJob.objects.filter(
        status=ImportJob.Status.FAILED, finished_at__lt=now - KEEP_FAILED_FILES
    ).exclude(file="")
    for job in old:
        _discard_file(job)
        deleted += 1
    storage = ImportJob._meta.get_field("file").storage
    folder = "cases/imports"
    if storage.exists(folder):
        named = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
        for name in storage.listdir(folder)[1]:
            path = f"{folder}/{name}"
            if path in named:
                continue
            if now - storage.get_modified_time(path) > ORPHAN_FILES_AFTER:
                storage.delete(path)
                deleted += 1
    return deleted
