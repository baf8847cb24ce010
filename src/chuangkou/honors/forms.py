from django import forms
from django.utils import timezone

from chuangkou.core.forms import DateField

from .models import Commendation, Kind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(forms.Form):
    name = forms.CharField(label="评选名称", max_length=100)
    period_start = DateField(label="评选周期自", widget=DateInput())
    period_end = DateField(label="评选周期至", widget=DateInput())
    vote_start = DateField(label="投票开始", widget=DateInput())
    vote_end = DateField(label="投票截止", widget=DateInput())
    window_quota = forms.IntegerField(
        label="最美办事窗口名额", min_value=0, max_value=100, initial=9
    )
    staff_quota = forms.IntegerField(label="最美办事员名额", min_value=0, max_value=100, initial=8)
    vote_weight = forms.IntegerField(
        label="投票权重（%）",
        min_value=0,
        max_value=100,
        initial=30,
        help_text="综合得分 = 投票得分 × 投票权重 + 评审得分 × (100% − 投票权重)",
    )


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Kind.choices)
    window = forms.ModelChoiceField(label="窗口", queryset=None, required=False)
    staff = forms.ModelChoiceField(label="人员", queryset=None, required=False)
    deeds = forms.CharField(
        label="先进事迹", max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, windows, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.department.name}）"


class PanelForm(forms.Form):
    judges = forms.ModelMultipleChoiceField(
        label="评审组", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = users


class ScoreForm(forms.Form):
    score = forms.DecimalField(label="分数", min_value=0, max_value=100, decimal_places=2)


class CitationForm(forms.Form):
    citation = forms.CharField(
        label="颁奖词", min_length=10, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommendationForm(forms.Form):
    type = forms.ChoiceField(label="类型", choices=Commendation.Type.choices)
    received_on = DateField(label="日期", widget=DateInput(), initial=timezone.localdate)
    sender = forms.CharField(
        label="赠送人/授予单位", max_length=100, required=False, help_text="列表中脱敏显示"
    )
    window = forms.ModelChoiceField(label="窗口", queryset=None, required=False)
    staff = forms.ModelChoiceField(label="人员", queryset=None, required=False)
    department = forms.ModelChoiceField(
        label="部门", queryset=None, required=False, help_text="集体荣誉且未选窗口时填写"
    )
    team = forms.CharField(label="集体名称", max_length=100, required=False)
    title = forms.CharField(
        label="荣誉称号", max_length=100, required=False, help_text="如 市级青年文明号"
    )
    text = forms.CharField(
        label="内容", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scan = forms.FileField(
        label="扫描件/照片",
        required=False,
        help_text="JPEG、PNG 或 PDF，不超过 5 MB；照片的位置等信息会被清除",
    )

    def __init__(self, *args, windows, staff, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows
        self.fields["staff"].queryset = staff
        self.fields["department"].queryset = departments
