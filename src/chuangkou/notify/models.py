"""通知: opt-ins (订阅), message templates, the outbox of messages and every send attempt.

notify sits right above org: it knows no hall ticket, case or rating. Apps above it pass a
subject as (kind, id) and the fields of a message; their `notices.py` builds the messages.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangkou.core.masking import mask_phone


class Template(models.Model):
    """消息模板: Chinese text with {fields}; SMS and WeChat need the gateway's approval first."""

    code = models.CharField("模板代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    body = models.CharField("内容", max_length=200)
    approved = models.BooleanField("已审批", default=False)
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    gateway_code = models.CharField(
        "网关模板编号", max_length=60, blank=True, help_text="短信平台审批通过的模板编号"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "消息模板"

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """通知登记: a person asked to be told about one ticket, booking or case."""

    subject_kind = models.CharField("对象类型", max_length=20)
    subject_id = models.PositiveBigIntegerField("对象编号")
    center = models.ForeignKey(
        "org.Center", verbose_name="中心", null=True, blank=True, on_delete=models.SET_NULL
    )
    phone = models.CharField("手机号", max_length=20, blank=True)
    phone_masked = models.CharField("手机号（脱敏）", max_length=20, blank=True)
    wechat_openid = models.CharField("微信 openid", max_length=64, blank=True)
    browser = models.BooleanField("浏览器通知", default=False)
    ahead = models.PositiveSmallIntegerField("前面还有几人时提醒", default=3)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    cancelled_at = models.DateTimeField("退订时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "通知登记"
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id"],
                condition=Q(is_active=True),
                name="notify_subscription_one_active",
            ),
            models.CheckConstraint(
                condition=Q(ahead__gte=1, ahead__lte=20), name="notify_subscription_ahead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} {self.phone_masked}"

    def save(self, *args, **kwargs):
        self.phone_masked = mask_phone(self.phone)
        super().save(*args, **kwargs)


class PushEndpoint(models.Model):
    """A browser's Web Push subscription (endpoint and keys) for one opt-in."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="push_endpoints"
    )
    endpoint = models.URLField("推送地址", max_length=500)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "浏览器推送订阅"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "endpoint"], name="notify_pushendpoint_unique"
            )
        ]

    def __str__(self) -> str:
        return self.endpoint[:60]


class Message(models.Model):
    """One message on one channel (the outbox row); sent by a job, retried with backoff."""

    class Channel(models.TextChoices):
        LOG = "log", "记录（演示）"
        SMS = "sms", "短信"
        WECHAT = "wechat", "微信订阅消息"
        BROWSER = "browser", "页面通知"
        WEBPUSH = "webpush", "浏览器推送"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        HELD = "held", "模板未审批"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    kind = models.CharField("消息类型", max_length=40, db_index=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    center = models.ForeignKey(
        "org.Center", verbose_name="中心", null=True, blank=True, on_delete=models.SET_NULL
    )
    subject_kind = models.CharField("对象类型", max_length=20, blank=True)
    subject_id = models.PositiveBigIntegerField("对象编号", null=True, blank=True)
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    recipient = models.CharField("接收人", max_length=64, blank=True)
    recipient_masked = models.CharField("接收人（脱敏）", max_length=64, blank=True)
    fields = models.JSONField("字段", default=dict)
    body = models.CharField("内容", max_length=300)
    dedup_key = models.CharField("去重键", max_length=120, unique=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次发送", db_index=True)
    deferred_reason = models.CharField("推迟原因", max_length=40, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    outcome = models.CharField("结果", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "通知消息"
        indexes = [
            models.Index(fields=["recipient", "sent_at"], name="notify_message_recipient"),
            models.Index(fields=["subject_kind", "subject_id"], name="notify_message_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.body[:30]}"


class Attempt(models.Model):
    """发送记录: each try of a message at its channel, with the outcome."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField("时间")
    ok = models.BooleanField("成功")
    detail = models.CharField("详情", max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField("用时（毫秒）", default=0)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "发送记录"

    def __str__(self) -> str:
        return f"{self.message_id} {'成功' if self.ok else '失败'}"
