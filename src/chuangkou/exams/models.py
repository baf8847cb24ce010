"""题库与考试: knowledge points, questions with immutable versions, papers, exams, attempts,
blind grading and the skill contest (技能大比武)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class KnowledgePoint(models.Model):
    """知识点: a small tree (领域 → 高频知识点)."""

    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField("名称", max_length=100)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    description = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "知识点"
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="exams_knowledgepoint_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "不定项选择题"
    FILL = "fill", "材料模版填空题"
    CORRECTION = "correction", "改错题"
    OPEN = "open", "开放式陈述题"
    SCENARIO = "scenario", "虚拟办事场景题"


OBJECTIVE_KINDS = frozenset(
    {
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.FILL,
        QuestionKind.CORRECTION,
        QuestionKind.SCENARIO,
    }
)


class Question(models.Model):
    """试题: the stable identity; its text and key live in versions (QuestionVersion)."""

    class Difficulty(models.IntegerChoices):
        EASY = 1, "易"
        FAIRLY_EASY = 2, "较易"
        MEDIUM = 3, "中"
        FAIRLY_HARD = 4, "较难"
        HARD = 5, "难"

    class Source(models.TextChoices):
        WINDOW_PROBLEM = "window_problem", "窗口难点问题"
        TYPICAL_CASE = "typical_case", "典型案例"
        REGULATION = "regulation", "法规制度"

    code = models.CharField("题号", max_length=20, unique=True)
    kind = models.CharField("题型", max_length=12, choices=QuestionKind.choices)
    difficulty = models.PositiveSmallIntegerField(
        "难度", choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    knowledge_points = models.ManyToManyField(
        KnowledgePoint, verbose_name="知识点", related_name="questions"
    )
    matter = models.ForeignKey(
        "catalog.Matter",
        verbose_name="关联事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exam_questions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="命题人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current_version = models.ForeignKey(
        "QuestionVersion",
        verbose_name="当前版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "试题"
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1) & Q(difficulty__lte=5),
                name="exams_question_difficulty_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()}"

    @property
    def is_objective(self) -> bool:
        return self.kind in OBJECTIVE_KINDS


class QuestionVersion(models.Model):
    """试题版本: stem, content and key. Once an attempt shows it, it is never changed again;
    an edit then makes the next version (past results keep theirs)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    stem = models.TextField("题干")
    config = models.JSONField("内容与答案", default=dict)
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        verbose_name = verbose_name_plural = "试题版本"
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="exams_questionversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.code} v{self.number}"


class MultiRule(models.TextChoices):
    """不定项选择题计分规则 (chosen per paper)."""

    ALL_OR_NOTHING = "all", "全对得分，错选漏选不得分"
    PARTIAL = "partial", "无错选时按选对的项数比例得分"
    HALF = "half", "无错选但漏选得一半分"


class Paper(models.Model):
    """试卷: fixed (固定试卷) or drawn from a blueprint (随机组卷)."""

    class Kind(models.TextChoices):
        FIXED = "fixed", "固定试卷"
        BLUEPRINT = "blueprint", "随机组卷"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("组卷方式", max_length=12, choices=Kind.choices, default=Kind.FIXED)
    description = models.TextField("说明", blank=True)
    multi_rule = models.CharField(
        "不定项计分规则", max_length=10, choices=MultiRule.choices, default=MultiRule.PARTIAL
    )
    draw_per_candidate = models.BooleanField("每名考生单独抽题", default=True)
    shuffle_questions = models.BooleanField("打乱题目顺序", default=False)
    shuffle_options = models.BooleanField("打乱选项顺序", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "试卷"

    def __str__(self) -> str:
        return self.name


class PaperItem(models.Model):
    """A question of a fixed paper, with its points."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, verbose_name="试题", on_delete=models.PROTECT)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        ordering = ["paper", "order", "id"]
        verbose_name = verbose_name_plural = "试卷试题"
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "question"], name="exams_paperitem_unique_question"
            ),
            models.CheckConstraint(condition=Q(points__gt=0), name="exams_paperitem_points"),
        ]

    def __str__(self) -> str:
        return f"{self.paper_id}:{self.question_id}"


class BlueprintRule(models.Model):
    """组卷规则: how many questions of a kind, from which points and difficulty, points each."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField("题型", max_length=12, choices=QuestionKind.choices)
    count = models.PositiveSmallIntegerField("题数")
    points = models.DecimalField("每题分值", max_digits=6, decimal_places=2)
    knowledge_points = models.ManyToManyField(
        KnowledgePoint, verbose_name="知识点（空=不限）", blank=True, related_name="+"
    )
    difficulty_min = models.PositiveSmallIntegerField("最低难度", default=1)
    difficulty_max = models.PositiveSmallIntegerField("最高难度", default=5)
    sources = models.JSONField("来源（空=不限）", default=list, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["paper", "order", "id"]
        verbose_name = verbose_name_plural = "组卷规则"
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="exams_blueprintrule_count"),
            models.CheckConstraint(condition=Q(points__gt=0), name="exams_blueprintrule_points"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} × {self.count}"


class Exam(models.Model):
    """考试: a paper, candidates, a time window and a duration."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        OPEN = "open", "已开放"
        CLOSED = "closed", "已结束"
        PUBLISHED = "published", "成绩已发布"

    class Purpose(models.TextChoices):
        COMPETITION = "competition", "业务通办竞岗笔试"
        CONTEST = "contest", "技能大比武"
        PRACTICE = "practice", "日常测试"

    title = models.CharField("考试名称", max_length=200)
    purpose = models.CharField(
        "用途", max_length=12, choices=Purpose.choices, default=Purpose.PRACTICE
    )
    paper = models.ForeignKey(Paper, verbose_name="试卷", on_delete=models.PROTECT)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    duration_minutes = models.PositiveSmallIntegerField("考试时长（分钟）")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    grading_gap = models.DecimalField(
        "评分差阈值（占题目分值 %）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        help_text="两位阅卷人分差超过该比例时，由第三人评分",
    )
    graders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="阅卷人", blank=True, related_name="grading_exams"
    )
    published_at = models.DateTimeField("成绩发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = verbose_name_plural = "考试"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="exams_exam_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="exams_exam_duration"),
        ]

    def __str__(self) -> str:
        return self.title


class Attempt(models.Model):
    """一名考生在一场考试中的作答. `code` is the anonymous code graders see (密号)."""

    class Status(models.TextChoices):
        PENDING = "pending", "未开始"
        IN_PROGRESS = "in_progress", "作答中"
        SUBMITTED = "submitted", "已交卷"

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts")
    staff = models.ForeignKey(
        "org.Staff", verbose_name="考生", on_delete=models.PROTECT, related_name="exam_attempts"
    )
    code = models.CharField("密号", max_length=12, unique=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    started_at = models.DateTimeField("开始作答", null=True, blank=True)
    deadline = models.DateTimeField("截止时间", null=True, blank=True)
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    auto_submitted = models.BooleanField("到时自动交卷", default=False)
    objective_score = models.DecimalField(
        "客观题得分", max_digits=8, decimal_places=2, null=True, blank=True
    )
    subjective_score = models.DecimalField(
        "主观题得分", max_digits=8, decimal_places=2, null=True, blank=True
    )
    total_score = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True, blank=True)
    graded = models.BooleanField("阅卷完成", default=False)

    class Meta:
        ordering = ["exam", "id"]
        verbose_name = verbose_name_plural = "作答"
        constraints = [
            models.UniqueConstraint(fields=["exam", "staff"], name="exams_attempt_unique_staff")
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.code}"


class AttemptItem(models.Model):
    """One question of an attempt: the version shown, its points, the answer and its score.

    `slot` is the position in the paper (for item analysis); `order` the position shown.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="uses")
    kind = models.CharField("题型", max_length=12, choices=QuestionKind.choices)
    slot = models.PositiveIntegerField("卷面位置")
    order = models.PositiveIntegerField("显示顺序")
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    option_order = models.JSONField("选项顺序", default=list, blank=True)
    response = models.JSONField("作答", null=True, blank=True)
    saved_at = models.DateTimeField("保存时间", null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "order"]
        verbose_name = verbose_name_plural = "作答题目"
        constraints = [
            models.UniqueConstraint(fields=["attempt", "slot"], name="exams_attemptitem_slot"),
            models.UniqueConstraint(
                fields=["attempt", "question"], name="exams_attemptitem_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.order}"


class Grade(models.Model):
    """阅卷评分 of one open answer by one grader (round 1, 2, or 3 for a disagreement)."""

    item = models.ForeignKey(AttemptItem, on_delete=models.CASCADE, related_name="grades")
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="阅卷人", on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField("评次")
    score = models.DecimalField("评分", max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.CharField("评语", max_length=500, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    graded_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        ordering = ["item", "round"]
        verbose_name = verbose_name_plural = "阅卷评分"
        constraints = [
            models.UniqueConstraint(fields=["item", "round"], name="exams_grade_unique_round"),
            models.UniqueConstraint(fields=["item", "grader"], name="exams_grade_unique_grader"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} 第{self.round}评"


class Contest(models.Model):
    """技能大比武: timed rounds of scenario and case questions, teams by department or window."""

    class TeamBasis(models.TextChoices):
        DEPARTMENT = "department", "按部门组队"
        WINDOW = "window", "按窗口组队"

    name = models.CharField("名称", max_length=200)
    team_basis = models.CharField(
        "组队方式", max_length=12, choices=TeamBasis.choices, default=TeamBasis.DEPARTMENT
    )
    description = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "技能大比武"

    def __str__(self) -> str:
        return self.name


class ContestTeam(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField("队名", max_length=100)
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        "org.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField("org.Staff", verbose_name="队员", related_name="+")

    class Meta:
        ordering = ["contest", "name"]
        verbose_name = verbose_name_plural = "参赛队"
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="exams_contestteam_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ContestRound(models.Model):
    """A timed round of a contest: one exam whose candidates are all team members."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField("轮次", max_length=100)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    exam = models.OneToOneField(Exam, on_delete=models.PROTECT, related_name="contest_round")

    class Meta:
        ordering = ["contest", "order", "id"]
        verbose_name = verbose_name_plural = "比武轮次"

    def __str__(self) -> str:
        return self.name
