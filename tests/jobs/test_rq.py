"""The task queue end to end on the Redis/RQ backend (TASKS_BACKEND=rq): a job queued inside a
transaction is sent to Redis only after the commit, `chuangkou worker` (django-rq's worker) runs it
and its outcome is read back through django-tasks.

Needs Redis (127.0.0.1:6379 here and in CI; CHUANGKOU_TEST_REDIS_URL to point elsewhere). Without
it these tests are skipped, or fail with a clear message when CHUANGKOU_REQUIRE_REDIS=1. Each test
uses a Redis database of its own (15 by default) and a queue name of its own, and removes its keys.
"""

import os
import uuid

import pytest
from django.db import transaction
from django_tasks import task_backends

from chuangkou.core.tasks import enqueue
from chuangkou.jobs.models import WorkerBeat
from chuangkou.jobs.worker import run_worker

from . import sample

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("CHUANGKOU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis():
    redis = pytest.importorskip("redis")
    pytest.importorskip("django_tasks_rq")
    conn = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        conn.ping()
    except redis.exceptions.RedisError as exc:
        message = f"Redis 不可用（{REDIS_URL}）：{exc}；RQ 后端的测试需要 Redis"
        if os.environ.get("CHUANGKOU_REQUIRE_REDIS") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return conn


@pytest.fixture
def rq_queue(settings):
    """TASKS switched to the RQ backend (the TASKS_BACKEND=rq shape of settings.py), on a queue of
    this test only; its Redis keys are removed afterwards."""
    conn = _redis()
    queue = f"cktest-{uuid.uuid4().hex[:12]}"
    queues = [*settings.TASK_QUEUES, queue]
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL} for name in queues}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": queues}}
    job_ids: list[str] = []
    yield queue, job_ids
    keys = list(conn.scan_iter(f"*{queue}*"))
    for job_id in job_ids:
        keys += list(conn.scan_iter(f"*{job_id}*"))
    if keys:
        conn.delete(*keys)
    for name in queues:  # the registries and the list of queues RQ keeps per queue
        for registry in ("finished", "failed", "started", "deferred", "scheduled", "canceled"):
            key = f"rq:{registry}:{name}"
            if job_ids:
                conn.zrem(key, *job_ids)
            if not conn.zcard(key):
                conn.delete(key)
        if not conn.llen(f"rq:queue:{name}"):
            conn.srem("rq:queues", f"rq:queue:{name}")
    conn.close()


def _rq(queue):
    import django_rq

    return django_rq.get_queue(queue)


def test_a_job_queued_in_a_transaction_is_sent_after_the_commit_and_run_by_the_rq_worker(rq_queue):
    queue, job_ids = rq_queue
    with transaction.atomic():
        assert enqueue(sample.add.using(queue_name=queue), 2, 3) is None
        assert _rq(queue).count == 0  # nothing in Redis while the data may still roll back
    assert _rq(queue).count == 1
    job_ids += _rq(queue).job_ids

    run_worker(queues=queue, batch=True, schedule=False, worker_id="test-rq-worker")

    assert _rq(queue).count == 0
    result = task_backends["default"].get_result(job_ids[0])
    assert result.status == "SUCCESSFUL" and result.return_value == 5
    assert result.worker_ids == ["test-rq-worker"]
    assert not WorkerBeat.objects.exists()  # a clean stop leaves no heartbeat behind


def test_a_job_queued_in_a_transaction_that_rolls_back_is_never_sent(rq_queue):
    queue, _ = rq_queue
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(sample.add.using(queue_name=queue), 1, 1)
        raise RuntimeError("rolled back")
    assert _rq(queue).count == 0


def test_a_failing_job_on_rq_is_failed_with_its_reason(rq_queue):
    queue, job_ids = rq_queue
    enqueue(sample.explode.using(queue_name=queue), "坏了")
    job_ids += _rq(queue).job_ids
    run_worker(queues=queue, batch=True, schedule=False)
    result = task_backends["default"].get_result(job_ids[0])
    assert result.status == "FAILED"
    assert result.errors and "坏了" in result.errors[-1].traceback


def test_a_scheduled_run_on_rq_keeps_its_job_id_and_outcome(rq_queue):
    """The scheduler queues inside its claim's transaction: on RQ the job is sent after the commit
    and its id is remembered then, so the worker's outcome still reaches the schedule row."""
    from django.utils import timezone

    from chuangkou.jobs import scheduler
    from chuangkou.jobs.models import Schedule

    _, job_ids = rq_queue
    now = timezone.now()
    scheduler.sync_schedules(now)
    Schedule.objects.filter(name="audit_checkpoint").update(next_run_at=now)
    row = Schedule.objects.get(name="audit_checkpoint")
    assert scheduler.claim_and_enqueue(row, now=now, worker_id="w1")
    row.refresh_from_db()
    assert row.last_outcome == Schedule.Outcome.QUEUED and row.last_task_id
    job_ids.append(row.last_task_id)
    assert row.last_task_id in _rq("default").job_ids

    run_worker(queues="default", batch=True, schedule=False)

    row.refresh_from_db()
    assert row.last_outcome == Schedule.Outcome.SUCCEEDED
    assert task_backends["default"].get_result(row.last_task_id).status == "SUCCESSFUL"
