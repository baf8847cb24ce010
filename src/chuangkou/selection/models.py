"""竞聘上岗: a competition for paid backbone posts in tiers (笔试 + 面试, 三档待遇).

Status: draft → registration → scoring → ranked → published (公示) → final. Scores are kept on a
100-point scale with two decimals; money in integer yuan.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

HUNDRED = Decimal(100)
SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)]


def score_field(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


class Competition(models.Model):
    """竞聘: tiers with quotas, eligibility, the written exam, an interview panel and a budget."""

    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        REGISTRATION = "registration", "报名中"
        SCORING = "scoring", "评分中"
        RANKED = "ranked", "已排名"
        PUBLISHED = "published", "公示中"
        FINAL = "final", "已定岗"

    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    budget = models.PositiveIntegerField("年度预算（元）")
    written_weight = models.DecimalField(
        "笔试权重（%）", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    interview_weight = models.DecimalField(
        "面试权重（%）", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    pass_line = score_field("合格线（综合成绩）")
    allowed_employment_types = models.JSONField("可报名用工性质", default=list)
    min_service_years = models.PositiveSmallIntegerField("最低服务年限（年）", default=0)
    service_reference_date = models.DateField("服务年限计算截止日")
    exam = models.ForeignKey(
        "exams.Exam",
        verbose_name="笔试考试",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="题库与考试中的笔试；不设则通过 Excel 导入或手工录入笔试成绩",
    )
    notice_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    notice_start = models.DateField("公示开始", null=True, blank=True)
    notice_end = models.DateField("公示截止（异议截止）", null=True, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    finalised_at = models.DateTimeField("定岗时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "竞聘"
        constraints = [
            models.CheckConstraint(
                condition=Q(written_weight__gte=0)
                & Q(interview_weight__gte=0)
                & Q(written_weight__lte=100)
                & Q(interview_weight__lte=100),
                name="selection_competition_weights_range",
            ),
            models.CheckConstraint(
                condition=Q(pass_line__gte=0) & Q(pass_line__lte=100),
                name="selection_competition_pass_line_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def employment_type_labels(self) -> list[str]:
        from chuangkou.org.models import Staff

        labels = dict(Staff.EmploymentType.choices)
        return [str(labels.get(t, t)) for t in self.allowed_employment_types]


class Tier(models.Model):
    """档次: rank order 1 is the highest tier (e.g. 一档 2.4 万元/年)."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="tiers")
    rank_order = models.PositiveSmallIntegerField("档次顺序")
    name = models.CharField("档次名称", max_length=30)
    quota = models.PositiveSmallIntegerField("名额")
    annual_amount = models.PositiveIntegerField("年度待遇（元）")

    class Meta:
        ordering = ["competition", "rank_order"]
        verbose_name = verbose_name_plural = "档次"
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "rank_order"], name="selection_tier_unique_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def amount_wan(self) -> Decimal:
        """The annual amount in 万元, as the briefing writes it (2.4 万元/年)."""
        return (Decimal(self.annual_amount) / 10000).normalize()


class Candidate(models.Model):
    """报名人员: eligibility is checked at registration; scores and result follow."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "已报名"
        WITHDRAWN = "withdrawn", "放弃/缺考"

    class Outcome(models.TextChoices):
        PENDING = "", "待排名"
        PLACED = "placed", "拟聘"
        UNPLACED = "unplaced", "未入围"
        BELOW = "below", "未达合格线"
        TIE_PENDING = "tie", "并列待定"

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="candidates"
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    service_years = models.PositiveSmallIntegerField("服务年限（年）")
    registered_at = models.DateTimeField("报名时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    withdraw_reason = models.CharField("放弃原因", max_length=200, blank=True)
    written_score = score_field("笔试成绩", null=True, blank=True)
    interview_score = score_field("面试成绩", null=True, blank=True)
    final_score = score_field("综合成绩", null=True, blank=True)
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    tier = models.ForeignKey(
        Tier, verbose_name="档次", null=True, blank=True, on_delete=models.PROTECT
    )
    outcome = models.CharField(
        "结果", max_length=8, choices=Outcome.choices, default=Outcome.PENDING, blank=True
    )
    tie_break = models.PositiveSmallIntegerField("并列顺位（管理员决定）", null=True, blank=True)

    class Meta:
        ordering = ["competition", "rank", "staff__staff_no"]
        verbose_name = verbose_name_plural = "报名人员"
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "staff"], name="selection_candidate_unique_staff"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.name}（{self.competition.name}）"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.REGISTERED


class Judge(models.Model):
    """面试评委: a user holding the grader role, on one competition's panel."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评委",
        on_delete=models.PROTECT,
        related_name="selection_panels",
    )
    seat = models.PositiveSmallIntegerField("评委席位", default=0)

    class Meta:
        ordering = ["competition", "seat", "id"]
        verbose_name = verbose_name_plural = "面试评委"
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "user"], name="selection_judge_unique_user"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class InterviewScore(models.Model):
    """One judge's interview score of one candidate (0–100)."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="interview_scores"
    )
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="scores")
    score = score_field("评分")
    updated_at = models.DateTimeField("评分时间", auto_now=True)

    class Meta:
        ordering = ["candidate", "judge"]
        verbose_name = verbose_name_plural = "面试评分"
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "judge"], name="selection_interviewscore_unique_judge"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="selection_interviewscore_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge} → {self.candidate.staff.name}: {self.score}"


class Objection(models.Model):
    """公示期异议: about one candidate or the whole competition; the admin records a decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        UPHELD = "upheld", "异议成立"
        REJECTED = "rejected", "异议不成立"

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="objections"
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name="涉及人员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objections",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField("异议内容", max_length=2000)
    submitted_at = models.DateTimeField("提出时间", auto_now_add=True)
    status = models.CharField(
        "处理结果", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reply = models.TextField("处理意见", max_length=2000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = verbose_name_plural = "公示异议"
        constraints = [
            # One objection per person to one result (a candidate, or the whole list).
            models.UniqueConstraint(
                fields=["competition", "candidate", "submitted_by"],
                condition=models.Q(candidate__isnull=False),
                name="selection_objection_once_per_candidate",
            ),
            models.UniqueConstraint(
                fields=["competition", "submitted_by"],
                condition=models.Q(candidate__isnull=True),
                name="selection_objection_once_per_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competition} 异议 #{self.pk}"
