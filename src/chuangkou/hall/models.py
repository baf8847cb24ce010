import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ServiceQueue(models.Model):
    """取号队列: a letter prefix (A, B, …) in one center, serving one or more matters.

    Windows serve one or more queues (综合窗口 / 通办窗口 serve many).
    """

    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT)
    prefix = models.CharField("号码前缀", max_length=2)
    name = models.CharField("队列名称", max_length=100)
    matters = models.ManyToManyField(
        "catalog.Matter", verbose_name="办理事项", blank=True, related_name="queues"
    )
    windows = models.ManyToManyField(
        "org.Window", verbose_name="服务窗口", blank=True, related_name="queues"
    )
    average_service_minutes = models.PositiveSmallIntegerField("平均办理时长（分钟）", default=8)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["center", "prefix"]
        verbose_name = verbose_name_plural = "取号队列"
        constraints = [
            models.UniqueConstraint(fields=["center", "prefix"], name="hall_servicequeue_prefix")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"


class Ticket(models.Model):
    """排队号: issue → call → serve → done / no-show / transfer. Numbers restart daily per queue."""

    class Status(models.TextChoices):
        WAITING = "waiting", "等候中"
        CALLED = "called", "已叫号"
        SERVING = "serving", "办理中"
        PARKED = "parked", "暂挂"
        DONE = "done", "已办结"
        NO_SHOW = "no_show", "过号"
        TRANSFERRED = "transferred", "已转移"
        CANCELLED = "cancelled", "已取消"

    class Channel(models.TextChoices):
        KIOSK = "kiosk", "自助取号机"
        LOBBY = "lobby", "大堂经理帮办"
        APPOINTMENT = "appointment", "预约签到"
        PHONE = "phone", "手机取号"

    class PriorityReason(models.TextChoices):
        ELDERLY = "elderly", "老年人"
        DISABLED = "disabled", "残疾人"
        PREGNANT = "pregnant", "孕妇"
        APPOINTMENT = "appointment", "预约"
        OTHER = "other", "其他"

    queue = models.ForeignKey(ServiceQueue, verbose_name="队列", on_delete=models.PROTECT)
    service_date = models.DateField("取号日期")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("号码", max_length=10)
    matter = models.ForeignKey(
        "catalog.Matter", verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    channel = models.CharField("取号方式", max_length=12, choices=Channel.choices)
    priority = models.BooleanField("绿色通道", default=False)
    priority_reason = models.CharField(
        "优先原因", max_length=12, choices=PriorityReason.choices, blank=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="帮办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField("手机号", max_length=20, blank=True)
    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", null=True, blank=True, on_delete=models.SET_NULL
    )
    clerk = models.ForeignKey(
        "org.Staff", verbose_name="办理人员", null=True, blank=True, on_delete=models.SET_NULL
    )
    issued_at = models.DateTimeField("取号时间")
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    started_at = models.DateTimeField("开始办理", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField("重呼次数", default=0)
    transferred_from = models.ForeignKey(
        "self", verbose_name="转自", null=True, blank=True, on_delete=models.SET_NULL
    )
    public_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["service_date", "queue", "seq"]
        verbose_name = verbose_name_plural = "排队号"
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "service_date", "seq"], name="hall_ticket_unique_seq"
            ),
            models.CheckConstraint(
                condition=Q(priority=False) | ~Q(priority_reason=""),
                name="hall_ticket_priority_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["service_date", "status", "queue"], name="hall_ticket_waiting")
        ]

    def __str__(self) -> str:
        return self.number
