from django import forms

from chuangkou.core.forms import DateField, DateInput
from chuangkou.org.models import Department, Staff

from .models import MAX_QUESTION, MAX_REPLY, DutyShift


class AskForm(forms.Form):
    question = forms.CharField(
        label="您的问题",
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "例如：二手房过户需要带哪些材料？"}),
        help_text=f"请勿填写身份证号等个人信息，{MAX_QUESTION} 字以内。",
    )
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}
        ),
        help_text="凭查询码和手机号后四位查看答复；号码不会公开显示。",
    )


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20)
    last4 = forms.CharField(
        label="手机号后四位",
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class VerifyForm(forms.Form):
    last4 = TrackForm.base_fields["last4"]


class FollowUpForm(forms.Form):
    body = forms.CharField(
        label="追问", max_length=MAX_QUESTION, widget=forms.Textarea(attrs={"rows": 3})
    )


class RateForm(forms.Form):
    level = forms.TypedChoiceField(
        label="评价", coerce=int, choices=[(i, str(i)) for i in (5, 4, 3, 2, 1)]
    )
    comment = forms.CharField(label="意见或建议（选填）", max_length=500, required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="答复",
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 6, "data-consult-reply": "1"}),
    )


class TransferForm(forms.Form):
    department = forms.ModelChoiceField(
        label="转至业务领域",
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label="综合咨询",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class PromoteForm(forms.Form):
    question = forms.CharField(label="问题", max_length=300)
    answer = forms.CharField(
        label="答复", max_length=MAX_REPLY, widget=forms.Textarea(attrs={"rows": 4})
    )


class DutyForm(forms.Form):
    staff = forms.ModelChoiceField(
        label="值班人员",
        queryset=Staff.objects.filter(status=Staff.Status.ACTIVE, user__isnull=False).order_by(
            "department__code", "name"
        ),
    )
    department = forms.ModelChoiceField(
        label="业务领域",
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label="综合咨询",
    )
    date = DateField(label="日期", widget=DateInput())
    shift = forms.ChoiceField(label="班次", choices=DutyShift.Shift.choices)
