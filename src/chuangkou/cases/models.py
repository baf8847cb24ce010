import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from chuangkou.core.masking import mask_id_number, mask_phone
from chuangkou.core.models import percent_done

STALE_AFTER = dt.timedelta(minutes=30)
ONE_TRIP_MAX_VISITS = 1


def counts_as_one_trip(visits: int) -> bool:
    """最多跑一次: the applicant came to the hall at most once (a 零跑 matter done in one visit
    still counts). The one definition used by the case records, the figures and the survey."""
    return visits <= ONE_TRIP_MAX_VISITS


class Case(models.Model):
    """受理件: one accepted application for a matter.

    受理 → 补正 (missing materials) → 办结 / 不予受理 / 退件. `due_date` = accepted date plus the
    matter's promised working days on China's official calendar, moved on by the working days spent
    waiting for corrected materials (补正, `paused_days`). When a case closes, the services
    store `completed_at`/`completed_date` (the day the procedure ended), `is_overdue` (closed after
    the due date) and, for 办结, `is_one_trip` (`counts_as_one_trip`: 跑动次数 ≤ 1).
    不予受理 (行政许可法 art. 32) is not 受理: it is counted apart from the accepted volume.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "已受理"
        SUPPLEMENT = "supplement", "补正中"
        COMPLETED = "completed", "已办结"
        REJECTED = "rejected", "不予受理"
        RETURNED = "returned", "退件"

    OPEN_STATUSES = (Status.ACCEPTED, Status.SUPPLEMENT)

    class Channel(models.TextChoices):
        WINDOW = "window", "窗口受理"
        ONLINE = "online", "网上申请"

    class ApplicantKind(models.TextChoices):
        PERSON = "person", "个人"
        COMPANY = "company", "企业"

    # Indexes (each one is paid by every insert: a 662k-row import writes them all). Only the
    # ones a page, figure or service reads: matter and department for the list's filters and
    # their counts; the window filter by cases_case_window_date, the clerk's list by
    # cases_case_clerk_recent, the desk's ticket lookup by cases_case_ticket (partial: an
    # imported or online case has no ticket). No index of its own for center (a handful of
    # centers, one holding most cases: no query would use it) nor import_job (never filtered;
    # deleting a center or an import job is a rare admin action that may scan the table).
    number = models.CharField("受理编号", max_length=32, unique=True)
    matter = models.ForeignKey("catalog.Matter", verbose_name="事项", on_delete=models.PROTECT)
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(
        "org.Center", verbose_name="中心", on_delete=models.PROTECT, db_index=False
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    clerk = models.ForeignKey(
        "org.Staff",
        verbose_name="受理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name="排队号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    channel = models.CharField("受理渠道", max_length=10, choices=Channel.choices)
    applicant_kind = models.CharField("申请人类型", max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人", max_length=200)
    applicant_id = models.CharField("证件号/统一社会信用代码", max_length=18, blank=True)
    applicant_phone = models.CharField("联系电话", max_length=20, blank=True)
    # indexed by cases_case_open_due (status, accepted_date, due_date)
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    accepted_at = models.DateTimeField("受理时间")
    accepted_date = models.DateField("受理日期")  # indexed by cases_case_date_dept
    due_date = models.DateField("承诺办结日期")
    paused_days = models.PositiveSmallIntegerField(
        "补正暂停（工作日）",
        default=0,
        db_default=0,
        help_text="等待补正材料的工作日，承诺办结日期相应顺延",
    )
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    completed_date = models.DateField("办结日期", null=True, blank=True)
    visits = models.PositiveSmallIntegerField(
        "跑动次数", default=1, help_text="到访记录的条数，由服务层随记录维护，供统计直接使用"
    )
    is_overdue = models.BooleanField("超期办结", default=False, help_text="结案时晚于承诺办结日期")
    is_one_trip = models.BooleanField(
        "最多跑一次", default=False, help_text="办结时跑动次数不超过 1 次"
    )
    import_job = models.ForeignKey(
        "ImportJob",
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        db_index=False,
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
            models.Index(fields=["window", "accepted_date"], name="cases_case_window_date"),
            models.Index(fields=["-accepted_at"], name="cases_case_recent"),
            models.Index(fields=["clerk", "-accepted_at"], name="cases_case_clerk_recent"),
            models.Index(fields=["completed_date"], name="cases_case_completed_date"),
            models.Index(
                fields=["status", "accepted_date", "due_date"], name="cases_case_open_due"
            ),
            models.Index(
                fields=["ticket"], condition=Q(ticket__isnull=False), name="cases_case_ticket"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def masked_applicant_id(self) -> str:
        return mask_id_number(self.applicant_id)

    @property
    def masked_applicant_phone(self) -> str:
        return mask_phone(self.applicant_phone)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def overdue_now(self) -> bool:
        """超期: closed late, or still open after its due date."""
        if self.is_open:
            return timezone.localdate() > self.due_date
        return self.is_overdue


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


class CaseEvent(models.Model):
    """办件记录: one step of a case's status history, written by the service that made it."""

    class Action(models.TextChoices):
        ACCEPT = "accept", "受理"
        SUPPLEMENT = "supplement", "通知补正"
        RESUME = "resume", "补正材料齐全"
        COMPLETE = "complete", "办结"
        REJECT = "reject", "不予受理"
        RETURN = "return", "退件"
        VISIT = "visit", "登记到访"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=12, choices=Case.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=Case.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    at = models.DateTimeField("时间")
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]
        verbose_name = verbose_name_plural = "办件记录"

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_action_display()}"


class CaseNumberCounter(models.Model):
    """The last sequence number given out per numbering scope (region code) and day."""

    scope = models.CharField("编号前缀", max_length=12)
    date = models.DateField("日期")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "受理编号计数器"
        constraints = [
            models.UniqueConstraint(fields=["scope", "date"], name="cases_casenumbercounter_day")
        ]

    def __str__(self) -> str:
        return f"{self.scope}-{self.date:%Y%m%d}: {self.last}"


class DailyCaseStats(models.Model):
    """办件日汇总: counts per day × department × center × window × matter.

    `accepted` counts by accepted date and leaves out 不予受理, which `rejected` counts on the
    same date; `completed`, `one_trip` and `overdue` count 办结 cases by their completion date.
    Kept by the case services in their transaction and rebuilt for a date range by
    `rebuild_daily_stats` (after imports). The figures read only this table.
    """

    # Indexes (an import inserts about one summary row per case, each paying for every one):
    # the unique key, which also serves the figures' date ranges, and matter for one matter's
    # figures; none for department, center or window alone, which no query reads by (0008)
    date = models.DateField("日期")
    department = models.ForeignKey(
        "org.Department",
        verbose_name="部门",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    center = models.ForeignKey(
        "org.Center",
        verbose_name="中心",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    matter = models.ForeignKey(
        "catalog.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="+"
    )
    accepted = models.PositiveIntegerField("受理", default=0)
    rejected = models.PositiveIntegerField("不予受理", default=0, db_default=0)
    completed = models.PositiveIntegerField("办结", default=0)
    one_trip = models.PositiveIntegerField("最多跑一次办结", default=0)
    overdue = models.PositiveIntegerField("超期办结", default=0)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "办件日汇总"
        constraints = [
            # one row per key, a window or none (0: ids start at 1); its index also serves
            # the figures' date ranges (date, then department)
            models.UniqueConstraint(
                "date",
                "department",
                "center",
                Coalesce("window", 0, output_field=models.IntegerField()),
                "matter",
                name="cases_daily_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.matter_id}: {self.accepted}"


class ImportJob(models.Model):
    """历史办件导入: one uploaded file, checked in full before anything is written."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        VALIDATING = "validating", "校验中"
        WRITING = "writing", "写入中"
        DONE = "done", "已导入"
        FAILED = "failed", "未导入"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    file = models.FileField("文件", upload_to="cases/imports/")
    filename = models.CharField("文件名", max_length=200)
    format = models.CharField("格式", max_length=4, choices=Format.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField("预计行数", default=0)
    processed_rows = models.PositiveIntegerField("已校验行数", default=0)
    created = models.PositiveIntegerField("已导入件数", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    errors = models.JSONField("错误（前 500 条）", default=list, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "办件导入"

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.VALIDATING, self.Status.WRITING)

    @property
    def is_stale(self) -> bool:
        """Still marked running but silent for half an hour: its process stopped (已中断)."""
        return self.is_running and timezone.now() - self.updated_at > STALE_AFTER

    @property
    def percent(self) -> int:
        return percent_done(self.processed_rows, self.total_rows, self.status == self.Status.DONE)
