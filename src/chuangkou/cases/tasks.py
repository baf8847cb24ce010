"""Background jobs of the cases app (django-tasks; queued with chuangkou.core.tasks.enqueue)."""

import datetime as dt

from django_tasks import task


@task()
def rebuild_case_stats(start: str, end: str) -> int:
    """办件日汇总 rebuilt for [start, end] (ISO dates): `rebuild_case_stats --background`."""
    from .services import rebuild_daily_stats

    return rebuild_daily_stats(
        actor=None, start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end)
    )
