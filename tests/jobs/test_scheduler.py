"""The schedules: declared once, each due run queued exactly once however many workers look."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chuangkou.jobs import scheduler
from chuangkou.jobs.models import Schedule
from chuangkou.jobs.schedules import BY_NAME, SCHEDULES, Periodic
from chuangkou.jobs.worker import run_worker

TZ = timezone.get_current_timezone()


def test_next_run_of_a_daily_and_an_interval_schedule():
    daily = Periodic("x", "x", "t", at=dt.time(2, 0))
    before = dt.datetime(2026, 3, 1, 1, 0, tzinfo=TZ)
    assert scheduler.next_run(daily, before) == dt.datetime(2026, 3, 1, 2, 0, tzinfo=TZ)
    at_time = dt.datetime(2026, 3, 1, 2, 0, tzinfo=TZ)
    assert scheduler.next_run(daily, at_time) == dt.datetime(2026, 3, 2, 2, 0, tzinfo=TZ)
    every = Periodic("y", "y", "t", every=dt.timedelta(minutes=5))
    assert scheduler.next_run(every, before) == before + dt.timedelta(minutes=5)
    assert daily.when == "每天 02:00" and every.when == "每 5 分钟"
    with pytest.raises(ValueError):
        Periodic("z", "z", "t")


def test_every_declared_task_exists_and_names_are_unique():
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    assert len(BY_NAME) == len(SCHEDULES)
    for spec in SCHEDULES:
        assert isinstance(import_string(spec.task), Task), spec.name


def test_the_pre_review_files_are_purged_daily():
    spec = BY_NAME["prereview_purge_files"]
    assert (
        spec.task == "chuangkou.prereview.tasks.purge_expired_files" and spec.when == "每天 01:20"
    )


@pytest.mark.django_db
def test_due_schedules_run_once_and_keep_their_outcome():
    now = timezone.now()
    scheduler.sync_schedules(now)
    assert Schedule.objects.count() == len(SCHEDULES)
    assert scheduler.run_due(now=now) == []  # nothing due yet: each first runs at its next time
    Schedule.objects.update(next_run_at=now - dt.timedelta(minutes=1))
    queued = scheduler.run_due(now=now, worker_id="w1")
    assert sorted(queued) == sorted(BY_NAME)  # every one ran (the tests' immediate backend)
    for row in Schedule.objects.all():
        assert row.last_outcome == Schedule.Outcome.SUCCEEDED, row.name
        assert row.last_run_at == now and row.next_run_at > now and row.claimed_by == "w1"
    assert scheduler.run_due(now=now) == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_records_the_outcome_of_a_scheduled_run(db_tasks):
    now = timezone.now()
    scheduler.sync_schedules(now)
    Schedule.objects.filter(name="audit_checkpoint").update(next_run_at=now)
    assert scheduler.run_due(now=now) == ["audit_checkpoint"]
    row = Schedule.objects.get(name="audit_checkpoint")
    assert row.last_outcome == Schedule.Outcome.QUEUED and row.last_task_id
    run_worker(batch=True, schedule=False)
    row.refresh_from_db()
    assert row.last_outcome == Schedule.Outcome.SUCCEEDED
    assert DBTaskResult.objects.get(pk=row.last_task_id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_queue_a_due_run_exactly_once(db_tasks):
    now = timezone.now()
    scheduler.sync_schedules(now)
    for round_ in range(4):
        Schedule.objects.filter(name="audit_checkpoint").update(
            next_run_at=now + dt.timedelta(hours=round_)
        )
        moment = now + dt.timedelta(hours=round_, minutes=1)
        row = Schedule.objects.get(name="audit_checkpoint")  # both read the same due run
        barrier, won, errors = threading.Barrier(2), [], []

        def claim(worker, row=row, moment=moment, barrier=barrier, won=won, errors=errors):
            try:
                barrier.wait()
                if scheduler.claim_and_enqueue(row, now=moment, worker_id=worker):
                    won.append(worker)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == [] and len(won) == 1, (won, errors)
    assert DBTaskResult.objects.count() == 4
