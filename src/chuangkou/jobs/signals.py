"""The outcome of a scheduled run, kept on its schedule row when the task finishes."""

from django.dispatch import receiver
from django_tasks.signals import task_finished

from .models import Schedule


@receiver(task_finished)
def _remember_outcome(sender, task_result, **kwargs) -> None:
    if not task_result.task.module_path.startswith("chuangkou.jobs.tasks."):
        return
    outcome = (
        Schedule.Outcome.SUCCEEDED
        if task_result.status == "SUCCESSFUL"
        else Schedule.Outcome.FAILED
    )
    Schedule.objects.filter(last_task_id=str(task_result.id)).update(last_outcome=outcome)
