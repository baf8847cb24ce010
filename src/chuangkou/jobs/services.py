"""重试失败的后台任务 (the sysadmin's button on the 后台任务 page)."""

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role
from chuangkou.core.tasks import enqueue

#: Jobs retried on their own page, where the person who owns them decides (and is audited).
RETRIED_ELSEWHERE = {
    "chuangkou.cases.imports.jobs.run_import_task": (
        "历史办件导入请由中心管理员在该导入的页面重试。"
    ),
}


@transaction.atomic
def retry_failed_task(*, actor, task_id) -> str:
    """Queue a failed task again with its arguments; the failed record is replaced by the new one.

    Returns the id of the new task. Locks the failed record, so a double click retries once.
    """
    require_role(actor, Role.SYSADMIN)
    failed = DBTaskResult.objects.select_for_update().filter(pk=task_id, status="FAILED").first()
    if failed is None:
        raise DomainError("该任务不存在或已不是失败状态（可能已被重试）。", status=404)
    if failed.task_path in RETRIED_ELSEWHERE:
        raise DomainError(RETRIED_ELSEWHERE[failed.task_path], status=409)
    try:
        task = failed.task
    except Exception:
        raise DomainError("该任务的程序已不存在，无法重试。", status=409) from None
    args = failed.args_kwargs.get("args", [])
    kwargs = failed.args_kwargs.get("kwargs", {})
    result = enqueue(task, *args, **kwargs)
    new_id = str(result.id) if result is not None else ""
    audit.record(
        actor=actor,
        action="jobs.retry",
        object_type="django_tasks_db.dbtaskresult",
        object_id=str(failed.pk),
        after={"task": failed.task_path, "new_task": new_id},
    )
    failed.delete()
    return new_id
