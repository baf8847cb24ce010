from django import forms

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError
from chuangkou.core.forms import DateField
from chuangkou.org.models import Center, Department, Window

from .imports import MAX_FILE_BYTES, file_format
from .models import Case


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _matter_label(m: Matter) -> str:
    return f"{m.code} {m.name}"


class ApplicantForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label="申请人类型", choices=Case.ApplicantKind.choices, initial=Case.ApplicantKind.PERSON
    )
    applicant_name = forms.CharField(label="申请人（姓名或企业名称）", max_length=200)
    applicant_id = forms.CharField(
        label="身份证号 / 统一社会信用代码",
        max_length=18,
        help_text="个人填身份证号，企业填统一社会信用代码",
    )
    applicant_phone = forms.CharField(label="联系电话", max_length=20, required=False)


class TicketAcceptForm(ApplicantForm):
    """受理 from the ticket being served: the matter comes from the ticket unless changed."""

    matter = forms.ModelChoiceField(
        label="事项", queryset=Matter.objects.filter(is_active=True).order_by("code")
    )
    field_order = ["matter"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].label_from_instance = _matter_label


class DirectAcceptForm(ApplicantForm):
    """Direct entry: at the clerk's window, or an online application (then choose the center)."""

    channel = forms.ChoiceField(label="受理渠道", choices=Case.Channel.choices)
    matter = forms.ModelChoiceField(
        label="事项", queryset=Matter.objects.filter(is_active=True).order_by("code")
    )
    window = forms.ModelChoiceField(
        label="受理窗口",
        queryset=Window.objects.filter(is_active=True).select_related("center"),
        required=False,
        help_text="窗口受理时填写；默认为您当前的窗口",
    )
    center = forms.ModelChoiceField(
        label="受理中心",
        queryset=Center.objects.order_by("kind", "name"),
        required=False,
        help_text="网上申请时填写",
    )
    field_order = ["channel", "matter", "window", "center"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].label_from_instance = _matter_label
        self.fields["window"].label_from_instance = lambda w: f"{w.center.name} {w}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Case.Channel.ONLINE and not cleaned.get("center"):
            self.add_error("center", "网上申请请选择受理中心。")
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500)


class FiguresForm(forms.Form):
    start = DateField(label="开始日期", widget=DateInput())
    end = DateField(label="结束日期", widget=DateInput())
    department = forms.ModelChoiceField(
        label="部门", queryset=Department.objects.none(), required=False, empty_label="全部部门"
    )
    center = forms.ModelChoiceField(
        label="中心",
        queryset=Center.objects.order_by("kind", "name"),
        required=False,
        empty_label="全部中心",
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("结束日期不能早于开始日期。")
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(label="文件（.csv 或 .xlsx）")

    def clean_file(self):
        f = self.cleaned_data["file"]
        try:
            file_format(f.name)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        if f.size > MAX_FILE_BYTES:
            raise forms.ValidationError("文件不能超过 300 MB，请拆分后分批导入。")
        return f
