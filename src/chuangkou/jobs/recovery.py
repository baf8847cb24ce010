"""Jobs left "running" by a worker that died (killed, machine restarted) are marked failed.

Every worker process started by `chuangkou worker` writes a heartbeat (`WorkerBeat`) every
`BEAT_EVERY`; a task still RUNNING whose worker has been silent for `DEAD_AFTER` is marked FAILED
with the reason, and the app-level jobs it drove (case imports) are failed too, so their pages say
so and offer a retry. Tasks of workers that never wrote a heartbeat (a bare `db_worker`) are left
alone: nothing tells whether they are alive.
"""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat

log = logging.getLogger(__name__)

BEAT_EVERY = dt.timedelta(seconds=20)
DEAD_AFTER = dt.timedelta(minutes=2)
FORGET_BEATS_AFTER = dt.timedelta(days=7)
LOST_REASON = "处理进程已停止（被终止或服务器重启），任务未完成。"


class WorkerLost(Exception):
    """The reason recorded on a task whose worker died while running it."""


LOST_PATH = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def dead_worker_ids(now: dt.datetime) -> set[str]:
    return set(
        WorkerBeat.objects.filter(seen_at__lt=now - DEAD_AFTER).values_list("worker_id", flat=True)
    )


def fail_abandoned_tasks(now: dt.datetime | None = None) -> int:
    """Running tasks of dead workers → FAILED (only if still RUNNING: a conditional update)."""
    now = now or timezone.now()
    dead = dead_worker_ids(now)
    if not dead:
        return 0
    failed = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids"):
        if not result.worker_ids or result.worker_ids[-1] not in dead:
            continue
        failed += DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
            status="FAILED",
            finished_at=now,
            exception_class_path=LOST_PATH,
            traceback=f"{LOST_PATH}: {LOST_REASON}\n",
            return_value=None,
        )
    if failed:
        log.warning("marked %d task(s) of dead workers failed", failed)
    return failed


def live_task_ids(task_path: str) -> set[int] | None:
    """The first argument (a job's id) of each task of `task_path` still queued or running, or
    None when the backend keeps no task rows here (RQ: it cannot tell)."""
    from .worker import database_backend_in_use

    if not database_backend_in_use():
        return None
    live = DBTaskResult.objects.filter(
        task_path=task_path, status__in=["READY", "RUNNING"]
    ).values_list("args_kwargs", flat=True)
    return {a["args"][0] for a in live if a.get("args")}


def recover_abandoned(now: dt.datetime | None = None) -> dict[str, int]:
    """Everything a dead worker left behind; run when a worker starts and every few minutes."""
    from chuangkou.cases.imports.jobs import recover_abandoned_imports
    from chuangkou.core import exports

    now = now or timezone.now()
    tasks = fail_abandoned_tasks(now)
    imports = recover_abandoned_imports(now=now)
    live = live_task_ids(exports.RUN_EXPORT_TASK)
    exported = exports.recover_abandoned_exports(live=live, now=now)
    WorkerBeat.objects.filter(seen_at__lt=now - FORGET_BEATS_AFTER).delete()
    return {"tasks": tasks, "imports": imports, "exports": exported}
