"""Home card of the system administrator: whether the background work is running (后台任务)."""

import datetime as dt

from django.utils import timezone

from chuangkou.core.home import HomeCard
from chuangkou.core.roles import Role

from . import selectors

FAILED_WINDOW = dt.timedelta(days=7)


def background_health(user) -> dict | None:
    """Live workers, queued and running jobs, failures of the last 7 days and the periodic jobs
    that failed or are overdue."""
    if not selectors.can_see_jobs(user):
        return None
    now = timezone.now()
    failed = selectors.failed_tasks_visible_to(user).filter(finished_at__gte=now - FAILED_WINDOW)
    lines = selectors.schedules_visible_to(user)
    attention = []
    for line in lines:
        problem = selectors.schedule_problem(line, now)
        if problem:
            attention.append({"label": line.spec.label, "problem": problem, "row": line.row})
    never_scheduled = all(line.row is None for line in lines)
    return {
        "workers": len(selectors.workers_visible_to(user, now=now)),
        "counts": selectors.queue_counts_visible_to(user),
        "failed_week": failed.count(),
        "never_scheduled": never_scheduled,
        "attention": [] if never_scheduled else attention,
    }


CARDS = [HomeCard("jobs/_home_health.html", (Role.SYSADMIN,), background_health, order=20)]
