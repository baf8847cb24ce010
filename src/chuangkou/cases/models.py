from django.db import models
from django.db.models import Q

from chuangkou.core.masking import mask_id_number, mask_phone


class Case(models.Model):
    """受理件: one accepted application for a matter.

    受理 → 补正 (missing materials) → 办结 / 不予受理 / 退件. `due_date` = accepted date plus the
    matter's promised working days on China's official calendar.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "已受理"
        SUPPLEMENT = "supplement", "补正中"
        COMPLETED = "completed", "已办结"
        REJECTED = "rejected", "不予受理"
        RETURNED = "returned", "退件"

    class Channel(models.TextChoices):
        WINDOW = "window", "窗口受理"
        ONLINE = "online", "网上申请"

    class ApplicantKind(models.TextChoices):
        PERSON = "person", "个人"
        COMPANY = "company", "企业"

    number = models.CharField("受理编号", max_length=32, unique=True)
    matter = models.ForeignKey("catalog.Matter", verbose_name="事项", on_delete=models.PROTECT)
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT)
    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", null=True, blank=True, on_delete=models.SET_NULL
    )
    clerk = models.ForeignKey(
        "org.Staff", verbose_name="受理人", null=True, blank=True, on_delete=models.SET_NULL
    )
    ticket = models.ForeignKey(
        "hall.Ticket", verbose_name="排队号", null=True, blank=True, on_delete=models.SET_NULL
    )
    channel = models.CharField("受理渠道", max_length=10, choices=Channel.choices)
    applicant_kind = models.CharField("申请人类型", max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人", max_length=200)
    applicant_id = models.CharField("证件号/统一社会信用代码", max_length=18, blank=True)
    applicant_phone = models.CharField("联系电话", max_length=20, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, db_index=True)
    accepted_at = models.DateTimeField("受理时间")
    accepted_date = models.DateField("受理日期", db_index=True)
    due_date = models.DateField("承诺办结日期")
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    visits = models.PositiveSmallIntegerField(
        "跑动次数", default=1, help_text="到访记录的条数，由服务层随记录维护，供统计直接使用"
    )

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = verbose_name_plural = "受理件"
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | Q(completed_at__gte=models.F("accepted_at")),
                name="cases_case_completed_after_accepted",
            )
        ]
        indexes = [
            models.Index(fields=["accepted_date", "department"], name="cases_case_date_dept"),
            models.Index(fields=["accepted_date", "window"], name="cases_case_date_window"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def masked_applicant_id(self) -> str:
        return mask_id_number(self.applicant_id)

    @property
    def masked_applicant_phone(self) -> str:
        return mask_phone(self.applicant_phone)


class CaseVisit(models.Model):
    """One trip of the applicant to the hall for this case (跑动), from a ticket or recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visit_records")
    ticket = models.ForeignKey(
        "hall.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visited_at = models.DateTimeField("到访时间")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["case", "visited_at"]
        verbose_name = verbose_name_plural = "到访记录"

    def __str__(self) -> str:
        return f"{self.case_id} {self.visited_at:%Y-%m-%d}"
