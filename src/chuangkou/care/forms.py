from django import forms

from chuangkou.core.forms import DateField

from .models import CareTalk, CounselingSlot


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LeaveForm(forms.Form):
    date = DateField(
        label="日期", widget=DateInput(), help_text="本月或下月的一个工作日，无需填写理由。"
    )


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="开始时间",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label="时长（分钟）", min_value=10, max_value=240, initial=50)
    mode = forms.ChoiceField(label="方式", choices=CounselingSlot.Mode.choices)
    place = forms.CharField(label="地点/说明", max_length=100, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="咨询记录",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class TalkForm(forms.Form):
    staff = forms.ModelChoiceField(label="谈话对象", queryset=None)
    date = DateField(label="日期", widget=DateInput())
    topic = forms.ChoiceField(label="主题类别", choices=CareTalk.Topic.choices)
    follow_up = forms.CharField(
        label="后续跟进", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.department.name}）"
