from django import forms

from chuangkou.org.models import BusinessCategory, Department, Staff
from chuangkou.supervision.models import Problem

from .models import Attendance, Kind, Suggestion


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _datetime(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )


class EventForm(forms.Form):
    title = forms.CharField(label="主题", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    starts_at = _datetime("开始时间")
    ends_at = _datetime("结束时间")
    place = forms.CharField(label="地点", max_length=100)
    speaker = forms.CharField(label="主讲人", max_length=50, required=False)
    hours = forms.DecimalField(label="学时", min_value=0, max_value=99, decimal_places=1)
    capacity = forms.IntegerField(
        label="名额", min_value=0, max_value=10000, initial=0, help_text="0 表示不限"
    )
    description = forms.CharField(
        label="内容简介", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    departments = forms.ModelMultipleChoiceField(
        label="面向部门", queryset=Department.objects.order_by("code"), required=False
    )
    employment_types = forms.MultipleChoiceField(
        label="面向用工性质",
        choices=Staff.EmploymentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.ModelMultipleChoiceField(
        label="面向业务类别", queryset=BusinessCategory.objects.all(), required=False
    )
    invitees = forms.ModelMultipleChoiceField(
        label="指定人员",
        queryset=Staff.objects.exclude(status=Staff.Status.LEFT).select_related("department"),
        required=False,
        help_text="参训范围为所选部门、用工性质、业务类别和指定人员的合集；都不选则面向全体人员。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].label_from_instance = lambda s: f"{s.name}（{s.department.name}）"


class FeedbackForm(forms.Form):
    SCORES = [(n, f"{n} 分") for n in (5, 4, 3, 2, 1)]
    rating = forms.TypedChoiceField(label="总体评价", choices=SCORES, coerce=int)
    usefulness = forms.TypedChoiceField(label="对工作的帮助", choices=SCORES, coerce=int)
    comment = forms.CharField(
        label="意见建议", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(forms.Form):
    staff = forms.ModelChoiceField(label="人员", queryset=None)
    status = forms.ChoiceField(
        label="更正为",
        choices=[
            (s.value, s.label)
            for s in (Attendance.Status.PRESENT, Attendance.Status.LATE, Attendance.Status.ABSENT)
        ],
    )
    reason = forms.CharField(label="更正原因", max_length=200)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class SuggestionForm(forms.Form):
    aspect = forms.ChoiceField(label="方面", choices=Suggestion.Aspect.choices)
    title = forms.CharField(label="标题", max_length=100)
    content = forms.CharField(
        label="建议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="承办人", queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="答复", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    adopted = forms.TypedChoiceField(
        label="处理结果",
        choices=[("1", "采纳"), ("0", "不采纳")],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label="理由", max_length=500)


class ProblemForm(forms.Form):
    kind = forms.ChoiceField(label="问题类型", choices=Problem.Kind.choices)
    owner = forms.ModelChoiceField(label="责任部门", queryset=Department.objects.order_by("code"))


class CoursewareForm(forms.Form):
    title = forms.CharField(label="课件名称", max_length=100)
    domain = forms.CharField(label="业务领域", max_length=50, help_text="汇编时按业务领域分章")
    speaker = forms.CharField(label="主讲人", max_length=50)
    summary = forms.CharField(
        label="内容摘要", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    key_points = forms.CharField(
        label="要点",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一条",
    )
    file = forms.FileField(label="课件文件", help_text="PDF、PPTX 或 DOCX，不超过 50 MB")
