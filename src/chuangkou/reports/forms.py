import datetime as dt

from django import forms

from chuangkou.core.forms import DateField
from chuangkou.org.forms import DateInput


class PeriodForm(forms.Form):
    start = DateField(label="开始日期", widget=DateInput())
    end = DateField(label="结束日期", widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError("结束日期不能早于开始日期。")
        return cleaned


def period_presets(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The periods a briefing is written for: this year, last half-year, the seed's 2018 H1."""
    half_start = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
    previous_half_end = half_start - dt.timedelta(days=1)
    previous_half_start = dt.date(
        previous_half_end.year, 1 if previous_half_end.month <= 6 else 7, 1
    )
    return [
        ("本年至今", dt.date(today.year, 1, 1), today),
        ("上个半年", previous_half_start, previous_half_end),
        ("2018 上半年（简报期）", dt.date(2018, 1, 1), dt.date(2018, 6, 30)),
    ]
