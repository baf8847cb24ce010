from django import forms
from django.contrib.auth import get_user_model

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import DateField
from chuangkou.core.importing import cell_text, open_table
from chuangkou.core.roles import Role
from chuangkou.org.models import Department

from .content import CHOICE_KINDS
from .models import Contest, Exam, KnowledgePoint, MultiRule, Paper, Question, QuestionKind
from .services.exams import parse_staff_numbers


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _datetime(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )


class PointChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


def leaf_point_field(label: str = "知识点", required: bool = True) -> PointChoiceField:
    return PointChoiceField(
        label=label,
        queryset=KnowledgePoint.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__order", "parent_id", "order"),
        required=required,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class QuestionForm(forms.Form):
    """One form for every kind; the fields a kind does not use are removed."""

    stem = forms.CharField(label="题干", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    difficulty = forms.TypedChoiceField(
        label="难度", choices=Question.Difficulty.choices, coerce=int, initial=3
    )
    source = forms.ChoiceField(label="来源", choices=Question.Source.choices)
    knowledge_points = leaf_point_field()
    options = forms.CharField(
        label="选项",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一个选项，可写成“A. 内容”或直接写内容。",
    )
    template = forms.CharField(
        label="材料模版",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="需要填写的地方依次写成 {{1}}、{{2}}……",
    )
    marked = forms.BooleanField(label="错处已在短文中标出（①②…）", required=False)
    answer = forms.CharField(label="答案", widget=forms.Textarea(attrs={"rows": 3}))
    rubric = forms.CharField(label="评分要点", widget=forms.Textarea(attrs={"rows": 4}))
    matter_name = forms.CharField(label="办事事项", max_length=200, required=False)
    note = forms.CharField(label="修改说明", max_length=200, required=False)

    HELP = {
        QuestionKind.SINGLE: "写正确选项的字母，如 C。",
        QuestionKind.MULTIPLE: "写全部正确选项的字母，如 ACD（不定项：一个或多个）。",
        QuestionKind.SCENARIO: "写办理所需材料对应的字母，如 ABD；其余选项为干扰材料。",
        QuestionKind.FILL: "每行一个空的答案，多种可接受写法用 | 分隔。",
        QuestionKind.CORRECTION: "每行一处：错误原文 => 改正（多种改正用 | 分隔）。",
        QuestionKind.OPEN: "参考答案（可不填），仅阅卷人可见。",
    }

    def __init__(self, *args, kind: str, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = {"stem", "difficulty", "source", "knowledge_points", "answer"}
        if kind in CHOICE_KINDS:
            keep.add("options")
        if kind == QuestionKind.SCENARIO:
            keep.add("matter_name")
            self.fields["stem"].label = "办事场景（群众与情况）"
        if kind in (QuestionKind.FILL, QuestionKind.CORRECTION):
            keep.add("template")
        if kind == QuestionKind.CORRECTION:
            keep.add("marked")
            self.fields["template"].label = "短文"
            self.fields["template"].help_text = "含错误的短文；标出错处时用①②…"
        if kind == QuestionKind.OPEN:
            keep.add("rubric")
            self.fields["answer"].required = False
            self.fields["answer"].label = "参考答案"
        if editing:
            keep.add("note")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["answer"].help_text = self.HELP[kind]


class PointForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    parent = forms.ModelChoiceField(
        label="所属领域",
        queryset=KnowledgePoint.objects.filter(parent__isnull=True),
        required=False,
        empty_label="（新建领域）",
    )
    description = forms.CharField(label="说明", max_length=300, required=False)


class PaperForm(forms.Form):
    name = forms.CharField(label="试卷名称", max_length=200)
    kind = forms.ChoiceField(label="组卷方式", choices=Paper.Kind.choices)
    multi_rule = forms.ChoiceField(
        label="不定项计分规则", choices=MultiRule.choices, initial=MultiRule.PARTIAL
    )
    draw_per_candidate = forms.BooleanField(
        label="随机组卷时每名考生单独抽题", required=False, initial=True
    )
    shuffle_questions = forms.BooleanField(label="每名考生打乱题目顺序", required=False)
    shuffle_options = forms.BooleanField(label="每名考生打乱选项顺序", required=False)
    description = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PaperItemForm(forms.Form):
    code = forms.CharField(label="题号", max_length=20)
    points = forms.DecimalField(label="分值", max_digits=6, decimal_places=2, min_value=0.01)


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    count = forms.IntegerField(label="题数", min_value=1, max_value=500)
    points = forms.DecimalField(label="每题分值", max_digits=6, decimal_places=2, min_value=0.01)
    knowledge_points = leaf_point_field("知识点（不选=不限）", required=False)
    difficulty_min = forms.TypedChoiceField(
        label="最低难度", choices=Question.Difficulty.choices, coerce=int, initial=1
    )
    difficulty_max = forms.TypedChoiceField(
        label="最高难度", choices=Question.Difficulty.choices, coerce=int, initial=5
    )
    sources = forms.MultipleChoiceField(
        label="来源（不选=不限）",
        choices=Question.Source.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )


class ExamForm(forms.Form):
    title = forms.CharField(label="考试名称", max_length=200)
    purpose = forms.ChoiceField(label="用途", choices=Exam.Purpose.choices)
    paper = forms.ModelChoiceField(label="试卷", queryset=Paper.objects.all())
    starts_at = _datetime("开始时间")
    ends_at = _datetime("结束时间")
    duration_minutes = forms.IntegerField(
        label="考试时长（分钟）", min_value=1, max_value=600, initial=90
    )
    grading_gap = forms.DecimalField(
        label="评分差阈值（占题目分值 %）",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=20,
    )


class CandidatesForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label="部门（不选=全部）",
        queryset=Department.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    hired_before = DateField(
        label="入职早于",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="只添加该日期前入职、目前在岗的人员",
    )


class CandidateListForm(forms.Form):
    """考生名单: 工号 pasted, or a file (xlsx/csv) with a 工号 column — e.g. the staff export."""

    numbers = forms.CharField(
        label="工号（每行一个，或用逗号、空格分隔）",
        required=False,
        max_length=40_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(
        label="或上传名单（Excel/CSV，含“工号”列，如人员导出表）", required=False
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return []
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("请上传 .xlsx 或 .csv 文件。")
        if upload.size > MAX_LIST_BYTES:
            raise forms.ValidationError("文件不能超过 5 MB。")
        try:
            return staff_numbers_in_table(upload.read(), upload.name)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        data = super().clean()
        numbers = parse_staff_numbers(data.get("numbers") or "") + list(data.get("file") or [])
        if not self.errors and not numbers:
            raise forms.ValidationError("请填写工号或上传名单。")
        data["staff_numbers"] = list(dict.fromkeys(numbers))
        return data


MAX_LIST_BYTES = 5 * 1024 * 1024


def staff_numbers_in_table(content: bytes, filename: str) -> list[str]:
    """The 工号 column of a table (or its first column when no header says 工号)."""
    header, rows, _ = open_table(content, filename)
    numbers = []
    if "工号" in header:
        at = header.index("工号")
    else:
        at = 0
        numbers.append(header[0] if header else "")
    for _, values in rows:
        numbers.append(cell_text(values[at]) if at < len(values) else "")
    return [n for n in numbers if n]


class GradersForm(forms.Form):
    graders = forms.ModelMultipleChoiceField(
        label="阅卷人",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["graders"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.GRADER.value, is_active=True)
            .order_by("username")
        )


class GradeForm(forms.Form):
    score = forms.DecimalField(label="评分", max_digits=6, decimal_places=2, min_value=0)
    comment = forms.CharField(
        label="评语", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RegradeForm(forms.Form):
    question = forms.ModelChoiceField(label="已更正答案的试题", queryset=Question.objects.none())

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions
        self.fields["question"].label_from_instance = lambda q: (
            f"{q.code} {q.get_kind_display()} v{q.current_version.number}："
            f"{q.current_version.stem[:30]}"
        )


class ContestForm(forms.Form):
    name = forms.CharField(label="比武名称", max_length=200)
    team_basis = forms.ChoiceField(label="组队方式", choices=Contest.TeamBasis.choices)
    departments = forms.ModelMultipleChoiceField(
        label="参赛部门",
        queryset=Department.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    description = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RoundForm(forms.Form):
    name = forms.CharField(label="轮次名称", max_length=100, initial="第一轮 虚拟办事场景")
    starts_at = _datetime("开始时间")
    duration_minutes = forms.IntegerField(
        label="限时（分钟）", min_value=1, max_value=600, initial=20
    )
    scenario_count = forms.IntegerField(label="场景题数", min_value=0, max_value=100, initial=5)
    case_count = forms.IntegerField(label="案例选择题数", min_value=0, max_value=100, initial=5)
    points_each = forms.DecimalField(
        label="每题分值", max_digits=6, decimal_places=2, min_value=0.01, initial=5
    )
