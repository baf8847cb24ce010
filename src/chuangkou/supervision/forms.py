"""The center admin's forms of 督导: a visit plan, sitting-in slots, a problem's moves."""

from django import forms
from django.utils import timezone

from chuangkou.core.forms import DateField, DateInput
from chuangkou.org.models import Center, Department, Window

from .models import Problem, SittingSlot


def _text(label: str, *, limit: int, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _on() -> DateField:
    return DateField(
        label="处理日期", required=False, widget=DateInput(), help_text="不填为今天，不能晚于今天。"
    )


class PlanForm(forms.Form):
    name = forms.CharField(label="计划名称", max_length=100)
    period_start = DateField(label="开始日期", widget=DateInput())
    period_end = DateField(label="结束日期", widget=DateInput())
    visits_per_center = forms.IntegerField(
        label="每中心每月至少暗访（次）", min_value=1, max_value=20, initial=2
    )
    centers = forms.ModelMultipleChoiceField(
        label="中心",
        queryset=Center.objects.order_by("pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选则包括全部中心。",
    )
    seed = forms.IntegerField(
        label="随机种子",
        min_value=0,
        max_value=2**48,
        required=False,
        help_text="留空由系统随机生成；填写相同种子可复现同一抽签结果。",
    )

    def clean_centers(self):
        return list(self.cleaned_data["centers"]) or None


class SlotsForm(forms.Form):
    windows = forms.ModelMultipleChoiceField(
        label="窗口",
        queryset=Window.objects.filter(is_active=True).select_related("center", "department"),
        widget=forms.CheckboxSelectMultiple,
    )
    start = DateField(label="开始日期", widget=DateInput())
    end = DateField(label="结束日期", widget=DateInput(), help_text="只在工作日开放，最长 92 天。")
    halves = forms.MultipleChoiceField(
        label="时段",
        choices=SittingSlot.Half.choices,
        initial=["am", "pm"],
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(label="每个时段名额", min_value=1, max_value=10, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["windows"].label_from_instance = lambda w: (
            f"{w.center.name} {w.number} {w.department.name}"
        )
        self.fields["start"].initial = timezone.localdate()


class OnSpotForm(forms.Form):
    resolution = _text("解决情况", limit=4000)
    on = _on()


class ConsultForm(forms.Form):
    meeting_record = _text("会商记录", limit=4000, rows=4)
    resolution = _text("解决情况", limit=4000)
    on = _on()


class CoordinateForm(forms.Form):
    note = _text("协调安排", limit=1000)
    deadline = DateField(label="新的解决期限", required=False, widget=DateInput())
    on = _on()


class CloseForm(forms.Form):
    note = _text("说明", limit=1000, required=False)
    on = _on()


class ReopenForm(forms.Form):
    reason = _text("重新打开的原因", limit=1000)
    on = _on()


class ProblemForm(forms.Form):
    """登记问题 by hand (a staff suggestion, a call, a meeting)."""

    title = forms.CharField(label="问题", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=Problem.Kind.choices)
    owner = forms.ModelChoiceField(
        label="责任部门", queryset=Department.objects.order_by("pk"), empty_label="请选择部门"
    )
    coordinating = forms.ModelMultipleChoiceField(
        label="需协调的部门",
        queryset=Department.objects.order_by("pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    center = forms.ModelChoiceField(
        label="中心", queryset=Center.objects.order_by("pk"), required=False, empty_label="（不限）"
    )
    description = _text("描述", limit=4000, required=False)
    found_on = DateField(
        label="发现日期", required=False, widget=DateInput(), help_text="不填为今天。"
    )
    deadline = DateField(
        label="解决期限", required=False, widget=DateInput(), help_text="不填为发现后 10 个工作日。"
    )
