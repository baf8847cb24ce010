"""Every periodic job, in one place: name, what it does, the task and when it runs.

`every` runs it at that interval (counted from the previous run); `at` runs it once a day at that
local time. The scheduler of `chuangkou worker` queues each due run once (see scheduler.py); the
sysadmin sees them on the 后台任务 page.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Periodic:
    name: str
    label: str
    task: str  # dotted path of a django-tasks task
    every: dt.timedelta | None = None
    at: dt.time | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"{self.name}: give either `every` or `at`")

    @property
    def when(self) -> str:
        if self.at is not None:
            return f"每天 {self.at:%H:%M}"
        minutes = int(self.every.total_seconds() // 60)
        return f"每 {minutes // 60} 小时" if minutes % 60 == 0 else f"每 {minutes} 分钟"


T = "chuangkou.jobs.tasks."

SCHEDULES: list[Periodic] = [
    Periodic(
        "recover_abandoned",
        "找出停止的处理进程留下的任务，标为失败",
        T + "recover_abandoned_jobs",
        every=dt.timedelta(minutes=5),
    ),
    Periodic(
        "audit_checkpoint",
        "审计日志签名检查点",
        T + "audit_checkpoint",
        every=dt.timedelta(hours=1),
    ),
    Periodic(
        "feedback_flag_overdue", "差评整改超期标记", T + "feedback_flag_overdue", at=dt.time(0, 20)
    ),
    Periodic(
        "feedback_escalate_overdue",
        "差评整改超期上报",
        T + "feedback_escalate_overdue",
        at=dt.time(0, 30),
    ),
    Periodic(
        "supervision_escalate_overdue",
        "痛点堵点难点超期上报",
        T + "supervision_escalate_overdue",
        at=dt.time(0, 40),
    ),
    Periodic(
        "supervision_confirm_lapsed_findings",
        "暗访问题逾期未申辩视为确认",
        T + "supervision_confirm_lapsed_findings",
        at=dt.time(0, 50),
    ),
    Periodic(
        "rebuild_recent_case_stats",
        "重建近 31 天的办件日汇总",
        T + "rebuild_recent_case_stats",
        at=dt.time(2, 0),
    ),
    Periodic(
        "prereview_purge_files",
        "材料预审文件到期删除",
        "chuangkou.prereview.tasks.purge_expired_files",
        at=dt.time(1, 20),
    ),
    Periodic(
        "rebuild_hall_summary",
        "排队日汇总：汇总昨天及尚未汇总的日期",
        T + "rebuild_hall_summary",
        at=dt.time(1, 20),
    ),
    Periodic(
        "rebuild_feedback_summary",
        "满意率日汇总：汇总昨天及尚未汇总的日期",
        T + "rebuild_feedback_summary",
        at=dt.time(1, 25),
    ),
    Periodic(
        "partitions_ahead",
        "提前创建未来几个月的分区（PostgreSQL）",
        "chuangkou.core.partitions.create_partitions_ahead",
        at=dt.time(1, 10),
    ),
    Periodic(
        "prune_task_results",
        "清理已结束的旧任务记录",
        T + "prune_task_results",
        at=dt.time(3, 0),
    ),
    Periodic(
        "cleanup_import_files",
        "清理不再需要的导入文件",
        T + "cleanup_import_files",
        at=dt.time(3, 30),
    ),
    Periodic(
        "cleanup_export_files",
        "删除超过保留期限的导出文件",
        T + "cleanup_export_files",
        at=dt.time(3, 40),
    ),
    # notify: retries after backoff and deferred messages; the reminders (quiet hours apply)
    Periodic(
        "notify_deliver_due",
        "发送到期的通知（重试、推迟的消息）",
        "chuangkou.notify.jobs.deliver_due",
        every=dt.timedelta(minutes=1),
    ),
    Periodic(
        "notify_appointment_reminders",
        "预约提醒（前一天、前一小时）",
        "chuangkou.hall.notices.appointment_reminders",
        every=dt.timedelta(minutes=10),
    ),
    Periodic(
        "notify_case_overdue_apologies",
        "办件逾期致歉短信",
        "chuangkou.cases.notices.overdue_apologies",
        at=dt.time(9, 0),
    ),
    Periodic(
        "notify_rectification_overdue_heads",
        "差评整改逾期提醒部门负责人",
        "chuangkou.feedback.notices.overdue_to_heads",
        at=dt.time(8, 30),
    ),
]

BY_NAME = {s.name: s for s in SCHEDULES}
