from django.db import models


class Schedule(models.Model):
    """One periodic job of `schedules.SCHEDULES`: when it runs next and how its last run went.

    The scheduler of every worker claims a due run by moving `next_run_at` forward with a
    compare-and-set update, so two workers never queue the same run twice.
    """

    class Outcome(models.TextChoices):
        QUEUED = "queued", "已排队"
        SUCCEEDED = "succeeded", "成功"
        FAILED = "failed", "失败"

    name = models.CharField("名称", max_length=64, unique=True)
    next_run_at = models.DateTimeField("下次运行")
    last_run_at = models.DateTimeField("上次运行", null=True, blank=True)
    last_outcome = models.CharField("上次结果", max_length=12, choices=Outcome.choices, blank=True)
    last_task_id = models.CharField("上次任务编号", max_length=64, blank=True)
    claimed_by = models.CharField("排队的进程", max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "定时任务"

    def __str__(self) -> str:
        return self.name


class WorkerBeat(models.Model):
    """A worker process says it is alive; the running jobs of a silent one are marked failed."""

    worker_id = models.CharField("进程编号", max_length=64, unique=True)
    hostname = models.CharField("主机", max_length=200, blank=True)
    pid = models.PositiveIntegerField("进程号", default=0)
    started_at = models.DateTimeField("启动时间", auto_now_add=True)
    seen_at = models.DateTimeField("最近心跳")

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = verbose_name_plural = "后台进程"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
