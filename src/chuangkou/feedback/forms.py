from django import forms
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.core.forms import DateField
from chuangkou.hall.models import Ticket
from chuangkou.org.models import Center, Region

from .models import Evaluation, Level, Rectification


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


LEVEL_CHOICES = [(lv.value, lv.label) for lv in Level]
STAFF_CHANNEL_CHOICES = [
    (c.value, c.label)
    for c in (Evaluation.Channel.HOTLINE, Evaluation.Channel.SMS, Evaluation.Channel.WEB)
]


class PadOpenForm(forms.Form):
    window = forms.ModelChoiceField(label="窗口", queryset=None, empty_label=None)

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows
        self.fields["window"].label_from_instance = lambda w: f"{w.center.name} {w}"


class PadRatingForm(forms.Form):
    level = forms.TypedChoiceField(label="评价", choices=LEVEL_CHOICES, coerce=int)
    comment = forms.CharField(label="意见", max_length=500, required=False)
    contact_phone = forms.CharField(
        label="回访电话（选填）",
        max_length=20,
        required=False,
        help_text="选择“不满意”时，我们将在 1 个工作日内回访；号码仅用于回访，显示时隐去中间四位。",
    )


class PhoneRatingForm(PadRatingForm):
    comment = forms.CharField(
        label="意见或建议（选填）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RatingEntryForm(forms.Form):
    """短信/热线/网上评价录入: a case by its 受理编号, or a ticket by center, date and number."""

    channel = forms.ChoiceField(label="评价渠道", choices=STAFF_CHANNEL_CHOICES)
    case_number = forms.CharField(label="受理编号", max_length=32, required=False)
    center = forms.ModelChoiceField(
        label="排队号所在中心", queryset=Center.objects.all(), required=False
    )
    service_date = DateField(label="取号日期", widget=DateInput(), required=False)
    ticket_number = forms.CharField(label="排队号", max_length=10, required=False)
    level = forms.TypedChoiceField(label="评价等级", choices=LEVEL_CHOICES, coerce=int)
    comment = forms.CharField(
        label="评价内容", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_phone = forms.CharField(label="联系电话（用于差评回访）", max_length=20, required=False)

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("case_number") or "").strip()
        ticket_number = (cleaned.get("ticket_number") or "").strip().upper()
        cleaned["case"] = cleaned["ticket"] = None
        if number:
            cleaned["case"] = Case.objects.filter(number=number).first()
            if cleaned["case"] is None:
                self.add_error("case_number", f"没有受理编号为 {number} 的受理件。")
        elif ticket_number:
            center, day = cleaned.get("center"), cleaned.get("service_date")
            if center is None or day is None:
                raise forms.ValidationError("按排队号录入时，请同时选择中心和取号日期。")
            cleaned["ticket"] = Ticket.objects.filter(
                queue__center=center, service_date=day, number=ticket_number
            ).first()
            if cleaned["ticket"] is None:
                self.add_error(
                    "ticket_number", f"{center} {day:%Y-%m-%d} 没有 {ticket_number} 号。"
                )
        else:
            raise forms.ValidationError("请填写受理编号，或中心、取号日期和排队号。")
        return cleaned


class CallbackForm(forms.Form):
    note = forms.CharField(
        label="回访情况", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class RectifyForm(forms.Form):
    reply = forms.CharField(
        label="整改情况与答复", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class UnrectifiableForm(forms.Form):
    reason = forms.CharField(
        label="无法整改的原因", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="申诉理由类型", choices=Rectification.AppealKind.choices)
    reason = forms.CharField(
        label="申诉理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=Rectification.Decision.choices)
    note = forms.CharField(
        label="审核意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SurveyForm(forms.Form):
    name = forms.CharField(label="调查名称", max_length=100)
    region = forms.ModelChoiceField(label="区县", queryset=Region.objects.all(), empty_label=None)
    period_start = DateField(label="办结日期自", widget=DateInput())
    period_end = DateField(label="办结日期至", widget=DateInput())
    sample_size = forms.IntegerField(label="样本量", min_value=1, max_value=20_000, initial=400)
    seed = forms.IntegerField(
        label="随机种子",
        min_value=0,
        max_value=2**63 - 1,
        required=False,
        help_text="相同的种子对相同的办结件总是抽出相同的样本；不填则随机生成并保存。",
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "结束日期不能早于开始日期。")
        return cleaned


class SurveyImportForm(forms.Form):
    """外部机构的抽样调查: what the imported interviews belong to."""

    name = forms.CharField(label="调查名称", max_length=100)
    conducted_by = forms.CharField(label="调查机构", max_length=100, help_text="如：省营商办")
    region = forms.ModelChoiceField(label="区县", queryset=Region.objects.all(), empty_label=None)
    period_start = DateField(label="办结日期自", widget=DateInput())
    period_end = DateField(label="办结日期至", widget=DateInput())


YES_NO = [("", "请选择"), ("1", "是"), ("0", "否")]


def _yes(value: str) -> bool:
    return value == "1"


class InterviewForm(forms.Form):
    reached = forms.TypedChoiceField(label="是否接通", choices=YES_NO, coerce=_yes)
    visits_reported = forms.IntegerField(
        label="自述跑动次数", min_value=0, max_value=20, required=False
    )
    satisfied = forms.TypedChoiceField(
        label="是否满意",
        choices=YES_NO,
        coerce=_yes,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label="备注", max_length=200, required=False)


def default_period() -> tuple:
    """This year's first five months, as surveyed in June (the provincial survey's period)."""
    today = timezone.localdate()
    return today.replace(month=1, day=1), today
