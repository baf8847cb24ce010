"""能力提升: training events (专家授课, 月度大讲堂, 对标参观 …) with their audience, sign-up,
attendance by a rotating QR code, feedback after the event; and staff suggestions (建议)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    EXPERT = "expert", "专家授课"
    MONTHLY = "monthly", "月度大讲堂"
    BENCHMARK = "benchmark", "对标参观"
    DISCUSSION = "discussion", "主题大讨论"
    ETIQUETTE = "etiquette", "服务礼仪培训"
    OPERATION = "operation", "业务操作培训"
    OUTDOOR = "outdoor", "户外拓展/毅行"
    STRESS = "stress", "舒压讲座"


class TrainingEvent(models.Model):
    """一次培训活动. The audience is the union of the departments, employment types, business
    categories and people named; with none named, every staff member is invited."""

    title = models.CharField("主题", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=100)
    speaker = models.CharField("主讲人", max_length=50, blank=True)
    description = models.TextField("内容简介", max_length=2000, blank=True)
    capacity = models.PositiveIntegerField("名额", default=0, help_text="0 表示不限")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    departments = models.ManyToManyField(
        "org.Department", verbose_name="面向部门", blank=True, related_name="+"
    )
    employment_types = models.JSONField("面向用工性质", default=list, blank=True)
    categories = models.ManyToManyField(
        "org.BusinessCategory", verbose_name="面向业务类别", blank=True, related_name="+"
    )
    invitees = models.ManyToManyField(
        "org.Staff", verbose_name="指定人员", blank=True, related_name="training_invitations"
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="组织者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    absences_recorded = models.BooleanField("已登记缺勤", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = verbose_name_plural = "培训活动"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_event_time_order"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=99), name="training_event_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class Attendance(models.Model):
    """One person's place at an event: signed up, then present / late / absent."""

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", "已报名"
        PRESENT = "present", "出勤"
        LATE = "late", "迟到"
        ABSENT = "absent", "缺勤"

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendances")
    staff = models.ForeignKey(
        "org.Staff", verbose_name="人员", on_delete=models.PROTECT, related_name="trainings"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SIGNED_UP
    )
    signed_up_at = models.DateTimeField("报名时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    correction_reason = models.CharField("更正原因", max_length=200, blank=True)

    class Meta:
        ordering = ["event", "staff__staff_no"]
        verbose_name = verbose_name_plural = "培训出勤"
        constraints = [
            models.UniqueConstraint(fields=["event", "staff"], name="training_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.staff} {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status in (self.Status.PRESENT, self.Status.LATE)


class Feedback(models.Model):
    """课后评价: one short rating form per attendee."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="feedbacks")
    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField("总体评价（1–5）")
    usefulness = models.PositiveSmallIntegerField("对工作的帮助（1–5）")
    comment = models.CharField("意见建议", max_length=500, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训评价"
        constraints = [
            models.UniqueConstraint(fields=["event", "staff"], name="training_feedback_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5, usefulness__gte=1, usefulness__lte=5),
                name="training_feedback_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.rating}"


class Suggestion(models.Model):
    """员工建议 in one of the four aspects; the center admin assigns, answers, adopts or
    declines it, and may turn it into a problem of the oversight tracker."""

    class Aspect(models.TextChoices):
        ATTITUDE = "attitude", "服务态度"
        SKILL = "skill", "业务能力"
        PUBLICITY = "publicity", "信息宣传"
        SUPPORT = "support", "服务保障"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待处理"
        ASSIGNED = "assigned", "已交办"
        ANSWERED = "answered", "已答复"
        ADOPTED = "adopted", "已采纳"
        DECLINED = "declined", "未采纳"

    author = models.ForeignKey(
        "org.Staff", verbose_name="提出人", on_delete=models.PROTECT, related_name="suggestions"
    )
    aspect = models.CharField("方面", max_length=10, choices=Aspect.choices)
    title = models.CharField("标题", max_length=100)
    content = models.TextField("建议内容", max_length=2000)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField("答复", max_length=2000, blank=True)
    decision_reason = models.CharField("采纳/不采纳理由", max_length=500, blank=True)
    problem = models.ForeignKey(
        "supervision.Problem",
        verbose_name="转为问题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "员工建议"

    def __str__(self) -> str:
        return self.title

    @property
    def closed(self) -> bool:
        return self.status in (self.Status.ADOPTED, self.Status.DECLINED)


class Courseware(models.Model):
    """课件: a speaker's slides or document (PDF/PPTX/DOCX), with the summary and key points
    that go into the handbook (课件汇编成册)."""

    title = models.CharField("课件名称", max_length=100)
    domain = models.CharField("业务领域", max_length=50)
    summary = models.TextField("内容摘要", max_length=2000)
    key_points = models.TextField("要点", max_length=2000, help_text="每行一条")
    event = models.ForeignKey(
        TrainingEvent,
        verbose_name="所属培训",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coursewares",
    )
    file = models.FileField("文件", max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField("原文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    speaker = models.CharField("主讲人", max_length=50)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    selected = models.BooleanField("入选汇编", default=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["domain", "title", "id"]
        verbose_name = verbose_name_plural = "课件"

    def __str__(self) -> str:
        return self.title

    @property
    def points(self) -> list[str]:
        return [line.strip() for line in self.key_points.splitlines() if line.strip()]


class PkContest(models.Model):
    """业务讲堂大 PK of a year: the panel scores each entry by the stated criteria (each with
    its maximum), every staff member casts one vote."""

    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        OPEN = "open", "评分投票中"
        CLOSED = "closed", "已结束"

    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度", unique=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField("开始评分时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    criteria = models.JSONField("评分标准", help_text="[[名称, 满分], …]")
    vote_weight = models.PositiveSmallIntegerField("投票权重（%）", default=20)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="评委", blank=True, related_name="+"
    )
    entries = models.ManyToManyField(Courseware, verbose_name="参赛课件", related_name="contests")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "业务讲堂大PK"

    def __str__(self) -> str:
        return self.name

    @property
    def max_score(self) -> int:
        return sum(points for _name, points in self.criteria)


class PkScore(models.Model):
    """One judge's scores of one entry, by criterion."""

    contest = models.ForeignKey(PkContest, on_delete=models.CASCADE, related_name="scores")
    courseware = models.ForeignKey(Courseware, on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.JSONField("各项得分")
    total = models.DecimalField("合计", max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = verbose_name_plural = "评委评分"
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "courseware", "judge"], name="training_pkscore_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.courseware} {self.total}"


class PkVote(models.Model):
    """One staff member's one vote in a contest."""

    contest = models.ForeignKey(PkContest, on_delete=models.CASCADE, related_name="votes")
    courseware = models.ForeignKey(Courseware, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "员工投票"
        constraints = [
            models.UniqueConstraint(fields=["contest", "voter"], name="training_pkvote_once")
        ]

    def __str__(self) -> str:
        return f"{self.voter} → {self.courseware}"
