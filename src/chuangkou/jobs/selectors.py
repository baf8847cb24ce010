import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django_tasks_db.models import DBTaskResult

from chuangkou.core.roles import Role, has_role

from .models import Schedule, WorkerBeat
from .recovery import DEAD_AFTER
from .schedules import SCHEDULES, Periodic


@dataclass
class ScheduleLine:
    spec: Periodic
    row: Schedule | None


def can_see_jobs(user) -> bool:
    return has_role(user, Role.SYSADMIN)


def schedules_visible_to(user) -> list[ScheduleLine]:
    if not can_see_jobs(user):
        return []
    rows = {r.name: r for r in Schedule.objects.all()}
    return [ScheduleLine(spec, rows.get(spec.name)) for spec in SCHEDULES]


def failed_tasks_visible_to(user) -> QuerySet[DBTaskResult]:
    if not can_see_jobs(user):
        return DBTaskResult.objects.none()
    return DBTaskResult.objects.failed().order_by("-finished_at")


def workers_visible_to(user, *, now) -> list[WorkerBeat]:
    if not can_see_jobs(user):
        return []
    return list(WorkerBeat.objects.filter(seen_at__gte=now - DEAD_AFTER))


def queue_counts_visible_to(user) -> dict[str, int]:
    if not can_see_jobs(user):
        return {}
    return {
        "ready": DBTaskResult.objects.ready().count(),
        "running": DBTaskResult.objects.running().count(),
    }


LATE_AFTER = dt.timedelta(minutes=15)


def schedule_problem(line: ScheduleLine, now: dt.datetime) -> str:
    """Why a periodic job wants the administrator's eye ("" when none): its last run failed, or
    its run is overdue (no worker queued it: the worker or its scheduler is not running)."""
    row = line.row
    if row is None:
        return "尚未排定"
    if row.last_outcome == Schedule.Outcome.FAILED:
        return "上次运行失败"
    if row.next_run_at < now - LATE_AFTER:
        return "已过运行时间未执行"
    return ""


def failure_reason(result: DBTaskResult) -> str:
    """The last line of the traceback: the exception and its message."""
    lines = [line for line in (result.traceback or "").splitlines() if line.strip()]
    return lines[-1][:300] if lines else result.exception_class_path
