"""1call 在线咨询: consultations from the public, the agents' duty roster, FAQ entries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from chuangkou.core.masking import mask_phone

MAX_QUESTION = 1000
MAX_REPLY = 2000


class DutyShift(models.Model):
    """1call 值班: a clerk answers consultations of one business domain (a department, or
    综合 when empty) in one shift of one day."""

    class Shift(models.TextChoices):
        AM = "am", "上午"
        PM = "pm", "下午"

    staff = models.ForeignKey(
        "org.Staff", verbose_name="值班人员", on_delete=models.CASCADE, related_name="duty_shifts"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="业务领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="留空为综合咨询",
    )
    date = models.DateField("日期", db_index=True)
    shift = models.CharField("班次", max_length=2, choices=Shift.choices)

    class Meta:
        verbose_name = verbose_name_plural = "1call 值班"
        ordering = ["date", "shift", "staff__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "date", "shift"], name="consult_dutyshift_one_per_shift"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_shift_display()} {self.staff}"

    @property
    def domain_label(self) -> str:
        return self.department.name if self.department_id else "综合咨询"


class Consultation(models.Model):
    """在线咨询: one question of a person, its thread, service levels and rating."""

    class Status(models.TextChoices):
        WAITING = "waiting", "待认领"
        CLAIMED = "claimed", "处理中"
        ANSWERED = "answered", "已答复"
        CLOSED = "closed", "已办结"

    code = models.CharField("查询码", max_length=12, unique=True)
    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT)
    matter = models.ForeignKey(
        "catalog.Matter", verbose_name="事项", null=True, blank=True, on_delete=models.SET_NULL
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="业务领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="留空为综合咨询",
    )
    question = models.TextField("咨询内容", max_length=MAX_QUESTION)
    phone = models.CharField("手机号", max_length=11)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    agent = models.ForeignKey(
        "org.Staff",
        verbose_name="坐席",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    created_at = models.DateTimeField("提问时间", default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    first_reply_at = models.DateTimeField("首次答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    first_reply_due = models.DateTimeField("首次答复期限")
    resolve_due = models.DateTimeField("办结期限")
    answer = models.TextField("最新答复", blank=True)
    search_tokens = models.TextField("检索词", blank=True, help_text="已答复咨询的分词，供答复建议")
    evaluation = models.OneToOneField(
        "feedback.Evaluation",
        verbose_name="评价",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation",
    )

    class Meta:
        verbose_name = verbose_name_plural = "在线咨询"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "department"], name="consult_cons_status_dept")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="waiting") | Q(agent__isnull=False),
                name="consult_consultation_agent_when_taken",
            )
        ]

    def __str__(self) -> str:
        return f"咨询 {self.code}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def domain_label(self) -> str:
        return self.department.name if self.department_id else "综合咨询"

    @property
    def first_reply_breached(self) -> bool:
        reply = self.first_reply_at or (None if self.closed_at else timezone.now())
        return reply is not None and reply > self.first_reply_due

    @property
    def resolve_breached(self) -> bool:
        return (self.closed_at or timezone.now()) > self.resolve_due


class Message(models.Model):
    """One message of a consultation's thread (the person's question and follow-ups, the
    agent's replies, and notes of transfers)."""

    class Author(models.TextChoices):
        PERSON = "person", "咨询人"
        AGENT = "agent", "坐席"
        SYSTEM = "system", "系统"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.CharField("发言方", max_length=8, choices=Author.choices)
    staff = models.ForeignKey(
        "org.Staff", verbose_name="坐席", null=True, blank=True, on_delete=models.SET_NULL
    )
    body = models.TextField("内容")
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "咨询消息"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_author_display()}：{self.body[:20]}"


class FaqEntry(models.Model):
    """知识库问答: a good answer promoted for the public guide."""

    matter = models.ForeignKey(
        "catalog.Matter",
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="faq_entries",
    )
    question = models.CharField("问题", max_length=300)
    answer = models.TextField("答复")
    source = models.ForeignKey(
        Consultation,
        verbose_name="来源咨询",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    is_published = models.BooleanField("公开", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "知识库问答"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(source__isnull=False),
                name="consult_faq_one_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.question[:40]
