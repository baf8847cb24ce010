"""督导: volunteer supervisors' secret visits (暗访), department heads' sitting-in (坐班体验)
with the 32 questions, and the tracker of 痛点/堵点/难点 problems."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from chuangkou.core.masking import mask_phone

USER = settings.AUTH_USER_MODEL


class Supervisor(models.Model):
    """义务行风监督员: appointed for a term, covering some centers; signs in with the
    `supervisor` role and sees only their own assignments and reports."""

    user = models.OneToOneField(
        USER, verbose_name="账号", on_delete=models.PROTECT, related_name="supervisor"
    )
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    affiliation = models.CharField("单位/身份", max_length=100, blank=True)
    former_department = models.ForeignKey(
        "org.Department",
        verbose_name="原工作部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="不派往该部门进驻的中心，也不能暗访该部门的窗口。",
    )
    term_start = models.DateField("聘期开始")
    term_end = models.DateField("聘期结束")
    centers = models.ManyToManyField("org.Center", verbose_name="负责中心", related_name="+")
    is_active = models.BooleanField("在聘", default=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = verbose_name_plural = "义务行风监督员"
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=F("term_start")),
                name="supervision_supervisor_term_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def serves_on(self, day) -> bool:
        return self.is_active and self.term_start <= day <= self.term_end


class VisitPlan(models.Model):
    """暗访计划 for a period: drawn at random within the constraints; seen by the admin only."""

    name = models.CharField("名称", max_length=100)
    period_start = models.DateField("开始日期")
    period_end = models.DateField("结束日期")
    visits_per_center = models.PositiveSmallIntegerField("每中心每月至少（次）")
    seed = models.PositiveBigIntegerField("随机种子")
    created_by = models.ForeignKey(USER, verbose_name="制定人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = verbose_name_plural = "暗访计划"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="supervision_visitplan_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class VisitAssignment(models.Model):
    """One drawn visit: this supervisor goes to this center on this day (不定期)."""

    plan = models.ForeignKey(VisitPlan, on_delete=models.CASCADE, related_name="assignments")
    supervisor = models.ForeignKey(
        Supervisor, verbose_name="监督员", on_delete=models.PROTECT, related_name="assignments"
    )
    center = models.ForeignKey(
        "org.Center", verbose_name="中心", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("暗访日期")

    class Meta:
        ordering = ["date", "center", "id"]
        verbose_name = verbose_name_plural = "暗访安排"
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "date"], name="supervision_visitassignment_one_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.center} {self.supervisor}"


class SecretVisit(models.Model):
    """暗访记录: filed by the supervisor for one assignment."""

    assignment = models.OneToOneField(
        VisitAssignment, verbose_name="暗访安排", on_delete=models.PROTECT, related_name="visit"
    )
    supervisor = models.ForeignKey(
        Supervisor, verbose_name="监督员", on_delete=models.PROTECT, related_name="visits"
    )
    center = models.ForeignKey("org.Center", verbose_name="中心", on_delete=models.PROTECT)
    visited_at = models.DateTimeField("暗访时间", db_index=True)
    summary = models.TextField("总体印象", max_length=2000, blank=True)
    lobby_staff = models.ForeignKey(
        "org.Staff",
        verbose_name="当班大堂经理",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField("提交时间")
    confirm_due = models.DateField("部门确认期限")

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = verbose_name_plural = "暗访记录"

    def __str__(self) -> str:
        return f"{self.center} {self.visited_at:%Y-%m-%d %H:%M}"


class ObservedWindow(models.Model):
    """A window the supervisor observed, with the clerk on duty resolved from the hall."""

    class Source(models.TextChoices):
        SIGN_IN = "sign_in", "窗口签到"
        TICKET = "ticket", "叫号办理记录"
        POSTING = "posting", "窗口岗位"
        UNKNOWN = "unknown", "未能确定"

    visit = models.ForeignKey(SecretVisit, on_delete=models.CASCADE, related_name="windows")
    window = models.ForeignKey("org.Window", verbose_name="窗口", on_delete=models.PROTECT)
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name="当班人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField("当班依据", max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["visit", "window__number"]
        verbose_name = verbose_name_plural = "暗访窗口"
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "window"], name="supervision_observedwindow_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.window.number}"


class Observation(models.Model):
    """One checklist item at one window (or in the lobby): 符合 / 不符合 / 未观察."""

    class Result(models.TextChoices):
        OK = "ok", "符合"
        BAD = "bad", "不符合"
        UNSEEN = "unseen", "未观察"

    visit = models.ForeignKey(SecretVisit, on_delete=models.CASCADE, related_name="observations")
    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", null=True, blank=True, on_delete=models.PROTECT
    )
    item = models.CharField("检查项", max_length=20)
    item_label = models.CharField("检查项名称", max_length=50)
    group = models.CharField("类别", max_length=20)
    result = models.CharField("结果", max_length=8, choices=Result.choices)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["visit", "window", "id"]
        verbose_name = verbose_name_plural = "检查项结果"
        # One result per item per window, and per item in the lobby (window NULL). Two
        # partial constraints rather than nulls_distinct=False, which SQLite ignores (W047).
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "window", "item"],
                condition=models.Q(window__isnull=False),
                name="supervision_observation_once",
            ),
            models.UniqueConstraint(
                fields=["visit", "item"],
                condition=models.Q(window__isnull=True),
                name="supervision_observation_once_lobby",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_label} {self.get_result_display()}"


class VisitPhoto(models.Model):
    """A photo of a visit: checked and stripped by core.uploads, served only through a view."""

    visit = models.ForeignKey(SecretVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("文件", max_length=200)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("字节数")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = verbose_name_plural = "暗访照片"

    def __str__(self) -> str:
        return self.file.name


class Finding(models.Model):
    """问题: each 不符合 against the window and the person on duty. The department head
    confirms it or disputes it (with evidence) within 3 working days; the admin decides."""

    class State(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DISPUTED = "disputed", "申辩中"
        WITHDRAWN = "withdrawn", "申辩成立已撤销"

    observation = models.OneToOneField(
        Observation, on_delete=models.PROTECT, related_name="finding"
    )
    visit = models.ForeignKey(SecretVisit, on_delete=models.PROTECT, related_name="findings")
    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", null=True, blank=True, on_delete=models.PROTECT
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name="当事人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_findings",
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT
    )
    item = models.CharField("检查项", max_length=20)
    item_label = models.CharField("检查项名称", max_length=50)
    note = models.CharField("说明", max_length=500, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    confirm_due = models.DateField("确认期限")
    answered_by = models.ForeignKey(
        USER, verbose_name="确认/申辩人", null=True, blank=True, on_delete=models.PROTECT
    )
    answered_at = models.DateTimeField("确认/申辩时间", null=True, blank=True)
    dispute_reason = models.CharField("申辩理由", max_length=1000, blank=True)
    evidence = models.FileField("申辩证据", max_length=200, blank=True)
    evidence_type = models.CharField(max_length=40, blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name="裁定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("裁定时间", null=True, blank=True)
    decision_note = models.CharField("裁定意见", max_length=500, blank=True)

    class Meta:
        ordering = ["-visit__visited_at", "-id"]
        verbose_name = verbose_name_plural = "暗访问题"
        indexes = [models.Index(fields=["state", "confirm_due"], name="supervision_finding_due")]

    def __str__(self) -> str:
        return f"{self.item_label} {self.get_state_display()}"


class Questionnaire(models.Model):
    """ "32 个问": a versioned list of questions; one version is current."""

    version = models.PositiveSmallIntegerField("版本", unique=True)
    title = models.CharField("标题", max_length=100)
    is_current = models.BooleanField("当前版本", default=False)
    published_at = models.DateField("发布日期")

    class Meta:
        ordering = ["-version"]
        verbose_name = verbose_name_plural = "坐班问题清单"
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="supervision_questionnaire_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.version} 版）"


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField("序号")
    stage = models.CharField("环节", max_length=20)
    text = models.CharField("问题", max_length=200)

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = verbose_name_plural = "坐班问题"
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="supervision_question_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class SittingSlot(models.Model):
    """A half-day at a window open for department heads to sit in (坐班)."""

    class Half(models.TextChoices):
        AM = "am", "上午"
        PM = "pm", "下午"

    window = models.ForeignKey("org.Window", verbose_name="窗口", on_delete=models.PROTECT)
    date = models.DateField("日期", db_index=True)
    half = models.CharField("时段", max_length=2, choices=Half.choices)
    capacity = models.PositiveSmallIntegerField("名额", default=1)

    class Meta:
        ordering = ["date", "half", "window__number"]
        verbose_name = verbose_name_plural = "坐班时段"
        constraints = [
            models.UniqueConstraint(
                fields=["window", "date", "half"], name="supervision_sittingslot_once"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="supervision_sittingslot_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_half_display()} {self.window.number}"


class SittingIn(models.Model):
    """坐班体验: booked by a department head, then recorded (活动记录表) with the answers to the
    current questionnaire and the problems found."""

    class Status(models.TextChoices):
        BOOKED = "booked", "已预约"
        RECORDED = "recorded", "已记录"
        CANCELLED = "cancelled", "已取消"

    slot = models.ForeignKey(
        SittingSlot, verbose_name="时段", on_delete=models.PROTECT, related_name="sittings"
    )
    head = models.ForeignKey(
        USER, verbose_name="部门负责人", on_delete=models.PROTECT, related_name="sittings"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField("预约时间")
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="问题清单", null=True, blank=True, on_delete=models.PROTECT
    )
    summary = models.TextField("体验小结", max_length=4000, blank=True)
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True)

    class Meta:
        ordering = ["-slot__date", "-id"]
        verbose_name = verbose_name_plural = "坐班体验"
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "head"],
                condition=~Q(status="cancelled"),
                name="supervision_sittingin_once_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot} {self.head}"


class Answer(models.Model):
    sitting = models.ForeignKey(SittingIn, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT)
    text = models.CharField("回答", max_length=1000, blank=True)

    class Meta:
        ordering = ["sitting", "question__number"]
        verbose_name = verbose_name_plural = "坐班回答"
        constraints = [
            models.UniqueConstraint(fields=["sitting", "question"], name="supervision_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question.number}: {self.text[:20]}"


class Problem(models.Model):
    """痛点/堵点/难点: found, then solved on the spot, by consultation (with the meeting record),
    or coordinated until solved; closed; reopened. Its history is `events`."""

    class Kind(models.TextChoices):
        PAIN = "pain", "痛点"
        BLOCK = "block", "堵点"
        HARD = "hard", "难点"

    class Source(models.TextChoices):
        SITTING = "sitting", "坐班体验"
        VISIT = "visit", "暗访"
        RATING = "rating", "差评"
        SUGGESTION = "suggestion", "员工建议"
        MANUAL = "manual", "手工登记"

    class State(models.TextChoices):
        FOUND = "found", "发现"
        ON_SPOT = "on_spot", "当场解决"
        CONSULTED = "consulted", "会商解决"
        COORDINATING = "coordinating", "正在协调"
        RESOLVED = "resolved", "已解决"
        CLOSED = "closed", "关闭"

    title = models.CharField("问题", max_length=200)
    description = models.TextField("描述", max_length=4000, blank=True)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    category = models.ForeignKey(
        "org.BusinessCategory",
        verbose_name="业务类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    owner = models.ForeignKey(
        "org.Department", verbose_name="责任部门", on_delete=models.PROTECT, related_name="+"
    )
    coordinating = models.ManyToManyField(
        "org.Department", verbose_name="协调部门", blank=True, related_name="+"
    )
    center = models.ForeignKey(
        "org.Center", verbose_name="中心", null=True, blank=True, on_delete=models.PROTECT
    )
    sitting = models.ForeignKey(
        SittingIn,
        verbose_name="坐班体验",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    visit = models.ForeignKey(
        SecretVisit,
        verbose_name="暗访",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    found_on = models.DateField("发现日期", db_index=True)
    deadline = models.DateField("解决期限")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.FOUND)
    meeting_record = models.TextField("会商记录", max_length=4000, blank=True)
    resolution = models.TextField("解决情况", max_length=4000, blank=True)
    escalated_at = models.DateTimeField("超期上报时间", null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = verbose_name_plural = "痛点堵点难点"
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("found_on")),
                name="supervision_problem_deadline_after_found",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProblemEvent(models.Model):
    """One move of a problem (its history); `on` is the day it counts for in the figures."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    on = models.DateField("日期", db_index=True)
    at = models.DateTimeField("记录时间")
    actor = models.ForeignKey(
        USER, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField("操作", max_length=20)
    from_state = models.CharField("原状态", max_length=12, blank=True)
    to_state = models.CharField("新状态", max_length=12)
    note = models.CharField("说明", max_length=1000, blank=True)

    class Meta:
        ordering = ["problem", "on", "at", "id"]
        verbose_name = verbose_name_plural = "问题处理记录"

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action}"
