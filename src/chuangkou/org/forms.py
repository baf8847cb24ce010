from django import forms

from chuangkou.core.forms import DateField

from .models import Assignment, BusinessCategory, Center, Department, Separation, Staff, Window
from .services import HIRE_DATE_MIN

STAFF_RECORDS_FROM = HIRE_DATE_MIN  # hire dates, separations and postings go back this far


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StaffForm(forms.Form):
    """Fields a user may not change are removed by the view (see permissions.editable_fields)."""

    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Staff.Gender.choices)
    employment_type = forms.ChoiceField(label="用工性质", choices=Staff.EmploymentType.choices)
    category = forms.ModelChoiceField(
        label="业务类别", queryset=BusinessCategory.objects.all(), required=False
    )
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.all())
    center = forms.ModelChoiceField(label="所在中心", queryset=Center.objects.all())
    window = forms.ModelChoiceField(
        label="当前窗口",
        queryset=Window.objects.filter(is_active=True).select_related("center"),
        required=False,
    )
    hire_date = DateField(label="入职日期", widget=DateInput(), first_day=STAFF_RECORDS_FROM)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)

    def __init__(self, *args, fields: frozenset[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]
        if "window" in self.fields:
            self.fields["window"].label_from_instance = lambda w: f"{w.center.name} {w}"


class SeparationForm(forms.Form):
    date = DateField(label="离职日期", widget=DateInput(), first_day=STAFF_RECORDS_FROM)
    reason = forms.ChoiceField(label="原因", choices=Separation.Reason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Assignment.Kind.choices)
    center = forms.ModelChoiceField(label="中心", queryset=Center.objects.all())
    window = forms.ModelChoiceField(
        label="窗口",
        queryset=Window.objects.filter(is_active=True).select_related("center"),
        required=False,
    )
    start_date = DateField(label="开始日期", widget=DateInput(), first_day=STAFF_RECORDS_FROM)
    end_date = DateField(
        label="结束日期", widget=DateInput(), required=False, first_day=STAFF_RECORDS_FROM
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].label_from_instance = lambda w: f"{w.center.name} {w}"


class TurnoverForm(forms.Form):
    start = DateField(label="开始日期", widget=DateInput())
    end = DateField(label="结束日期", widget=DateInput())
    employment_type = forms.ChoiceField(
        label="用工性质", choices=[("", "全部")] + Staff.EmploymentType.choices, required=False
    )
    department = forms.ModelChoiceField(
        label="部门", queryset=Department.objects.all(), required=False, empty_label="全部"
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("结束日期不能早于开始日期。")
        return cleaned
