"""材料预审 (1call pre-review): a person uploads each material of a matter from a phone, a
reviewer checks them one by one (通过 / 需补正), the person replaces only what failed, and a
completed pre-review leads to an appointment or a priority ticket and, at the window, a case."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangkou.core.masking import mask_phone


class PreReview(models.Model):
    """预审: one person's materials for one matter at one center, reached by an unguessable link."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待提交"
        REVIEWING = "reviewing", "待预审"
        NEEDS_FIX = "needs_fix", "需补正"
        PASSED = "passed", "预审通过"

    OPEN_STATUSES = (Status.DRAFT, Status.REVIEWING, Status.NEEDS_FIX)

    public_token = models.UUIDField("链接令牌", default=uuid.uuid4, unique=True, editable=False)
    matter = models.ForeignKey("catalog.Matter", verbose_name="事项", on_delete=models.PROTECT)
    center = models.ForeignKey("org.Center", verbose_name="办理中心", on_delete=models.PROTECT)
    applicant_name = models.CharField("申请人", max_length=100)
    phone = models.CharField("手机号", max_length=20)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submissions = models.PositiveSmallIntegerField("提交次数", default=0)
    fix_rounds = models.PositiveSmallIntegerField("补正轮次", default=0)
    started_at = models.DateTimeField("发起时间")
    submitted_at = models.DateTimeField("最近提交", null=True, blank=True)
    passed_at = models.DateTimeField("通过时间", null=True, blank=True)
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name="优先号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appointment = models.ForeignKey(
        "hall.Appointment",
        verbose_name="预约",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name="受理件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prereview",
    )
    files_deleted_at = models.DateTimeField("材料文件删除时间", null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = verbose_name_plural = "材料预审"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="passed") | Q(passed_at__isnull=False),
                name="prereview_prereview_passed_has_time",
            )
        ]
        indexes = [models.Index(fields=["center", "status"], name="prereview_center_status")]

    def __str__(self) -> str:
        return f"预审{self.pk} {self.matter_id}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class PreReviewItem(models.Model):
    """One material of a pre-review: the current file and its review."""

    class Status(models.TextChoices):
        MISSING = "missing", "未上传"
        PENDING = "pending", "待审核"
        PASSED = "passed", "通过"
        NEEDS_FIX = "needs_fix", "需补正"

    prereview = models.ForeignKey(PreReview, on_delete=models.CASCADE, related_name="items")
    material = models.ForeignKey(
        "catalog.Material", verbose_name="材料", on_delete=models.PROTECT, related_name="+"
    )
    required = models.BooleanField("必需", default=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.MISSING)
    file = models.CharField("文件", max_length=300, blank=True)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("摘要", max_length=64, blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploads = models.PositiveSmallIntegerField("上传次数", default=0)
    uploaded_at = models.DateTimeField("上传时间", null=True, blank=True)
    problem = models.CharField("补正原因", max_length=40, blank=True)
    problem_label = models.CharField("补正原因说明", max_length=100, blank=True)
    note = models.CharField("审核意见", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        ordering = ["prereview", "material__order", "material_id"]
        verbose_name = verbose_name_plural = "预审材料"
        constraints = [
            models.UniqueConstraint(
                fields=["prereview", "material"], name="prereview_prereviewitem_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prereview_id}:{self.material_id}"

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def replaced(self) -> bool:
        """需补正 and a new file uploaded since the review (waiting to be submitted)."""
        return (
            self.status == self.Status.NEEDS_FIX
            and self.uploaded_at is not None
            and self.reviewed_at is not None
            and self.uploaded_at > self.reviewed_at
        )


class ReviewRecord(models.Model):
    """审核记录: one decision on one material (the history behind the rounds)."""

    class Decision(models.TextChoices):
        PASS = "pass", "通过"
        FIX = "fix", "需补正"

    item = models.ForeignKey(PreReviewItem, on_delete=models.CASCADE, related_name="reviews")
    submission = models.PositiveSmallIntegerField("第几次提交")
    decision = models.CharField("结论", max_length=8, choices=Decision.choices)
    problem = models.CharField("补正原因", max_length=40, blank=True)
    problem_label = models.CharField("补正原因说明", max_length=100, blank=True)
    note = models.CharField("审核意见", max_length=500, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["item", "at", "id"]
        verbose_name = verbose_name_plural = "预审审核记录"

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_decision_display()}"
