from django import forms
from django.contrib.auth import get_user_model

from chuangkou.core.forms import DateField
from chuangkou.core.roles import Role
from chuangkou.org.forms import DateInput
from chuangkou.org.models import Staff

from .models import Candidate, Objection


class CompetitionForm(forms.Form):
    name = forms.CharField(label="竞聘名称", max_length=100)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    budget = forms.IntegerField(label="年度预算（元）", min_value=1, help_text="整数元，如 500000")
    written_weight = forms.DecimalField(
        label="笔试权重（%）", min_value=0, max_value=100, decimal_places=2
    )
    interview_weight = forms.DecimalField(
        label="面试权重（%）",
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="笔试权重与面试权重之和须为 100",
    )
    pass_line = forms.DecimalField(
        label="合格线（综合成绩）", min_value=0, max_value=100, decimal_places=2
    )
    allowed_employment_types = forms.MultipleChoiceField(
        label="可报名用工性质",
        choices=Staff.EmploymentType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    min_service_years = forms.IntegerField(label="最低服务年限（年）", min_value=0, max_value=40)
    service_reference_date = DateField(label="服务年限计算截止日", widget=DateInput())
    notice_days = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30, initial=5)
    exam_id = forms.TypedChoiceField(
        label="笔试考试",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="题库与考试中的笔试，成绩发布后可一键导入；不选则通过 Excel 导入笔试成绩",
    )

    def __init__(self, *args, fields: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exam_id"].choices = [("", "（不关联，Excel 导入）"), *exam_choices()]
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]


def exam_choices() -> list[tuple[int, str]]:
    """The exams of 题库与考试, written exams for competitions (竞岗笔试) first."""
    from chuangkou.exams.models import Exam

    exams = Exam.objects.order_by("-starts_at", "-id")
    competition = Exam.Purpose.COMPETITION
    ordered = [e for e in exams if e.purpose == competition] + [
        e for e in exams if e.purpose != competition
    ]
    return [(e.pk, f"{e.title}（{e.get_status_display()}）") for e in ordered]


class TierForm(forms.Form):
    """One row of the tiers table; a row left empty is no tier."""

    name = forms.CharField(
        label="档次名称",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"style": "min-width: 5rem"}),
    )
    quota = forms.IntegerField(
        label="名额",
        min_value=1,
        max_value=999,
        required=False,
        widget=forms.NumberInput(attrs={"style": "min-width: 4rem"}),
    )
    annual_amount = forms.IntegerField(
        label="年度待遇（元）",
        min_value=1,
        max_value=10_000_000,
        required=False,
        widget=forms.NumberInput(attrs={"style": "min-width: 6rem"}),
    )

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in ("name", "quota", "annual_amount")]
        if all(v in (None, "") for v in values):
            return {}
        if any(v in (None, "") for v in values) and not self.errors:
            raise forms.ValidationError("请完整填写档次名称、名额和年度待遇，或整行留空。")
        return cleaned


class BaseTierFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


TierFormSet = forms.formset_factory(
    TierForm, formset=BaseTierFormSet, extra=2, max_num=6, absolute_max=6
)


class JudgesForm(forms.Form):
    judges = forms.ModelMultipleChoiceField(
        label="面试评委",
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="只能选择持有“阅卷/评委”角色的账号；五名及以上评委时去掉一个最高分和一个最低分。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.GRADER.value, is_active=True)
            .order_by("username")
        )
        self.fields["judges"].label_from_instance = lambda u: f"{u}（{u.username}）"


class RegisterForm(forms.Form):
    staff_no = forms.CharField(label="工号", max_length=20)

    def clean_staff_no(self):
        staff_no = self.cleaned_data["staff_no"].strip()
        staff = Staff.objects.filter(staff_no=staff_no).first()
        if staff is None:
            raise forms.ValidationError(f"没有工号为 {staff_no} 的人员。")
        self.cleaned_data["staff"] = staff
        return staff_no


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class WrittenScoreForm(forms.Form):
    score = forms.CharField(label="笔试成绩", max_length=10)


class ScoreForm(forms.Form):
    """A judge's score: checked by the service (0–100, two decimals) for one clear message."""

    score = forms.CharField(label="评分", max_length=10)


class PublishForm(forms.Form):
    notice_start = DateField(label="公示开始日期", widget=DateInput())


class ObjectionForm(forms.Form):
    candidate = forms.ModelChoiceField(
        label="涉及人员",
        queryset=Candidate.objects.none(),
        required=False,
        empty_label="（针对整个竞聘结果）",
    )
    text = forms.CharField(
        label="异议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, competition=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["candidate"]
        field.queryset = (
            Candidate.objects.filter(competition=competition, outcome=Candidate.Outcome.PLACED)
            .select_related("staff")
            .order_by("rank", "staff__staff_no")
        )
        field.label_from_instance = lambda c: c.staff.name


class HandleObjectionForm(forms.Form):
    decision = forms.ChoiceField(
        label="处理结果",
        choices=[
            (Objection.Status.REJECTED, Objection.Status.REJECTED.label),
            (Objection.Status.UPHELD, Objection.Status.UPHELD.label),
        ],
    )
    reply = forms.CharField(
        label="处理意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoticePeriodForm(forms.Form):
    """已完成竞聘的公示期 (before the platform)."""

    notice_start = DateField(label="公示开始", widget=DateInput())
    notice_end = DateField(label="公示截止（异议截止）", widget=DateInput())
