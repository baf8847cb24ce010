"""The task queue end to end on the database backend (SQLite and PostgreSQL): a job queued in a
transaction runs on `chuangkou worker`, its outcome is kept; a worker that died is found."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chuangkou.cli import build_parser
from chuangkou.core.tasks import enqueue
from chuangkou.jobs import recovery
from chuangkou.jobs.models import WorkerBeat
from chuangkou.jobs.worker import run_worker

from . import sample

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_job_runs_end_to_end_on_the_database_backend(db_tasks):
    with transaction.atomic():
        result = enqueue(sample.add, 2, 3)
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    run_worker(batch=True, schedule=False, worker_id="test-worker")
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == 5
    assert result.worker_ids == ["test-worker"]
    assert not WorkerBeat.objects.exists()  # a clean stop leaves no heartbeat behind


def test_a_job_queued_in_a_transaction_that_rolls_back_never_runs(db_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(sample.add, 1, 1)
        raise RuntimeError("rolled back")
    assert not DBTaskResult.objects.exists()


def test_a_failing_job_is_failed_with_its_reason(db_tasks):
    result = enqueue(sample.explode, "坏了")
    run_worker(batch=True, schedule=False, queues="notify")
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED" and row.exception_class_path == "builtins.ValueError"
    assert "坏了" in row.traceback


def test_the_worker_takes_only_its_queues(db_tasks):
    other = enqueue(sample.add, 1, 2)  # queue "default"
    run_worker(batch=True, schedule=False, queues="imports")
    assert DBTaskResult.objects.get(pk=other.id).status == "READY"


def _running(worker_id: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [1, 2], "kwargs": {}},
        task_path=sample.add.module_path,
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
        started_at=timezone.now(),
        worker_ids=[worker_id],
    )


def test_running_jobs_of_a_dead_worker_are_marked_failed(db_tasks):
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="dead", seen_at=now - dt.timedelta(minutes=5))
    WorkerBeat.objects.create(worker_id="alive", seen_at=now)
    lost, busy, unknown = _running("dead"), _running("alive"), _running("bare-db-worker")
    assert recovery.fail_abandoned_tasks(now) == 1
    lost.refresh_from_db()
    assert lost.status == "FAILED" and lost.exception_class_path == recovery.LOST_PATH
    assert "处理进程已停止" in lost.traceback
    assert DBTaskResult.objects.get(pk=busy.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=unknown.pk).status == "RUNNING"  # no heartbeat: unknown
    assert recovery.fail_abandoned_tasks(now) == 0  # once


def test_a_starting_worker_recovers_what_a_dead_one_left(db_tasks):
    WorkerBeat.objects.create(worker_id="gone", seen_at=timezone.now() - dt.timedelta(minutes=10))
    lost = _running("gone")
    run_worker(batch=True, schedule=False)
    assert DBTaskResult.objects.get(pk=lost.pk).status == "FAILED"


@pytest.mark.parametrize(
    "argv",
    [
        ["worker", "--processes", "0"],
        ["worker", "--interval", "nan"],
        ["worker", "--processes", "x"],
    ],
)
def test_worker_options_are_checked(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(argv)
    assert exc.value.code == 2 and "应为正数" in capsys.readouterr().err


def test_serve_and_demo_start_a_worker_unless_told_not_to():
    args = build_parser().parse_args(["serve"])
    assert args.no_worker is False
    assert build_parser().parse_args(["demo", "--no-worker"]).no_worker is True


def test_rebuild_case_stats_in_the_background(db_tasks):
    from django.core.management import call_command

    call_command(
        "rebuild_case_stats", "--start", "2018-01-01", "--end", "2018-01-31", "--background"
    )
    task = DBTaskResult.objects.get()
    assert task.task_path == "chuangkou.cases.tasks.rebuild_case_stats"
    run_worker(batch=True, schedule=False)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", task.traceback
