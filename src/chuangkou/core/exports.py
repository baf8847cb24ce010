"""后台导出: the exports of large tables (受理件, 排队记录 …) written by the task worker.

An app registers each large table once (`register(kind, build=…, roles=…)`): `build(user,
query)` returns the `Table` that user may see under the list's filter (the query parameters of
the list page). `responses.table_response` answers a list's "导出 Excel": a table of at most
`INLINE_ROWS` rows is written at once, a larger one becomes an `ExportJob` (`start_export`) that
`run_export_task` writes into a file under `MEDIA_ROOT/exports/` with its progress on the job's
page. Only the owner sees the job and downloads the file (audited, like every export); the file
is deleted `KEEP_FILES` after it is written (`cleanup_export_files`, nightly). A job whose
worker died is marked failed by `recover_abandoned_exports` (the worker's recovery run) and can
be run again (`retry_export`: a new job with the same table and filter). Its owner may cancel a
job (`cancel_export`): one still waiting never runs, a running one stops at its next progress
point and leaves no file.

A kind's `describe(query)` says its filter in Chinese (`core.params.describe_filters` on the
parsed FilterSchema, ids resolved to names) without building the table: the job's pages and the
`data.export` audit entry show it (`filter_text`).
"""

import datetime as dt
import hashlib
import json
import logging
import os
import secrets
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import task

from . import audit, xlsx
from .connections import SideConnection
from .errors import DomainError, PermissionDeniedError
from .models import ExportJob
from .params import FilterItem
from .params import filter_text as join_filter_items
from .roles import Role, has_role
from .tasks import enqueue

log = logging.getLogger(__name__)

INLINE_ROWS = 10_000  # written during the request (a few seconds); more → a background job
MAX_ROWS = 1_048_575  # an Excel sheet's rows below its header
PROGRESS_EVERY = 5_000
CHUNK = 2_000  # rows fetched at a time by a table's query (`QuerySet.iterator(chunk_size=CHUNK)`)
KEEP_FILES = dt.timedelta(days=3)
ORPHAN_FILES_AFTER = dt.timedelta(days=1)
RECOVERY_GRACE = dt.timedelta(minutes=1)
STALE_AFTER = dt.timedelta(minutes=30)
FOLDER = "exports"
SYSTEM_ERROR = "导出时发生系统错误，未生成文件。可在此页重新导出，或联系系统管理员。"
WORKER_LOST = "导出中断（处理进程已停止），未生成文件。可在此页重新导出。"
EXPIRED = "文件已超过保留期限被删除，如需要请重新导出。"
CANCELLED = "已取消，未生成文件。如需要可重新导出。"
RUNNING = (ExportJob.Status.PENDING, ExportJob.Status.RUNNING)


@dataclass
class Table:
    """What one export writes: a sheet `title` (also the file name's stem), its `headers`, the
    `rows` (read once; a generator, so that writing stopped early closes it and the database
    cursor under it), how many there are (`total`), the columns kept as text, and whether full
    ID or phone numbers are in it (`unmasked`, audited)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    total: int
    text_columns: Collection[str] = ()
    unmasked: bool = False
    stem: str = ""  # the file name without ".xlsx" (default: the title and today's date)

    def filename(self) -> str:
        cut = f"_前{MAX_ROWS}条" if self.total > MAX_ROWS else ""
        return f"{self.stem or f'{self.title}_{timezone.localdate():%Y%m%d}'}{cut}.xlsx"


@dataclass(frozen=True)
class ExportKind:
    kind: str  # the audit log's object type, e.g. "cases.case"
    build: Callable[[object, dict], Table]
    roles: tuple[Role, ...]
    describe: Callable[[dict], list[FilterItem]] | None = None


_KINDS: dict[str, ExportKind] = {}


def exporter_roles() -> set[Role]:
    """Every role that may export some registered table (the sidebar's 我的导出 shows to them)."""
    return {role for spec in _KINDS.values() for role in spec.roles}


def register(
    kind: str,
    *,
    build: Callable[[object, dict], Table],
    roles: Sequence[Role],
    describe: Callable[[dict], list[FilterItem]] | None = None,
) -> None:
    """Make a table exportable in the background; `roles` may export it (checked again when the
    job runs, so a role taken away meanwhile stops it). `describe(query)` gives the filter in
    Chinese (cheap: no COUNT, no rows; see `core.params.describe_filters`)."""
    _KINDS[kind] = ExportKind(kind, build, tuple(roles), describe)


def filter_items(kind: str, query: dict) -> list[FilterItem]:
    """The filter of an export of `kind` as people read it; a kind without `describe` (or no
    longer registered) shows its query parameters as they are."""
    spec = _KINDS.get(kind)
    if spec is None or spec.describe is None:
        return [FilterItem(str(k), str(v)) for k, v in query.items()]
    return spec.describe(query)


def filter_text(kind: str, query: dict) -> str:
    """`filter_items` on one line: "状态：已办结；部门：民政局", or "全部（未筛选）"."""
    return join_filter_items(filter_items(kind, query))


def with_filter_text(jobs) -> None:
    """Each job's filter in Chinese on `job.filter_text`, described once per kind and filter."""
    seen: dict[tuple[str, str], str] = {}
    for job in jobs:
        key = (job.kind, job.query_key)
        if key not in seen:
            seen[key] = filter_text(job.kind, job.query)
        job.filter_text = seen[key]


def kind_of(kind: str) -> ExportKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise DomainError("不支持导出该数据。", status=404) from None


def build_table(user, kind: str, query: dict) -> Table:
    spec = kind_of(kind)
    if not has_role(user, *spec.roles):
        raise PermissionDeniedError("没有导出该数据的权限。")
    return spec.build(user, query)


def write_xlsx(
    table: Table, target, *, progress: Callable[[int], bool | None] | None = None
) -> int:
    """Write `table` (at most MAX_ROWS rows) to `target` (a path or a binary file); returns the
    rows written. `progress(rows)` is called every PROGRESS_EVERY rows; when it answers False
    the rows end there (the workbook is closed properly: no temporary file of openpyxl's left
    behind, as an exception in the middle of writing would)."""
    written = 0
    rows = iter(table.rows)

    def counted() -> Iterator[Sequence]:
        nonlocal written
        for row in rows:
            if written == MAX_ROWS:
                return
            yield row
            written += 1
            if progress and written % PROGRESS_EVERY == 0 and progress(written) is False:
                return

    try:
        xlsx.save_table(
            target, table.title, table.headers, counted(), text_columns=table.text_columns
        )
    finally:  # rows left unread (an error, the cut): their database cursor is closed now
        if hasattr(rows, "close"):
            rows.close()
    return written


def audit_export(*, actor, kind: str, filename: str, query: dict, rows: int, **extra) -> None:
    """The audit entry of every export (who, which data, which filter, how many rows)."""
    after = {"file": filename, "filter": query, "rows": rows, **extra}
    if kind in _KINDS:
        after["filter_text"] = filter_text(kind, query)
    audit.record(actor=actor, action="data.export", object_type=kind, after=after)


# -- jobs ------------------------------------------------------------------------------------


def _query_key(kind: str, query: dict) -> str:
    text = json.dumps([kind, query], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _clean_query(query: dict) -> dict:
    """The filter as it is kept on the job: string keys and values, NUL bytes removed."""
    return {
        str(k).replace("\x00", "")[:100]: str(v).replace("\x00", "")[:500] for k, v in query.items()
    }


def start_export(*, actor, kind: str, query: dict, table: Table | None = None) -> ExportJob:
    """导出 in the background: the job, queued with it. The owner's job for the same table and
    filter that still waits or runs is returned instead of a second one (double click)."""
    query = _clean_query(query)
    table = table or build_table(actor, kind, query)
    key = _query_key(kind, query)
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                owner=actor,
                kind=kind,
                query=query,
                query_key=key,
                filename=table.filename(),
                total_rows=min(table.total, MAX_ROWS),
            )
            enqueue(run_export_task, job.pk)
    except IntegrityError:
        job = ExportJob.objects.filter(
            owner=actor, kind=kind, query_key=key, status__in=RUNNING
        ).first()
        if job is None:  # it finished in between: a new one
            return start_export(actor=actor, kind=kind, query=query, table=table)
    return job


def own_job(actor, job_id: int) -> ExportJob:
    """The actor's own job; any other (administrators' included) does not exist for them."""
    job = ExportJob.objects.filter(pk=job_id, owner=actor).first()
    if job is None:
        raise DomainError("找不到该导出任务。", status=404)
    return job


def retry_export(*, actor, job_id: int) -> ExportJob:
    """重新导出: a failed, cancelled or expired job's table and filter, as a new job."""
    job = own_job(actor, job_id)
    if job.is_running:
        return job
    if job.status == ExportJob.Status.DONE and job.file:
        raise DomainError("该导出已完成，可直接下载。", status=409)
    return start_export(actor=actor, kind=job.kind, query=job.query)


def cancel_export(*, actor, job_id: int) -> bool:
    """取消导出: a job still waiting never runs; a running one is marked now and its worker stops
    at its next progress point (every PROGRESS_EVERY rows), removing its partial file. Returns
    False when the job was cancelled already (a second click)."""
    job = own_job(actor, job_id)
    if job.status == ExportJob.Status.CANCELLED:
        return False
    if not job.is_running:
        raise DomainError(_NOT_CANCELLABLE.get(job.status, "该导出已结束，无法取消。"), status=409)
    now = timezone.now()
    with transaction.atomic():
        if not ExportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ExportJob.Status.CANCELLED, message=CANCELLED, finished_at=now, updated_at=now
        ):  # it went on meanwhile (started, finished, failed or cancelled): look again
            return cancel_export(actor=actor, job_id=job_id)
        audit.record(
            actor=actor,
            action="data.export_cancel",
            object_type=job.kind,
            object_id=str(job.pk),
            after={
                "file": job.filename,
                "status": job.get_status_display(),
                "rows": job.written_rows,
                "filter_text": filter_text(job.kind, job.query),
            },
        )
    return True


_NOT_CANCELLABLE = {
    ExportJob.Status.DONE: "该导出已完成，无法取消；不需要时可删除。",
    ExportJob.Status.FAILED: "该导出已失败结束，无需取消。",
}


def delete_export(*, actor, job_id: int) -> None:
    """删除: a finished or failed job and its file."""
    job = own_job(actor, job_id)
    if job.is_running:
        raise DomainError("导出进行中，完成后才能删除。", status=409)
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).delete()
        name = job.file
        transaction.on_commit(lambda: _remove(name))


def download(*, actor, job_id: int) -> tuple[Path, ExportJob]:
    """The file of the actor's finished job (the download is audited)."""
    job = own_job(actor, job_id)
    if job.status != ExportJob.Status.DONE:
        raise DomainError("导出尚未完成，暂无文件可下载。", status=409)
    path = _path(job.file) if job.file else None
    if path is None or not path.is_file():
        raise DomainError(EXPIRED, status=410)
    audit.record(
        actor=actor,
        action="data.export_download",
        object_type=job.kind,
        object_id=str(job.pk),
        after={"file": job.filename, "rows": job.written_rows},
    )
    return path, job


# -- the task ----------------------------------------------------------------------------------


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def _path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def _remove(name: str) -> None:
    if name:
        _path(name).unlink(missing_ok=True)


def _update(job_id: int, **fields) -> int:
    fields["updated_at"] = timezone.now()
    return ExportJob.objects.filter(pk=job_id).update(**fields)


def _fail(job: ExportJob, message: str) -> None:
    """Failed, unless it was cancelled meanwhile."""
    ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.FAILED,
        message=message,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


class ExportCancelled(Exception):
    """The job was cancelled (or failed by the recovery) while its worker wrote it: its
    file is not kept."""


def run_export(job_id: int) -> ExportJob:
    """Write one job's file. Runs only a job still waiting: a task delivered twice writes once."""
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING, updated_at=timezone.now()
    ):
        return ExportJob.objects.get(pk=job_id)
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    name = f"{FOLDER}/{job.pk}-{secrets.token_hex(8)}.xlsx"
    part = _path(name + ".part")
    # the progress on a connection of its own while this one streams the rows, unless a caller's
    # transaction holds the job's row (the tests' immediate backend)
    side = None if connection.in_atomic_block else SideConnection()
    try:
        if not job.owner.is_active:
            raise PermissionDeniedError("导出人的账号已停用。")
        table = build_table(job.owner, job.kind, job.query)
        _update(job.pk, total_rows=min(table.total, MAX_ROWS))
        part.parent.mkdir(parents=True, exist_ok=True)
        stopped: list[int] = []

        def progress(written: int) -> bool:
            if _progress(side, job.pk, written):
                return True
            stopped.append(written)
            return False

        rows = write_xlsx(table, part, progress=progress)
        if stopped:
            raise ExportCancelled
        os.replace(part, _path(name))
        _finish(job, table, name, rows)
    except ExportCancelled:
        log.info("export %s cancelled while running", job_id)
        _remove(name)
    except DomainError as exc:
        _fail(job, exc.message)
    except Exception:
        log.exception("export %s failed", job_id)
        _fail(job, SYSTEM_ERROR)
    finally:
        if side is not None:
            side.close()
        part.unlink(missing_ok=True)
    job.refresh_from_db()
    return job


def _progress(side: SideConnection | None, job_id: int, rows: int) -> bool:
    """The rows written so far; False when the job no longer runs (cancelled meanwhile)."""
    if side is None:
        running = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
            written_rows=rows, updated_at=timezone.now()
        )
    else:
        side.update(ExportJob, job_id, written_rows=rows, updated_at=timezone.now())
        running = _side_status(side, job_id) == ExportJob.Status.RUNNING
    return bool(running)


def _side_status(side: SideConnection, job_id: int) -> str | None:
    db = side.connection
    table = db.ops.quote_name(ExportJob._meta.db_table)
    with db.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {table} WHERE id = %s", [job_id])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


@transaction.atomic
def _finish(job: ExportJob, table: Table, name: str, rows: int) -> None:
    cut = f"数据共 {table.total} 条，Excel 单表最多 {MAX_ROWS} 行，仅导出前 {MAX_ROWS} 条。"
    now = timezone.now()
    if not ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.DONE,
        file=name,
        written_rows=rows,
        message=cut if table.total > MAX_ROWS else "",
        finished_at=now,
        updated_at=now,
    ):  # cancelled after the last progress point
        raise ExportCancelled
    audit_export(
        actor=job.owner,
        kind=job.kind,
        filename=job.filename,
        query=job.query,
        rows=rows,
        unmasked=table.unmasked,
        job=job.pk,
    )


@task(queue_name="exports")
def run_export_task(job_id: int) -> str:
    """The export as a task of the "exports" queue; returns the job's final status."""
    return run_export(job_id).status


RUN_EXPORT_TASK = run_export_task.module_path


# -- recovery and cleanup ----------------------------------------------------------------------


def recover_abandoned_exports(*, live: set[int] | None, now=None) -> int:
    """Jobs still marked waiting or running whose task no longer runs (`live`: the job ids of the
    tasks still queued or running; None when the backend cannot tell, then a job silent for
    STALE_AFTER counts as abandoned) → failed; their partial files are removed."""
    now = now or timezone.now()
    stale = now - (STALE_AFTER if live is None else RECOVERY_GRACE)
    failed = 0
    for job in ExportJob.objects.filter(status__in=RUNNING, updated_at__lt=stale):
        if live is not None and job.pk in live:
            continue
        if ExportJob.objects.filter(pk=job.pk, status__in=RUNNING).update(
            status=ExportJob.Status.FAILED, message=WORKER_LOST, finished_at=now, updated_at=now
        ):
            failed += 1
            for part in _folder().glob(f"{job.pk}-*.part"):
                part.unlink(missing_ok=True)
    if failed:
        log.warning("marked %d abandoned export(s) failed", failed)
    return failed


def cleanup_export_files(*, now=None) -> int:
    """Files written KEEP_FILES ago (their jobs stay, marked expired) and orphans older than a day
    that no job names (a crash between writing and recording). Returns the files deleted."""
    now = now or timezone.now()
    deleted = 0
    expired = ExportJob.objects.filter(
        status=ExportJob.Status.DONE, finished_at__lt=now - KEEP_FILES
    ).exclude(file="")
    for job in expired:
        _remove(job.file)
        _update(job.pk, file="", message=EXPIRED)
        deleted += 1
    folder = _folder()
    if folder.is_dir():
        named = {
            Path(n).name for n in ExportJob.objects.exclude(file="").values_list("file", flat=True)
        }
        running = {
            str(pk)
            for pk in ExportJob.objects.filter(status__in=RUNNING).values_list("pk", flat=True)
        }
        for path in folder.iterdir():
            if path.name in named or path.name.split("-", 1)[0] in running:
                continue
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
            if now - modified > ORPHAN_FILES_AFTER:
                path.unlink(missing_ok=True)
                deleted += 1
    return deleted
