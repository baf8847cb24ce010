"""Background jobs of the pre-review (django-tasks; queued through core.tasks.enqueue)."""

from django_tasks import task

from . import services


@task()
def purge_expired_files() -> int:
    """材料文件到期删除: run daily (`chuangkou manage prereview_purge_files --apply --queue`)."""
    return services.purge_expired_files()
