"""评先评优 (最美办事窗口 / 最美办事员 campaigns) and 表彰 (锦旗, 感谢信, 青年文明号 …).

A campaign moves 推荐 → 投票 → 评审 → 排名 → 公布. Departments nominate windows and staff
with their deeds; citizens vote with the QR code of a ticket served in the campaign's period
(one vote per ticket and category), staff with their accounts (one vote per person and
category); a panel scores each nomination; the ranking follows `Campaign.formula_text`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    """What a nomination is for: one of the two titles of a campaign."""

    WINDOW = "window", "最美办事窗口"
    STAFF = "staff", "最美办事员"


class Campaign(models.Model):
    """一次评选: the period judged, the vote's days, the quotas and the weights of the formula."""

    class Status(models.TextChoices):
        NOMINATING = "nominating", "部门推荐"
        VOTING = "voting", "投票中"
        REVIEWING = "reviewing", "评审中"
        RANKED = "ranked", "已排名"
        PUBLISHED = "published", "已公布"

    name = models.CharField("评选名称", max_length=100)
    period_start = models.DateField("评选周期自", help_text="在岗与服务均按此周期计")
    period_end = models.DateField("评选周期至")
    vote_start = models.DateField("投票开始")
    vote_end = models.DateField("投票截止")
    window_quota = models.PositiveSmallIntegerField("最美办事窗口名额", default=9)
    staff_quota = models.PositiveSmallIntegerField("最美办事员名额", default=8)
    vote_weight = models.PositiveSmallIntegerField(
        "投票权重（%）", default=30, help_text="评审权重 = 100 − 投票权重"
    )
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.NOMINATING
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="评审组", blank=True, related_name="honor_panels"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = verbose_name_plural = "评选活动"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="honors_campaign_period_order",
            ),
            models.CheckConstraint(
                condition=Q(vote_end__gte=models.F("vote_start")),
                name="honors_campaign_vote_order",
            ),
            models.CheckConstraint(
                condition=Q(vote_weight__lte=100), name="honors_campaign_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def review_weight(self) -> int:
        return 100 - self.vote_weight

    @property
    def formula_text(self) -> str:
        return (
            f"综合得分 = 投票得分 × {self.vote_weight}% + 评审得分 × {self.review_weight}%；"
            "投票得分 = 本项票数 ÷ 同类最高票数 × 100，评审得分 = 评审组打分的平均分（满分 100）。"
            "同分时依次比较评审得分、票数。"
        )

    def quota(self, kind: str) -> int:
        return self.window_quota if kind == Kind.WINDOW else self.staff_quota


class Nomination(models.Model):
    """部门推荐: a window or a staff member with the deeds (先进事迹)."""

    class Status(models.TextChoices):
        ELIGIBLE = "eligible", "符合条件"
        INELIGIBLE = "ineligible", "不符合条件"

    campaign = models.ForeignKey(
        Campaign, verbose_name="评选", on_delete=models.CASCADE, related_name="nominations"
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", null=True, blank=True, on_delete=models.PROTECT
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name="窗口人员", null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="推荐部门", on_delete=models.PROTECT
    )
    deeds = models.TextField("先进事迹", max_length=3000)
    status = models.CharField(
        "资格", max_length=12, choices=Status.choices, default=Status.ELIGIBLE
    )
    status_note = models.CharField("资格说明", max_length=300, blank=True)
    votes = models.PositiveIntegerField("票数", default=0)
    review_score = models.DecimalField(
        "评审得分", max_digits=5, decimal_places=2, null=True, blank=True
    )
    final_score = models.DecimalField(
        "综合得分", max_digits=5, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    awarded = models.BooleanField("当选", default=False)
    citation = models.TextField("颁奖词", max_length=1000, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="推荐人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominated_at = models.DateTimeField("推荐时间", auto_now_add=True)

    class Meta:
        ordering = ["campaign", "kind", "rank", "id"]
        verbose_name = verbose_name_plural = "推荐对象"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="window", window__isnull=False, staff__isnull=True))
                | Q(kind="staff", staff__isnull=False, window__isnull=True),
                name="honors_nomination_subject_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["campaign", "window"],
                condition=Q(window__isnull=False),
                name="honors_nomination_once_per_window",
            ),
            models.UniqueConstraint(
                fields=["campaign", "staff"],
                condition=Q(staff__isnull=False),
                name="honors_nomination_once_per_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_label}"

    @property
    def subject_label(self) -> str:
        if self.window_id:
            return f"{self.window.number} {self.window.name}"
        return self.staff.name if self.staff_id else ""


class Vote(models.Model):
    """一票: a citizen's (by a served ticket) or a staff member's (by their account).

    The unique constraints make a second vote with the same ticket, or by the same account, in
    the same category of a campaign impossible, whatever runs concurrently.
    """

    class Channel(models.TextChoices):
        PUBLIC = "public", "群众扫码"
        STAFF = "staff", "工作人员"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="ballots")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    ticket = models.ForeignKey(
        "hall.Ticket", verbose_name="排队号", null=True, blank=True, on_delete=models.PROTECT
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="投票人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cast_at = models.DateTimeField("投票时间")

    class Meta:
        ordering = ["-cast_at", "-id"]
        verbose_name = verbose_name_plural = "投票"
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel="public", ticket__isnull=False, voter__isnull=True))
                | Q(channel="staff", voter__isnull=False, ticket__isnull=True),
                name="honors_vote_one_credential",
            ),
            models.UniqueConstraint(
                fields=["campaign", "kind", "ticket"],
                condition=Q(ticket__isnull=False),
                name="honors_vote_once_per_ticket",
            ),
            models.UniqueConstraint(
                fields=["campaign", "kind", "voter"],
                condition=Q(voter__isnull=False),
                name="honors_vote_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.nomination_id} {self.get_channel_display()}"


class ReviewScore(models.Model):
    """评审打分: one panel member's score (0–100) of one nomination."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评委", on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField("分数", max_digits=5, decimal_places=2)
    scored_at = models.DateTimeField("打分时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审打分"
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "judge"], name="honors_reviewscore_once_per_judge"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="honors_reviewscore_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.judge_id} {self.score}"


class Commendation(models.Model):
    """表彰: a 锦旗 or 感谢信 received for a window or a person, or a title (青年文明号 …)
    won by a team."""

    class Type(models.TextChoices):
        BANNER = "banner", "锦旗"
        LETTER = "letter", "感谢信"
        TITLE = "title", "集体荣誉"

    type = models.CharField("类型", max_length=10, choices=Type.choices)
    received_on = models.DateField("日期", db_index=True)
    sender = models.CharField("赠送人/授予单位", max_length=100, blank=True)
    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", null=True, blank=True, on_delete=models.PROTECT
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name="窗口人员", null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey("org.Department", verbose_name="部门", on_delete=models.PROTECT)
    team = models.CharField("集体名称", max_length=100, blank=True)
    title = models.CharField("荣誉称号", max_length=100, blank=True, help_text="如 市级青年文明号")
    text = models.TextField("内容", max_length=3000, blank=True)
    scan = models.CharField(
        "扫描件/照片", max_length=300, blank=True, help_text="存储名（core.uploads，不公开）"
    )
    scan_type = models.CharField("文件类型", max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "表彰"
        constraints = [
            models.CheckConstraint(
                condition=Q(type="title", title__gt="")
                | (~Q(type="title") & (Q(window__isnull=False) | Q(staff__isnull=False))),
                name="honors_commendation_has_subject",
            ),
        ]
        indexes = [models.Index(fields=["type", "received_on"], name="honors_comm_type_day")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.received_on} {self.subject_label}"

    @property
    def masked_sender(self) -> str:
        """赠送人 masked: 张先生 → 张**, 杭州某某科技有限公司 → 杭州******公司."""
        name = (self.sender or "").strip()
        if len(name) <= 1:
            return name
        if len(name) <= 4:
            return name[0] + "*" * (len(name) - 1)
        return name[:2] + "*" * (len(name) - 4) + name[-2:]

    @property
    def subject_label(self) -> str:
        if self.type == self.Type.TITLE:
            return self.team or (self.window.name if self.window_id else self.department.name)
        if self.staff_id:
            return self.staff.name
        return f"{self.window.number} {self.window.name}" if self.window_id else ""
