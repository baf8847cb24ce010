"""后台导出 (core.exports) through the 受理件 list: a large export becomes a job written by the
task worker, with its progress page; only its owner downloads the file (audited); one job per
double click; a failure or a dead worker leaves a failed job and no file, and it can be run again;
old files are cleaned up."""

import contextlib
import datetime as dt
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from chuangkou.cases import transfer
from chuangkou.cases.models import Case
from chuangkou.core import exports
from chuangkou.core import xlsx as xlsx_module
from chuangkou.core.models import AuditEntry, ExportJob
from chuangkou.core.roles import Role
from chuangkou.jobs import recovery
from chuangkou.jobs.worker import run_worker
from tests.factories import UserFactory

from .conftest import accept_at_window, at, person_id


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # this test's files only
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def small_inline(monkeypatch):
    """Exports of more than 2 rows go to the background (instead of 10,000)."""
    monkeypatch.setattr(exports, "INLINE_ROWS", 2)


@pytest.fixture
def five_cases(hall):
    return [
        accept_at_window(hall, at("2018-03-05", 9 + n), applicant_id=person_id(n)) for n in range(5)
    ]


def _files(media: Path) -> list[str]:
    folder = media / exports.FOLDER
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))


def _job(hall, **query) -> ExportJob:
    return exports.start_export(actor=hall.admin, kind="cases.case", query=query)


def test_a_small_export_is_answered_at_once(hall, five_cases, client_as, media):
    response = client_as(hall.admin).get("/cases/", {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(_sheet_rows(response.content)) == 5
    assert not ExportJob.objects.exists()
    entry = AuditEntry.objects.get(action="data.export")
    assert entry.object_type == "cases.case" and entry.after["rows"] == 5
    assert entry.after["filter"] == {} and entry.after["filter_text"] == "全部（未筛选）"


def test_a_large_export_becomes_a_job_its_owner_downloads(
    hall, five_cases, client_as, media, small_inline
):
    client = client_as(hall.admin)
    response = client.get("/cases/", {"export": "xlsx", "status": "accepted", "page": "2"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    # the immediate backend of the tests ran it at once (a worker that never lags)
    assert job.status == ExportJob.Status.DONE and job.written_rows == 5
    assert job.query == {"status": "accepted"}  # the filter, not the page
    assert job.filename == f"受理件_{timezone.localdate():%Y%m%d}.xlsx"
    page = client.get(response["Location"]).content.decode()
    assert "共 5 条，数据较多，已转入后台导出" in page and "已导出 5 条" in page
    assert 'data-testid="export-download"' in page and "hx-trigger" not in page

    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    rows = _sheet_rows(b"".join(download.streaming_content))
    assert sorted(r[0] for r in rows) == sorted(c.number for c in five_cases)
    assert all("*" in r[9] for r in rows)  # ID numbers masked
    made = AuditEntry.objects.get(action="data.export")
    assert made.actor == hall.admin and made.after["job"] == job.pk and made.after["rows"] == 5
    assert made.after["filter"] == {"status": "accepted"}
    assert made.after["filter_text"] == "状态：已受理"  # as people read it
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert "筛选条件" in page and "状态：已受理" in page and "status=accepted" not in page
    assert 'title="状态：已受理"' in client.get("/exports/").content.decode()
    assert AuditEntry.objects.filter(action="data.export_download", object_id=str(job.pk)).count()

    # nobody else, administrators included, sees or downloads it
    sysadmin = UserFactory(roles=[Role.SYSADMIN, Role.CENTER_ADMIN])
    for other in (hall.clerk_a1, sysadmin):
        other_client = client_as(other)
        assert other_client.get(f"/exports/{job.pk}/").status_code == 404
        assert other_client.get(f"/exports/{job.pk}/download/").status_code == 404
        assert other_client.post(f"/exports/{job.pk}/delete/").status_code == 404
        assert job.filename not in other_client.get("/exports/").content.decode()
    assert job.filename in client.get("/exports/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_job_on_the_exports_queue(hall, five_cases, settings, media):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    job = _job(hall)
    task = DBTaskResult.objects.get()
    assert task.queue_name == "exports" and task.args_kwargs["args"] == [job.pk]
    assert job.status == ExportJob.Status.PENDING and job.total_rows == 5
    run_worker(batch=True, schedule=False)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.written_rows == 5
    assert _files(media) == [Path(job.file).name]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == "done"
    exports.run_export(job.pk)  # delivered twice: written once
    assert AuditEntry.objects.filter(action="data.export").count() == 1


def test_a_double_click_makes_one_job(hall, five_cases, settings, media):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    first, second = _job(hall, status="accepted"), _job(hall, status="accepted")
    assert first.pk == second.pk and ExportJob.objects.count() == 1
    assert _job(hall, status="completed").pk != first.pk  # another filter: another job
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the rule
        ExportJob.objects.create(owner=hall.admin, kind="cases.case", query_key=first.query_key)


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_job(hall, five_cases, settings, media):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    barrier, made, errors = threading.Barrier(4), [], []

    def click():
        try:
            barrier.wait(timeout=30)
            made.append(_job(hall).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and len(set(made)) == 1 and ExportJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failure_leaves_a_failed_job_and_no_file_and_can_run_again(
    hall, five_cases, client_as, media, monkeypatch, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    job = _job(hall)

    def disk_full(target, title, headers, rows, **kwargs):
        Path(target).write_bytes(b"PK half a workbook")
        next(iter(rows)), next(iter(rows))  # two rows read: the database cursor is open
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports.xlsx, "save_table", disk_full)
    run_worker(batch=True, schedule=False)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.message == exports.SYSTEM_ERROR
    assert _files(media) == [] and not AuditEntry.objects.filter(action="data.export").exists()
    client = client_as(hall.admin)
    assert 'data-testid="export-retry"' in client.get(f"/exports/{job.pk}/").content.decode()
    assert client.get(f"/exports/{job.pk}/download/").status_code == 302  # nothing to download

    monkeypatch.undo()
    settings.MEDIA_ROOT = media
    response = client.post(f"/exports/{job.pk}/retry/")
    again = ExportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/exports/{again.pk}/"
    run_worker(batch=True, schedule=False)
    again.refresh_from_db()
    assert again.status == ExportJob.Status.DONE and again.written_rows == 5


@pytest.mark.django_db(transaction=True)
@contextlib.contextmanager
def _journal(mode: str):
    """SQLite's journal mode for a while (WAL, as deployed, whatever an earlier test left)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        before = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        cursor.execute(f"PRAGMA journal_mode={mode}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA journal_mode={before}")


@pytest.mark.django_db(transaction=True)
def test_the_progress_is_written_while_other_writers_go_on(hall, five_cases, media, monkeypatch):
    """Found in the demo: on SQLite the connection streaming the rows could not write the
    progress once another connection had written meanwhile ("database is locked")."""
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(exports, "CHUNK", 2)  # the query's statement stays open between rows
    job = ExportJob.objects.create(owner=hall.admin, kind="cases.case", query_key="w")
    other = connections.create_connection("default")  # another writer, such as a clerk
    uid = hall.clerk_a1.pk
    row = transfer._row

    def row_while_another_writes(case):
        with other.cursor() as cursor:
            cursor.execute("UPDATE core_user SET last_name = %s WHERE id = %s", [case.number, uid])
        return row(case)

    monkeypatch.setattr(transfer, "_row", row_while_another_writes)
    with _journal("wal"):  # as a deployment runs SQLite (settings: init_command)
        try:
            job = exports.run_export(job.pk)
        finally:
            other.close()
    assert job.status == ExportJob.Status.DONE, job.message
    assert job.written_rows == 5


@pytest.mark.django_db(transaction=True)
def test_a_role_taken_away_before_the_run_stops_the_export(hall, five_cases, settings, media):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    clerk = hall.clerk_a1
    job = exports.start_export(actor=clerk, kind="cases.case", query={})
    clerk.groups.clear()
    clerk = type(clerk).objects.get(pk=clerk.pk)
    run_worker(batch=True, schedule=False)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "权限" in job.message
    assert _files(media) == []


def test_the_clerk_exports_only_their_own_cases(hall, five_cases, media):
    other = accept_at_window(hall, at("2018-03-06", 9), clerk=hall.clerk_b1, matter=hall.matter_b)
    job = exports.start_export(actor=hall.clerk_a1, kind="cases.case", query={})
    job.refresh_from_db()
    path = Path(settings.MEDIA_ROOT) / job.file
    numbers = [r[0] for r in _sheet_rows(path.read_bytes())]
    assert other.number not in numbers and len(numbers) == 5


def test_rows_beyond_an_excel_sheet_are_cut_and_said(hall, five_cases, media, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 3)
    job = _job(hall)
    job.refresh_from_db()
    assert job.written_rows == 3 and "仅导出前 3 条" in job.message
    assert job.filename.endswith("_前3条.xlsx")
    assert len(_sheet_rows((Path(settings.MEDIA_ROOT) / job.file).read_bytes())) == 3


def test_statements_do_not_grow_with_the_rows(hall, media):
    def statements(count: int) -> int:
        for n in range(count):
            accept_at_window(hall, at("2018-03-05", 9), applicant_id=person_id(100 + n))
        with CaptureQueriesContext(connection) as queries:
            _job(hall)
        return len(queries)

    statements(1)  # the first export of a process reads a few things once
    assert statements(2) == statements(10)


def test_a_job_of_a_dead_worker_is_failed_and_its_partial_file_removed(hall, media):
    job = ExportJob.objects.create(
        owner=hall.admin, kind="cases.case", query_key="k", status=ExportJob.Status.RUNNING
    )
    young = ExportJob.objects.create(owner=hall.admin, kind="cases.case", query_key="y")
    live = ExportJob.objects.create(
        owner=hall.admin, kind="cases.case", query_key="l", status=ExportJob.Status.RUNNING
    )
    part = media / exports.FOLDER / f"{job.pk}-abc.xlsx.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"half")
    later = timezone.now() + exports.RECOVERY_GRACE + dt.timedelta(seconds=5)
    ExportJob.objects.filter(pk=young.pk).update(updated_at=later)
    assert exports.recover_abandoned_exports(live={live.pk}, now=later) == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.message == exports.WORKER_LOST
    assert not part.exists()
    assert ExportJob.objects.get(pk=young.pk).status == ExportJob.Status.PENDING
    assert ExportJob.objects.get(pk=live.pk).status == ExportJob.Status.RUNNING
    # without a backend that can tell (RQ), only a job silent for half an hour counts
    assert exports.recover_abandoned_exports(live=None, now=later) == 0
    assert recovery.recover_abandoned(later + exports.STALE_AFTER)["exports"] == 1  # "live"


def test_old_files_and_orphans_are_cleaned_up(hall, five_cases, media):
    job = _job(hall)
    job.refresh_from_db()
    path = media / job.file
    orphan = media / exports.FOLDER / "77-dead.xlsx"
    orphan.write_bytes(b"x")
    now = timezone.now()
    assert exports.cleanup_export_files(now=now) == 0  # a fresh file and a young orphan stay
    later = now + exports.KEEP_FILES + dt.timedelta(days=1)
    assert exports.cleanup_export_files(now=later) == 2
    job.refresh_from_db()
    assert not path.exists() and not orphan.exists()
    assert job.file == "" and job.message == exports.EXPIRED
    assert job.status == ExportJob.Status.DONE  # the record stays


def test_an_expired_job_is_exported_again_and_a_finished_one_deleted(
    hall, five_cases, client_as, media, django_capture_on_commit_callbacks
):
    client = client_as(hall.admin)
    job = _job(hall)
    job.refresh_from_db()
    again = client.post(f"/exports/{job.pk}/retry/", follow=True)  # finished: download instead
    assert "该导出已完成，可直接下载。" in again.content.decode()
    exports.cleanup_export_files(now=timezone.now() + exports.KEEP_FILES + dt.timedelta(days=1))
    expired = client.get(f"/exports/{job.pk}/").content.decode()
    assert exports.EXPIRED in expired and "已过期" in client.get("/exports/").content.decode()
    assert client.get(f"/exports/{job.pk}/download/").status_code == 302
    response = client.post(f"/exports/{job.pk}/retry/")
    fresh = ExportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/exports/{fresh.pk}/" and fresh.status == "done"

    path = media / fresh.file
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/exports/{fresh.pk}/delete/")
    assert (
        response["Location"] == "/exports/" and not ExportJob.objects.filter(pk=fresh.pk).exists()
    )
    assert not path.exists()
    assert client.get(f"/exports/{fresh.pk}/").status_code == 404


def test_bad_requests_get_a_clear_answer(hall, client_as, media):
    client = client_as(hall.admin)
    assert client.get("/exports/abc/").status_code == 404
    assert client.get("/exports/0/").status_code == 404
    assert client.get(f"/exports/{2**63}/download/").status_code == 404
    assert client.get("/exports/", {"page": "\x00"}).status_code == 400  # NUL: refused
    running = ExportJob.objects.create(owner=hall.admin, kind="cases.case", query_key="r")
    answer = client.get(f"/exports/{running.pk}/download/", follow=True).content.decode()
    assert "导出尚未完成" in answer
    refused = client.post(f"/exports/{running.pk}/delete/", follow=True).content.decode()
    assert "完成后才能删除" in refused
    assert 'hx-trigger="every 1s"' in client.get(f"/exports/{running.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in client.get("/exports/").content.decode()
    unknown = ExportJob.objects.create(
        owner=hall.admin, kind="no.such", query_key="u", status=ExportJob.Status.FAILED
    )
    assert (
        "不支持导出" in client.post(f"/exports/{unknown.pk}/retry/", follow=True).content.decode()
    )
    assert Case.objects.count() == 0


# -- 筛选条件 on the pages and 取消导出 -----------------------------------------------------------


@pytest.fixture
def queued(settings):
    """Jobs wait in the database queue (no worker runs them)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def test_the_job_pages_show_the_filter_in_chinese(hall, five_cases, client_as, media, queued):
    client = client_as(hall.admin)
    job = _job(hall, status="completed", department=str(hall.dept_a.pk), page="x")
    other = _job(hall)
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert "状态：已办结；部门：市场监管局" in page
    assert "department=" not in page and "completed" not in page
    listed = client.get("/exports/").content.decode()
    assert 'title="状态：已办结；部门：市场监管局"' in listed
    assert "全部（未筛选）" in client.get(f"/exports/{other.pk}/").content.decode()
    assert "全部（未筛选）" in listed


def test_a_waiting_job_is_cancelled_at_once_and_can_be_exported_again(
    hall, five_cases, client_as, media, queued
):
    client = client_as(hall.admin)
    job = _job(hall, status="accepted")
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert 'data-testid="export-cancel"' in page and "data-confirm=" in page
    assert 'data-testid="export-cancel"' in client.get("/exports/").content.decode()

    response = client.post(f"/exports/{job.pk}/cancel/")
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.CANCELLED and job.finished_at is not None
    entry = AuditEntry.objects.get(action="data.export_cancel")
    assert entry.actor == hall.admin and entry.object_id == str(job.pk)
    assert entry.after["filter_text"] == "状态：已受理" and entry.after["status"] == "排队中"
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert "已取消该导出。" in page and "已取消" in page and 'data-testid="export-retry"' in page
    assert 'data-testid="export-cancel"' not in page and "hx-trigger" not in page
    listed = client.get("/exports/").content.decode()
    assert "已取消" in listed and "hx-trigger" not in listed

    # a second click (or the task delivered now) changes nothing
    again = client.post(f"/exports/{job.pk}/cancel/", follow=True).content.decode()
    assert "该导出已取消。" in again
    assert AuditEntry.objects.filter(action="data.export_cancel").count() == 1
    assert exports.run_export(job.pk).status == ExportJob.Status.CANCELLED
    assert _files(media) == [] and not AuditEntry.objects.filter(action="data.export").exists()

    # the same table and filter again: a new job (a cancelled one does not hold the place)
    response = client.post(f"/exports/{job.pk}/retry/")
    fresh = ExportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/exports/{fresh.pk}/"
    assert fresh.status == ExportJob.Status.PENDING and fresh.query == job.query
    # cancelled from the list: back to the list
    response = client.post(f"/exports/{fresh.pk}/cancel/", {"back": "list"})
    assert response["Location"] == "/exports/"
    assert ExportJob.objects.get(pk=fresh.pk).status == ExportJob.Status.CANCELLED
    assert _job(hall, status="accepted").pk not in (job.pk, fresh.pk)


def _cancel_meanwhile(hall, monkeypatch, at_row: int) -> list:
    """While the worker writes row `at_row`, the owner cancels the job (from another connection,
    as a request would)."""
    seen, errors, row = [], [], transfer._row

    def cancel(job_id):
        try:
            assert exports.cancel_export(actor=hall.admin, job_id=job_id)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    def row_then_cancel(case):
        seen.append(case.pk)
        if len(seen) == at_row:
            job_id = ExportJob.objects.values_list("pk", flat=True).get()
            thread = threading.Thread(target=cancel, args=[job_id])
            thread.start()
            thread.join(timeout=60)
        return row(case)

    monkeypatch.setattr(transfer, "_row", row_then_cancel)
    return errors


@pytest.mark.parametrize("at_row", [3, 5], ids=["between-progress-points", "after-the-last"])
@pytest.mark.django_db(transaction=True)
def test_a_running_job_stops_at_its_next_progress_point(
    hall, five_cases, settings, media, monkeypatch, at_row
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(exports, "CHUNK", 2)
    monkeypatch.setattr(xlsx_module, "_WIDTH_SAMPLE", 1)  # rows are written as they are read
    job = _job(hall)
    errors = _cancel_meanwhile(hall, monkeypatch, at_row)
    with _journal("wal"):
        run_worker(batch=True, schedule=False)
    assert errors == []
    job.refresh_from_db()
    assert job.status == ExportJob.Status.CANCELLED and job.file == ""
    assert _files(media) == []  # neither the partial file nor a finished one
    assert not AuditEntry.objects.filter(action="data.export").exists()
    entry = AuditEntry.objects.get(action="data.export_cancel")
    assert entry.after["status"] == "导出中"
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL" and task.return_value == "cancelled"


def test_a_job_cancelled_under_the_immediate_backend_stops_too(
    hall, five_cases, media, monkeypatch
):
    """Without a side connection (the job's row held by the caller's transaction)."""
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    job = ExportJob.objects.create(owner=hall.admin, kind="cases.case", query_key="i")
    row = transfer._row

    def row_cancelled(case):
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.CANCELLED)
        return row(case)

    monkeypatch.setattr(transfer, "_row", row_cancelled)
    assert exports.run_export(job.pk).status == ExportJob.Status.CANCELLED
    assert _files(media) == [] and not AuditEntry.objects.filter(action="data.export").exists()


def test_only_the_owner_cancels_and_a_finished_job_says_why_not(
    hall, five_cases, client_as, media, queued
):
    waiting = _job(hall)
    sysadmin = UserFactory(roles=[Role.SYSADMIN, Role.CENTER_ADMIN])
    for other in (hall.clerk_a1, sysadmin):
        assert client_as(other).post(f"/exports/{waiting.pk}/cancel/").status_code == 404
    assert ExportJob.objects.get(pk=waiting.pk).status == ExportJob.Status.PENDING

    client = client_as(hall.admin)
    done = ExportJob.objects.create(
        owner=hall.admin, kind="cases.case", query_key="d", status=ExportJob.Status.DONE
    )
    failed = ExportJob.objects.create(
        owner=hall.admin, kind="cases.case", query_key="f", status=ExportJob.Status.FAILED
    )
    answer = client.post(f"/exports/{done.pk}/cancel/", follow=True)
    assert answer.status_code == 200 and "该导出已完成，无法取消" in answer.content.decode()
    answer = client.post(f"/exports/{failed.pk}/cancel/", {"back": "list"}, follow=True)
    assert answer.status_code == 200 and "已失败结束，无需取消" in answer.content.decode()
    assert ExportJob.objects.get(pk=done.pk).status == ExportJob.Status.DONE
    assert ExportJob.objects.get(pk=failed.pk).status == ExportJob.Status.FAILED
    assert not AuditEntry.objects.filter(action="data.export_cancel").exists()

    for bad in ("abc", "0", str(2**63), "-1", "99999999999999999999"):
        assert client.post(f"/exports/{bad}/cancel/").status_code == 404, bad
    assert client.get(f"/exports/{waiting.pk}/cancel/").status_code == 405
    cancelled = client.post(f"/exports/{waiting.pk}/cancel/", {"back": "\x00"})
    assert cancelled.status_code in (302, 400)  # NUL in the body: refused or ignored, never 500
