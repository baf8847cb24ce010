"""好差评 (ratings of a service), 差评整改 (rectification of bad ratings) and 抽样调查 (surveys)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangkou.cases.models import counts_as_one_trip


class Level(models.IntegerChoices):
    """The five levels of Zhejiang's 政务服务好差评; 不满意 and 非常不满意 are 差评."""

    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASICALLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


SATISFIED_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED)
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


class Evaluation(models.Model):
    """One rating (评价) of a case or a ticket, first or follow-up (追评).

    Staff, window, center and department are copied from the case/ticket when the rating is
    made, so that the figures never need to join back through the hall or the cases.
    """

    class Channel(models.TextChoices):
        PAD = "pad", "窗口评价器"
        PHONE = "phone", "手机扫码"
        SMS = "sms", "短信"
        HOTLINE = "hotline", "热线电话"
        WEB = "web", "政务服务网"
        ONECALL = "1call", "1call 在线咨询"

    case = models.ForeignKey(
        "cases.Case",
        verbose_name="受理件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name="排队号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    channel = models.CharField("评价渠道", max_length=10, choices=Channel.choices)
    level = models.PositiveSmallIntegerField("评价等级", choices=Level.choices)
    comment = models.CharField("评价内容", max_length=500, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name="追评的原评价",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name="办理人员", null=True, blank=True, on_delete=models.SET_NULL
    )
    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", null=True, blank=True, on_delete=models.SET_NULL
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", null=True, blank=True, on_delete=models.SET_NULL
    )
    center = models.ForeignKey(
        "org.Center", verbose_name="中心", null=True, blank=True, on_delete=models.SET_NULL
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invalidated = models.BooleanField(
        "申诉成立（无效评价）", default=False, help_text="不计入满意率"
    )
    created_at = models.DateTimeField("评价时间")
    rated_on = models.DateField("评价日期", help_text="评价时间的本地日期，供统计使用")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "评价"
        constraints = [
            models.CheckConstraint(
                # a 1call rating is of a consultation (consult.Consultation.evaluation)
                condition=Q(case__isnull=False) | Q(ticket__isnull=False) | Q(channel="1call"),
                name="feedback_evaluation_has_subject",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="feedback_evaluation_level_range"
            ),
            models.UniqueConstraint(
                fields=["case", "channel"],
                condition=Q(follow_up_of__isnull=True, case__isnull=False),
                name="feedback_evaluation_one_per_case_channel",
            ),
            # One rating per served ticket, whatever the channel (pad or phone).
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(follow_up_of__isnull=True, ticket__isnull=False),
                name="feedback_evaluation_one_per_ticket",
            ),
            models.UniqueConstraint(
                fields=["follow_up_of"],
                condition=Q(follow_up_of__isnull=False),
                name="feedback_evaluation_one_follow_up",
            ),
        ]
        indexes = [
            models.Index(fields=["rated_on", "department"], name="feedback_eval_day_dept"),
            models.Index(fields=["rated_on", "level"], name="feedback_eval_day_level"),
        ]

    def __str__(self) -> str:
        subject = self.case or self.ticket or "1call 在线咨询"
        return f"{subject} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def is_follow_up(self) -> bool:
        return self.follow_up_of_id is not None

    @property
    def subject_label(self) -> str:
        if self.case_id:
            return f"受理件 {self.case.number}"
        if self.ticket_id is None:
            return "1call 在线咨询"
        return f"排队号 {self.ticket.number}（{self.ticket.service_date:%Y-%m-%d}）"


class Rectification(models.Model):
    """差评整改: every 不满意/非常不满意 opens one.

    Deadlines (浙江省政务服务"好差评"差评整改): call the citizen back (回访核实) within 1
    working day and rectify and reply (整改反馈) within 15 working days, both counted from the
    day of the rating on China's official working-day calendar.
    """

    class State(models.TextChoices):
        PENDING = "pending", "待核实"
        APPEALING = "appealing", "申诉中"
        RECTIFYING = "rectifying", "整改中"
        RECTIFIED = "rectified", "已整改"
        UNRECTIFIABLE = "unrectifiable", "无法整改"
        OVERDUE = "overdue", "超期"
        INVALIDATED = "invalidated", "申诉成立"

    class AppealKind(models.TextChoices):
        INVALID = "invalid", "无效评价"
        MALICIOUS = "malicious", "恶意评价"

    class Decision(models.TextChoices):
        UPHELD = "upheld", "申诉成立"
        REJECTED = "rejected", "申诉不成立"

    evaluation = models.OneToOneField(
        Evaluation, verbose_name="差评", on_delete=models.CASCADE, related_name="rectification"
    )
    state = models.CharField(
        "状态", max_length=14, choices=State.choices, default=State.PENDING, db_index=True
    )
    callback_due = models.DateField("回访期限")
    reply_due = models.DateField("整改反馈期限")
    callback_at = models.DateTimeField("回访时间", null=True, blank=True)
    callback_note = models.CharField("回访情况", max_length=500, blank=True)
    rectified_at = models.DateTimeField("整改反馈时间", null=True, blank=True)
    reply = models.TextField("整改情况与答复", blank=True)
    appeal_kind = models.CharField(
        "申诉理由类型", max_length=10, choices=AppealKind.choices, blank=True
    )
    appeal_reason = models.CharField("申诉理由", max_length=500, blank=True)
    appealed_at = models.DateTimeField("申诉时间", null=True, blank=True)
    appeal_decision = models.CharField(
        "申诉审核结果", max_length=10, choices=Decision.choices, blank=True
    )
    decision_note = models.CharField("审核意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    opened_at = models.DateTimeField("生成时间")
    escalated_at = models.DateTimeField(
        "上报中心管理员时间", null=True, blank=True, help_text="超期后由系统上报，中心管理员督办"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = verbose_name_plural = "差评整改"
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_due__gte=models.F("callback_due")),
                name="feedback_rectification_reply_after_callback",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "callback_due"], name="feedback_rect_callback_due"),
            models.Index(fields=["state", "reply_due"], name="feedback_rect_reply_due"),
        ]

    def __str__(self) -> str:
        return f"差评整改 #{self.pk}"


class RectificationEvent(models.Model):
    """One step in the history of a rectification (who did what, from which state to which)."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原状态", max_length=14, blank=True)
    to_state = models.CharField("新状态", max_length=14)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["rectification", "at", "id"]
        verbose_name = verbose_name_plural = "整改记录"

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.action}"

    @property
    def from_label(self) -> str:
        return Rectification.State(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return Rectification.State(self.to_state).label


class Survey(models.Model):
    """抽样调查: a random sample of the cases completed in a period, stratified by department.

    The sample is drawn with `seed`, so drawing again over the same cases gives the same sample.
    A survey done by an outside body (`conducted_by`) is imported with its interviews; its
    sample was drawn elsewhere (seed 0).
    """

    region = models.ForeignKey("org.Region", verbose_name="区县", on_delete=models.PROTECT)
    name = models.CharField("名称", max_length=100)
    period_start = models.DateField("办结日期自")
    period_end = models.DateField("办结日期至")
    seed = models.BigIntegerField("随机种子")
    sample_size = models.PositiveIntegerField("计划样本量")
    conducted_by = models.CharField(
        "调查机构",
        max_length=100,
        blank=True,
        help_text="外部机构（如省营商办的抽样调查）导入的回访结果；空 = 本平台抽样",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽样人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("抽样时间")

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = verbose_name_plural = "抽样调查"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="feedback_survey_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SurveyStratum(models.Model):
    """One department's stratum: how many cases it completed in the period and how many drawn."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="strata")
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    population = models.PositiveIntegerField("办结件数")
    sample_size = models.PositiveIntegerField("抽样数")

    class Meta:
        ordering = ["survey", "department__code"]
        verbose_name = verbose_name_plural = "抽样分层"
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "department"], name="feedback_surveystratum_unique"
            ),
            models.CheckConstraint(
                condition=Q(sample_size__lte=models.F("population")),
                name="feedback_surveystratum_sample_within_population",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.department_id}"


class SurveySample(models.Model):
    """One sampled case and its phone interview (电话回访)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="samples")
    stratum = models.ForeignKey(SurveyStratum, on_delete=models.CASCADE, related_name="samples")
    case = models.ForeignKey(
        "cases.Case", verbose_name="受理件", on_delete=models.PROTECT, related_name="+"
    )
    reached = models.BooleanField("已接通", null=True, blank=True, help_text="空 = 尚未回访")
    visits_reported = models.PositiveSmallIntegerField("自述跑动次数", null=True, blank=True)
    satisfied = models.BooleanField("是否满意", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="访问员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    interviewed_at = models.DateTimeField("回访时间", null=True, blank=True)

    class Meta:
        ordering = ["survey", "stratum", "id"]
        verbose_name = verbose_name_plural = "抽样样本"
        constraints = [
            models.UniqueConstraint(fields=["survey", "case"], name="feedback_surveysample_unique"),
            models.CheckConstraint(
                condition=Q(reached=True, visits_reported__isnull=False, satisfied__isnull=False)
                | Q(reached=False, visits_reported__isnull=True, satisfied__isnull=True)
                | Q(reached__isnull=True, visits_reported__isnull=True, satisfied__isnull=True),
                name="feedback_surveysample_answers_when_reached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.case_id}"

    @property
    def realized(self) -> bool | None:
        """最多跑一次 realised: reached and at most one visit reported."""
        if not self.reached:
            return None
        return counts_as_one_trip(self.visits_reported)


# -- 满意率日汇总 (summary.py builds it; selectors.py reads it) ----------------------------------


class FeedbackSummaryDay(models.Model):
    """A closed day whose 满意率日汇总 rows are built: the figures read the summary for it and
    count the ratings of every other day live. Deleting the day makes it stale (live again)."""

    date = models.DateField("日期", unique=True)
    built_at = models.DateTimeField("汇总时间")
    ratings = models.PositiveIntegerField("有效评价数", default=0)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "满意率日汇总（已汇总日期）"

    def __str__(self) -> str:
        return f"{self.date}"


class FeedbackDailyStats(models.Model):
    """满意率日汇总: the counted ratings (selectors.counted) of one day × department × center ×
    window × clerk × channel × level. The fields are named as Evaluation's, so that the page's
    filter (filters.EvaluationFilter) and groupings apply to both."""

    rated_on = models.DateField("评价日期")
    department = models.ForeignKey(
        "org.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    center = models.ForeignKey(
        "org.Center",
        verbose_name="中心",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name="办理人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField("评价渠道", max_length=10, choices=Evaluation.Channel.choices)
    level = models.PositiveSmallIntegerField("评价等级", choices=Level.choices)
    count = models.PositiveIntegerField("有效评价数")

    class Meta:
        ordering = ["rated_on"]
        verbose_name = verbose_name_plural = "满意率日汇总"
        indexes = [
            models.Index(fields=["rated_on", "department"], name="feedback_dailystats_day"),
        ]

    def __str__(self) -> str:
        return f"{self.rated_on} {self.department_id} {self.level}"
