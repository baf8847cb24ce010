import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangkou.core.ids import time_ordered_uuid


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
        TRANSFER = "transfer", "转办"
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
    public_token = models.UUIDField(default=time_ordered_uuid, unique=True, editable=False)
    service_seconds = models.PositiveIntegerField(
        "办理用时（秒）", default=0, help_text="开始办理到办结的累计时长，暂挂期间不计"
    )

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
            # A window holds at most one called or serving ticket of a day.
            models.UniqueConstraint(
                fields=["window", "service_date"],
                condition=Q(status__in=["called", "serving"]),
                name="hall_ticket_one_current_per_window",
            ),
        ]
        indexes = [
            models.Index(fields=["service_date", "status", "queue"], name="hall_ticket_waiting"),
            # 叫号 order: a queue's waiting tickets of a day, green channel first, then by time.
            models.Index(
                fields=["queue", "service_date", "-priority", "issued_at", "id"],
                condition=Q(status="waiting"),
                name="hall_ticket_next",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.CALLED, self.Status.SERVING)


class QueueCounter(models.Model):
    """每日取号序号: the last number issued in a queue on a day (locked while issuing)."""

    queue = models.ForeignKey(ServiceQueue, on_delete=models.CASCADE, related_name="counters")
    service_date = models.DateField("日期")
    last_seq = models.PositiveIntegerField("已发序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "取号序号"
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "service_date"], name="hall_queuecounter_unique_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.queue.prefix} {self.service_date} {self.last_seq}"


class TicketEvent(models.Model):
    """One state change of a ticket (取号、叫号、重呼、开始办理、暂挂、办结、转移、过号…)."""

    class Kind(models.TextChoices):
        ISSUED = "issued", "取号"
        CALLED = "called", "叫号"
        RECALLED = "recalled", "重呼"
        STARTED = "started", "开始办理"
        PARKED = "parked", "暂挂"
        RESUMED = "resumed", "恢复办理"
        FINISHED = "finished", "办结"
        TRANSFERRED = "transferred", "转移"
        NO_SHOW = "no_show", "过号"
        CANCELLED = "cancelled", "取消"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=12, choices=Kind.choices)
    at = models.DateTimeField("时间", db_index=True)
    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "排队号事件"
        indexes = [models.Index(fields=["ticket", "at"], name="hall_ticketevent_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_kind_display()} {self.at:%H:%M:%S}"


class HallSettings(models.Model):
    """取号规则 of one center. Centers without a row use the defaults."""

    center = models.OneToOneField(
        "org.Center", verbose_name="中心", on_delete=models.CASCADE, related_name="hall_settings"
    )
    target_wait_minutes = models.PositiveSmallIntegerField(
        "等候时长目标（分钟）", default=20, help_text="超过该时长的等候计入“超时等候”"
    )
    max_recalls = models.PositiveSmallIntegerField(
        "重呼次数", default=3, help_text="重呼达到该次数后，窗口可将号标记为过号"
    )
    checkin_early_minutes = models.PositiveSmallIntegerField("预约最早提前签到（分钟）", default=30)
    checkin_late_minutes = models.PositiveSmallIntegerField(
        "预约最晚迟到签到（分钟）",
        default=15,
        help_text="超过后签到按普通号排队，时段结束后仍未签到记为爽约",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "取号设置"
        constraints = [
            models.CheckConstraint(condition=Q(max_recalls__gte=1), name="hall_settings_recalls"),
            models.CheckConstraint(
                condition=Q(target_wait_minutes__gte=1), name="hall_settings_target_wait"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center} 取号设置"


class AppointmentSlot(models.Model):
    """预约时段 of a queue on a day, with its capacity."""

    queue = models.ForeignKey(
        ServiceQueue, verbose_name="队列", on_delete=models.CASCADE, related_name="slots"
    )
    date = models.DateField("日期")
    start = models.TimeField("开始")
    end = models.TimeField("结束")
    capacity = models.PositiveSmallIntegerField("可约人数")

    class Meta:
        ordering = ["date", "start", "queue"]
        verbose_name = verbose_name_plural = "预约时段"
        constraints = [
            models.UniqueConstraint(fields=["queue", "date", "start"], name="hall_slot_unique"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="hall_slot_order"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="hall_slot_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.queue.prefix} {self.date} {self.start:%H:%M}-{self.end:%H:%M}"


class Appointment(models.Model):
    """预约取号: booked by phone; checking in near the slot gives a priority ticket."""

    class Status(models.TextChoices):
        BOOKED = "booked", "已预约"
        CHECKED_IN = "checked_in", "已签到"
        LATE = "late", "迟到转普通号"
        CANCELLED = "cancelled", "已取消"
        NO_SHOW = "no_show", "爽约"

    slot = models.ForeignKey(
        AppointmentSlot, verbose_name="时段", on_delete=models.PROTECT, related_name="appointments"
    )
    phone = models.CharField("手机号", max_length=20)
    code = models.CharField("签到码", max_length=6)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.BOOKED, db_index=True
    )
    booked_at = models.DateTimeField("预约时间")
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    ticket = models.OneToOneField(
        Ticket,
        verbose_name="排队号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment",
    )
    public_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["slot__date", "slot__start", "id"]
        verbose_name = verbose_name_plural = "预约"
        indexes = [models.Index(fields=["phone", "code"], name="hall_appointment_checkin")]

    def __str__(self) -> str:
        return f"{self.slot} {self.code}"


class WindowSignIn(models.Model):
    """窗口签到: a clerk working one window from sign-in to sign-out.

    One open sign-in per window and one per clerk (partial unique constraints); the desk
    actions of a window are done by, and attributed to, the clerk signed in there.
    """

    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", on_delete=models.CASCADE, related_name="sign_ins"
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name="窗口人员", on_delete=models.CASCADE, related_name="sign_ins"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT, related_name="+"
    )
    signed_in_at = models.DateTimeField("签到时间")
    signed_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    signed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签退人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-signed_in_at", "-id"]
        verbose_name = verbose_name_plural = "窗口签到"
        constraints = [
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(signed_out_at__isnull=True),
                name="hall_windowsignin_one_clerk_per_window",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(signed_out_at__isnull=True),
                name="hall_windowsignin_one_window_per_clerk",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.staff.name}"


# -- 排队日汇总 (summary.py builds it; metrics.py reads it) -------------------------------------


class HallSummaryDay(models.Model):
    """A closed day whose 排队日汇总 rows are built: the figures read the summary for it and
    count the tickets of every other day live. Deleting the day makes it stale (live again)."""

    date = models.DateField("日期", unique=True)
    built_at = models.DateTimeField("汇总时间")
    tickets = models.PositiveIntegerField("取号数", default=0)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "排队日汇总（已汇总日期）"

    def __str__(self) -> str:
        return f"{self.date}"


class HallDailyStats(models.Model):
    """排队日汇总: counts and sums of the tickets of one day × queue × window × clerk."""

    date = models.DateField("日期")
    queue = models.ForeignKey(
        ServiceQueue, verbose_name="队列", on_delete=models.CASCADE, related_name="+"
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    clerk = models.ForeignKey(
        "org.Staff",
        verbose_name="办理人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tickets = models.PositiveIntegerField("取号", default=0)
    called = models.PositiveIntegerField("叫号", default=0)
    done = models.PositiveIntegerField("办结", default=0)
    no_show = models.PositiveIntegerField("过号", default=0)
    wait_us = models.BigIntegerField("等候合计（微秒）", default=0)
    done_seconds = models.BigIntegerField("办结办理合计（秒）", default=0)
    served = models.PositiveIntegerField("有办理用时的号", default=0)
    serving_seconds = models.BigIntegerField("办理用时合计（秒）", default=0)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "排队日汇总"
        indexes = [models.Index(fields=["date", "queue"], name="hall_dailystats_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.queue_id}"


class HallDailyHistogram(models.Model):
    """排队日汇总的分布: tickets of one day × queue by wait or service time in 0.1-minute
    buckets (bucket k ≥ 1 holds (6(k−1), 6k] seconds, bucket 0 exactly 0)."""

    class Measure(models.IntegerChoices):
        WAIT = 1, "等候"
        SERVICE = 2, "办理"

    date = models.DateField("日期")
    queue = models.ForeignKey(
        ServiceQueue, verbose_name="队列", on_delete=models.CASCADE, related_name="+"
    )
    measure = models.PositiveSmallIntegerField("指标", choices=Measure.choices)
    bucket = models.PositiveIntegerField("分段")
    count = models.PositiveIntegerField("张数")

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "排队日汇总分布"
        indexes = [models.Index(fields=["date", "queue"], name="hall_dailyhistogram_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.queue_id} {self.measure} {self.bucket}"
