"""The periodic jobs (see schedules.py) as django-tasks tasks: each calls the service it names.

They run in the worker with no person behind them (actor None, as their management commands do)
and return a JSON value the 后台任务 page and the task record keep.
"""

import datetime as dt

from django.utils import timezone
from django_tasks import task


@task()
def recover_abandoned_jobs() -> dict:
    from .recovery import recover_abandoned

    return recover_abandoned()


@task()
def audit_checkpoint() -> int:
    from chuangkou.core.checkpoints import write_checkpoint

    return len(write_checkpoint())


@task()
def feedback_flag_overdue() -> int:
    from chuangkou.feedback.services import flag_overdue

    return flag_overdue()


@task()
def feedback_escalate_overdue() -> int:
    from chuangkou.feedback.services import escalate_overdue

    return escalate_overdue()


@task()
def supervision_escalate_overdue() -> int:
    from chuangkou.supervision.services import escalate_overdue

    return escalate_overdue()


@task()
def supervision_confirm_lapsed_findings() -> int:
    from chuangkou.supervision.services import confirm_lapsed_findings

    return confirm_lapsed_findings()


@task()
def rebuild_recent_case_stats(days: int = 31) -> int:
    """The daily summary is kept up to date row by row; this nightly rebuild is the safety net."""
    from chuangkou.cases.services import rebuild_daily_stats

    end = timezone.localdate()
    return rebuild_daily_stats(actor=None, start=end - dt.timedelta(days=days), end=end)


@task()
def rebuild_hall_summary() -> dict:
    """排队日汇总: yesterday and every closed day still missing (the figures count them live
    meanwhile)."""
    from chuangkou.hall.summary import rebuild_recent

    return rebuild_recent(actor=None)


@task()
def rebuild_feedback_summary() -> dict:
    """满意率日汇总: yesterday and every closed day still missing (the figures count them live
    meanwhile)."""
    from chuangkou.feedback.summary import rebuild_recent

    return rebuild_recent(actor=None)


@task()
def prune_task_results(min_age_days: int = 14, failed_min_age_days: int = 30) -> str:
    """Finished task records older than two weeks (failed ones: a month) are deleted."""
    from django.core.management import call_command

    from .worker import database_backend_in_use

    if not database_backend_in_use():
        return "skipped: not the database backend"
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=min_age_days,
        failed_min_age_days=failed_min_age_days,
        verbosity=0,
    )
    return "pruned"


@task()
def cleanup_import_files() -> int:
    from chuangkou.cases.imports.jobs import cleanup_import_files as cleanup

    return cleanup()


@task()
def cleanup_export_files() -> int:
    from chuangkou.core.exports import cleanup_export_files as cleanup

    return cleanup()
