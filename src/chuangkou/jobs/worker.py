"""`chuangkou worker`: the database worker of django-tasks-db (or, with TASKS_BACKEND=rq, the RQ
worker of django-rq), with a heartbeat and the scheduler.

One process runs jobs one at a time (the django-tasks-db `Worker`) in its main thread; a side
thread writes the heartbeat, queues the due schedules and recovers what dead workers left.
`--processes N` starts N such processes (only the first runs the scheduler; the schedule rows make
a second scheduler harmless anyway) and stops them together.
"""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from .models import WorkerBeat
from .recovery import BEAT_EVERY, recover_abandoned
from .scheduler import run_due

log = logging.getLogger(__name__)

SCHEDULER_EVERY = 15  # seconds between two looks at the schedules
RECOVER_EVERY = 60


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


def beat(worker_id: str) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "seen_at": timezone.now(),
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
        },
    )


def _quietly(what: str, func, *args, **kwargs):
    """A side-thread step that never kills the loop (a locked SQLite file, a lost connection)."""
    try:
        return func(*args, **kwargs)
    except OperationalError as exc:
        log.warning("%s: %s (retrying later)", what, exc)
    except Exception:
        log.exception("%s failed", what)
    return None


class SideThread(threading.Thread):
    """Heartbeat every BEAT_EVERY; with `schedule`, due schedules and recovery too."""

    def __init__(self, worker_id: str, *, schedule: bool):
        super().__init__(name="chuangkou-scheduler", daemon=True)
        self.worker_id = worker_id
        self.schedule = schedule
        self.stopping = threading.Event()

    def run(self) -> None:
        last_beat = last_recover = 0.0
        try:
            while not self.stopping.is_set():
                close_old_connections()
                now = time.monotonic()
                if now - last_beat >= BEAT_EVERY.total_seconds():
                    _quietly("heartbeat", beat, self.worker_id)
                    last_beat = now
                if self.schedule:
                    _quietly("scheduler", run_due, worker_id=self.worker_id)
                    if now - last_recover >= RECOVER_EVERY:
                        _quietly("recovery", recover_abandoned)
                        last_recover = now
                connection.close()
                self.stopping.wait(SCHEDULER_EVERY if self.schedule else BEAT_EVERY.total_seconds())
        finally:
            connection.close()


def database_backend_in_use() -> bool:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def run_rq_worker(
    *, queues: str = "*", batch: bool = False, max_tasks: int | None = None, worker_id: str
) -> None:
    """django-rq's worker on the task queues, with the job class django-tasks-rq needs.

    Called directly (not by name) so it works whether or not `django_rq` is an installed app.
    With `batch` it runs in burst mode (what is queued, then it stops) and in this process, without
    forking a work horse per job.
    """
    from django.core.management import call_command
    from django_rq.management.commands.rqworker import Command as RQWorker

    names = [q for q in queues.split(",") if q and q != "*"] or list(settings.TASK_QUEUES)
    options = {"job_class": "django_tasks_rq.Job", "name": worker_id, "burst": batch}
    if batch:
        options["worker_class"] = "rq.worker.SimpleWorker"
    if max_tasks:
        options["max_jobs"] = max_tasks
    call_command(RQWorker(), *names, **options)


def run_worker(
    *,
    queues: str = "*",
    interval: float = 1.0,
    schedule: bool = True,
    batch: bool = False,
    max_tasks: int | None = None,
    worker_id: str | None = None,
) -> None:
    """Run one worker process in this process until stopped (or, with `batch`, until idle)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS

    worker_id = worker_id or new_worker_id()
    beat(worker_id)
    _quietly("recovery", recover_abandoned)  # what a worker that died before us left behind
    side = SideThread(worker_id, schedule=schedule)
    if not batch:
        side.start()
    try:
        if not database_backend_in_use():  # Redis/RQ: its own worker runs the jobs
            run_rq_worker(queues=queues, batch=batch, max_tasks=max_tasks, worker_id=worker_id)
            return
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=queues.split(","),
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if not batch and threading.current_thread() is threading.main_thread():
            worker.configure_signals()
        worker.run()
    finally:
        side.stopping.set()
        # A clean stop is not a death: nothing of ours is left running.
        _quietly("heartbeat", WorkerBeat.objects.filter(worker_id=worker_id).delete)


def run_pool(*, processes: int, queues: str, interval: float, schedule: bool) -> int:
    """N worker processes (children of this one), stopped together on SIGINT/SIGTERM."""
    base = [sys.executable, "-m", "chuangkou.cli", "worker", "--processes", "1"]
    base += ["--queues", queues, "--interval", str(interval)]
    children = [
        subprocess.Popen(  # noqa: S603 (our own command)
            [*base, *([] if (schedule and i == 0) else ["--no-scheduler"])],
            start_new_session=True,  # stopped once, by us (see supervise)
        )
        for i in range(processes)
    ]
    return supervise(children)


def supervise(children: list[subprocess.Popen], *, stop_grace: float = 30.0) -> int:
    """Wait for the children; when one ends or a stop signal comes, stop them all cleanly.

    Each child gets one SIGTERM (a worker finishes its current job) and `stop_grace` seconds;
    a child still running then is killed (its job is recovered as failed by the next worker).
    """
    stopping = threading.Event()

    def on_signal(signum, frame):
        stopping.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stopping.is_set() and all(c.poll() is None for c in children):
            stopping.wait(0.5)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        stop_all(children, grace=stop_grace)
    codes = [c.returncode for c in children]
    return 0 if stopping.is_set() else next((c for c in codes if c), 0)


def stop_all(children: list[subprocess.Popen], *, grace: float = 10.0) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
