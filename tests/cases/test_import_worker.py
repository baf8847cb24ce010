"""历史办件导入 on the task queue: queued with the job, run by `chuangkou worker`; a job that dies
(killed worker, system error) is failed with its reason, leaves nothing written, keeps only its
upload for the retry, and a retry imports every row once."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chuangkou.cases import imports
from chuangkou.cases.imports import jobs
from chuangkou.cases.models import Case, ImportJob
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.jobs import recovery
from chuangkou.jobs.worker import run_worker

from .test_imports import good_rows, to_csv

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # this test's files only
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def _upload(hall, rows=None) -> ImportJob:
    content = to_csv(rows if rows is not None else good_rows(hall))
    return imports.start_import(
        actor=hall.admin, upload=SimpleUploadedFile("历史办件.csv", content)
    )


def _files() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "cases" / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_import_is_queued_with_the_job_and_run_by_the_worker(hall, db_tasks):
    job = _upload(hall)
    task = DBTaskResult.objects.get()
    assert task.queue_name == "imports" and task.args_kwargs["args"] == [job.pk]
    assert job.status == ImportJob.Status.PENDING and len(_files()) == 1
    run_worker(batch=True, schedule=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, (job.message, job.errors)
    assert Case.objects.filter(import_job=job).count() == 3
    assert not job.file and _files() == []
    assert DBTaskResult.objects.get().return_value == "done"


def test_a_job_delivered_twice_imports_once(hall, db_tasks):
    job = _upload(hall)
    jobs.launch(job.pk)  # the same job queued again
    run_worker(batch=True, schedule=False)
    assert Case.objects.filter(import_job=job).count() == 3
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def _kill_mid_write(hall, tmp_path) -> ImportJob:
    job = _upload(hall)
    marker = tmp_path / "writing"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "tests.cases.killable_import_worker",
            str(connection.settings_dict["NAME"]),
            str(settings.MEDIA_ROOT),
            str(marker),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 180
        while not marker.exists():
            assert worker.poll() is None, "the worker ended before the write"
            assert time.monotonic() < deadline, "the worker never reached the write"
            time.sleep(0.2)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.WRITING
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(60)
    return job


def test_an_import_killed_mid_write_leaves_nothing_and_a_retry_imports_every_row_once(
    hall, db_tasks, tmp_path
):
    cases_before = Case.objects.count()
    job = _kill_mid_write(hall, tmp_path)
    assert Case.objects.count() == cases_before  # the write was one transaction: rolled back
    task = DBTaskResult.objects.get()
    assert task.status == "RUNNING"  # until someone notices the worker is gone

    later = timezone.now() + recovery.DEAD_AFTER + dt.timedelta(seconds=30)
    assert recovery.recover_abandoned(later) == {"tasks": 1, "imports": 1, "exports": 0}
    job.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == recovery.LOST_PATH
    assert job.status == ImportJob.Status.FAILED and job.message == jobs.WORKER_LOST
    assert _files() == [Path(job.file.name).name]  # only the upload, kept for the retry
    aborted = AuditEntry.objects.filter(action="cases.import").latest("pk")
    assert aborted.after["result"] == "aborted"

    imports.retry_import(actor=hall.admin, job_id=job.pk)
    run_worker(batch=True, schedule=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created == 3
    numbers = list(Case.objects.filter(import_job=job).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 3
    assert Case.objects.count() == cases_before + 3
    assert not job.file and _files() == []
    assert AuditEntry.objects.filter(action="cases.import_retry").count() == 1


def test_a_system_error_keeps_the_file_for_a_retry(hall, db_tasks, monkeypatch):
    job = _upload(hall)

    def broken(checker):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "add_daily_counts", broken)
    run_worker(batch=True, schedule=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.message == jobs.SYSTEM_ERROR
    assert job.file and len(_files()) == 1 and not Case.objects.filter(import_job=job).exists()
    monkeypatch.undo()
    imports.retry_import(actor=hall.admin, job_id=job.pk)
    with pytest.raises(DomainError, match="只有因系统原因未完成"):  # already queued again
        imports.retry_import(actor=hall.admin, job_id=job.pk)
    run_worker(batch=True, schedule=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Case.objects.filter(import_job=job).count() == 3


def test_a_rejected_file_is_removed_and_cannot_be_retried(hall, db_tasks):
    rows = good_rows(hall)
    rows[0]["事项编码"] = "NOPE"
    job = _upload(hall, rows)
    run_worker(batch=True, schedule=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.error_count and _files() == []
    with pytest.raises(DomainError):
        imports.retry_import(actor=hall.admin, job_id=job.pk)


def test_discarding_deletes_the_kept_file(hall, db_tasks):
    job = _upload(hall)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED)
    DBTaskResult.objects.all().delete()
    with pytest.raises(PermissionDeniedError):
        imports.discard_import(actor=hall.head_a, job_id=job.pk)
    imports.discard_import(actor=hall.admin, job_id=job.pk)
    job.refresh_from_db()
    assert not job.file and _files() == []
    assert AuditEntry.objects.filter(action="cases.import_discard").count() == 1
    with pytest.raises(DomainError):
        imports.retry_import(actor=hall.admin, job_id=job.pk)


def test_a_queued_import_is_not_taken_for_abandoned(hall, db_tasks):
    job = _upload(hall)
    assert jobs.recover_abandoned_imports(now=timezone.now() + dt.timedelta(days=1)) == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PENDING


def test_old_kept_files_and_orphans_are_cleaned_up(hall, db_tasks):
    job = _upload(hall)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now() - dt.timedelta(days=8)
    )
    orphan = Path(settings.MEDIA_ROOT) / "cases" / "imports" / "orphan.csv"
    orphan.write_bytes(b"x")
    old = time.time() - 2 * 86400
    os.utime(orphan, (old, old))
    assert jobs.cleanup_import_files() == 2
    assert _files() == []


def test_retry_and_discard_pages(hall, db_tasks, client_as):
    job = _upload(hall)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, message="中断")
    DBTaskResult.objects.all().delete()
    client = client_as(hall.admin)
    page = client.get(f"/cases/import/{job.pk}/").content.decode()
    assert 'data-testid="import-retry"' in page and "重试导入" in page
    response = client.post(f"/cases/import/{job.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/cases/import/{job.pk}/"
    assert DBTaskResult.objects.count() == 1
    again = client.post(f"/cases/import/{job.pk}/retry/", follow=True).content.decode()
    assert "只有因系统原因未完成" in again
    assert client.post(f"/cases/import/{job.pk}/nonsense/").status_code == 404
    assert client.post("/cases/import/99999999999999999999/retry/").status_code == 404
    assert client.get(f"/cases/import/{job.pk}/retry/").status_code == 405
    assert client_as(hall.head_a).post(f"/cases/import/{job.pk}/discard/").status_code == 403


@pytest.mark.browser
def test_retrying_an_import_in_the_browser(page, hall, db_tasks, settings):
    from tests.browser.fixtures import fits, login, screenshot

    settings.OTP_REQUIRED_ROLES = []
    job = _upload(hall)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, message=jobs.WORKER_LOST
    )
    DBTaskResult.objects.all().delete()
    login(page, hall.admin.username)
    for width, label in ((1366, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/cases/import/{job.pk}/")
        page.get_by_test_id("import-retry").wait_for()
        fits(page, width)
        screenshot(page, f"cases-import-failed-{label}")
    page.get_by_role("button", name="重试导入").click()
    page.get_by_text("等待后台任务处理进程开始").wait_for(timeout=30_000)
    screenshot(page, "cases-import-retried-phone")
    assert DBTaskResult.objects.get().args_kwargs["args"] == [job.pk]
