"""Queue the periodic jobs that are due, each run exactly once however many workers look.

Each schedule has a row (`Schedule`); a worker claims a due run with one compare-and-set update
(`next_run_at` still what it read → moved to the next run) and queues the task in the same
transaction, so either both happen or neither, and a second worker's update matches no row.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from chuangkou.core.tasks import enqueue_then

from .models import Schedule
from .schedules import BY_NAME, SCHEDULES, Periodic

log = logging.getLogger(__name__)


def next_run(spec: Periodic, after: dt.datetime) -> dt.datetime:
    """The first run of `spec` strictly after `after`."""
    if spec.every is not None:
        return after + spec.every
    local = timezone.localtime(after)
    candidate = timezone.make_aware(dt.datetime.combine(local.date(), spec.at))
    if candidate <= after:
        candidate = timezone.make_aware(
            dt.datetime.combine(local.date() + dt.timedelta(days=1), spec.at)
        )
    return candidate


def sync_schedules(now: dt.datetime | None = None) -> None:
    """A row for every declared schedule (a new one first runs at its next time)."""
    now = now or timezone.now()
    known = set(Schedule.objects.values_list("name", flat=True))
    missing = [s for s in SCHEDULES if s.name not in known]
    if missing:
        try:
            Schedule.objects.bulk_create(
                [Schedule(name=s.name, next_run_at=next_run(s, now)) for s in missing],
                ignore_conflicts=True,
            )
        except IntegrityError:  # another worker created them at the same moment
            pass


def run_due(*, now: dt.datetime | None = None, worker_id: str = "") -> list[str]:
    """Queue every due schedule this worker wins; returns their names."""
    now = now or timezone.now()
    sync_schedules(now)
    queued = []
    for row in Schedule.objects.filter(name__in=list(BY_NAME), next_run_at__lte=now):
        if claim_and_enqueue(row, now=now, worker_id=worker_id):
            queued.append(row.name)
    return queued


def claim_and_enqueue(row: Schedule, *, now: dt.datetime, worker_id: str = "") -> bool:
    spec = BY_NAME[row.name]
    with transaction.atomic():
        won = Schedule.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=next_run(spec, now),
            last_run_at=now,
            last_outcome=Schedule.Outcome.QUEUED,
            last_task_id="",
            claimed_by=worker_id[:64],
        )
        if not won:
            return False

        def remember(result) -> None:  # with Redis/RQ: after the commit, once it is sent
            fields = {"last_task_id": str(result.id)}
            if result.is_finished:  # the immediate backend ran it already
                fields["last_outcome"] = _outcome(result.status)
            Schedule.objects.filter(pk=row.pk).update(**fields)

        enqueue_then(remember, import_string(spec.task))
    log.info("queued scheduled job %s", row.name)
    return True


def _outcome(status) -> str:
    return Schedule.Outcome.SUCCEEDED if status == "SUCCESSFUL" else Schedule.Outcome.FAILED
