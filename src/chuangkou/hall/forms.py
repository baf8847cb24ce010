from django import forms

from chuangkou.catalog.models import Matter
from chuangkou.core.forms import DateField
from chuangkou.org.forms import DateInput
from chuangkou.org.models import Center, Window

from .models import ServiceQueue
from .services.setup import SETTINGS_LIMITS
from .services.tickets import GREEN_CHANNEL_REASONS

PRIORITY_CHOICES = [("", "普通号")] + [
    (r.value, f"绿色通道：{r.label}") for r in GREEN_CHANNEL_REASONS
]


class LobbyIssueForm(forms.Form):
    """大堂经理帮办取号."""

    queue = forms.ModelChoiceField(label="队列", queryset=ServiceQueue.objects.none())
    matter = forms.ModelChoiceField(
        label="事项", queryset=Matter.objects.none(), required=False, empty_label="（不指定）"
    )
    priority_reason = forms.ChoiceField(label="取号类型", choices=PRIORITY_CHOICES, required=False)
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        required=False,
        help_text="选填，仅用于通知，不在任何公开页面显示",
    )

    def __init__(self, *args, center: Center, **kwargs):
        super().__init__(*args, **kwargs)
        queues = ServiceQueue.objects.filter(center=center, is_active=True).order_by("prefix")
        self.fields["queue"].queryset = queues
        self.fields["matter"].queryset = (
            Matter.objects.filter(queues__in=queues, is_active=True).distinct().order_by("code")
        )


class CheckInForm(forms.Form):
    phone = forms.CharField(label="预约手机号", max_length=20)
    code = forms.CharField(label="签到码", max_length=6, min_length=6)


class DeskWindowForm(forms.Form):
    window = forms.ModelChoiceField(label="我的窗口", queryset=Window.objects.none())

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows


class QueueForm(forms.Form):
    prefix = forms.CharField(label="号码前缀", max_length=2, help_text="1 到 2 个大写字母，例如 A")
    name = forms.CharField(label="队列名称", max_length=100)
    average_service_minutes = forms.IntegerField(
        label="平均办理时长（分钟）",
        min_value=1,
        max_value=240,
        initial=8,
        help_text="用于估算等候时间：前面人数 × 平均办理时长 ÷ 服务窗口数",
    )
    is_active = forms.BooleanField(label="启用（可取号）", required=False, initial=True)
    windows = forms.ModelMultipleChoiceField(
        label="服务窗口",
        queryset=Window.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    matters = forms.ModelMultipleChoiceField(
        label="办理事项",
        queryset=Matter.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args, center: Center, **kwargs):
        super().__init__(*args, **kwargs)
        windows = Window.objects.filter(center=center).select_related("department")
        self.fields["windows"].queryset = windows.order_by("number")
        self.fields["windows"].label_from_instance = lambda w: f"{w.number} {w.name}"
        departments = Window.objects.filter(center=center).values("department")
        self.fields["matters"].queryset = (
            Matter.objects.filter(is_active=True, department__in=departments)
            .select_related("department")
            .order_by("department__code", "code")
        )
        self.fields["matters"].label_from_instance = lambda m: f"{m.department.name} · {m.name}"


class HallSettingsForm(forms.Form):
    target_wait_minutes = forms.IntegerField(label="等候时长目标（分钟）")
    max_recalls = forms.IntegerField(label="重呼几次后可标记过号")
    checkin_early_minutes = forms.IntegerField(label="预约最早提前签到（分钟）")
    checkin_late_minutes = forms.IntegerField(label="预约最晚迟到签到（分钟）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high, _label) in SETTINGS_LIMITS.items():
            self.fields[name].min_value = low
            self.fields[name].max_value = high
            self.fields[name].widget.attrs.update(min=low, max=high)


class SlotsForm(forms.Form):
    queue = forms.ModelChoiceField(label="队列", queryset=ServiceQueue.objects.none())
    start_date = DateField(label="开始日期", widget=DateInput())
    end_date = DateField(label="结束日期", widget=DateInput())
    slot_minutes = forms.IntegerField(
        label="每个时段（分钟）", initial=30, min_value=10, max_value=210
    )
    capacity = forms.IntegerField(label="每个时段可约人数", initial=4, min_value=1, max_value=500)

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues
        self.fields["queue"].label_from_instance = lambda q: (
            f"{q.center.name} · {q.prefix} {q.name}"
        )


class BookingForm(forms.Form):
    phone = forms.CharField(label="手机号", max_length=20)


class MetricsForm(forms.Form):
    center = forms.ModelChoiceField(label="中心", queryset=Center.objects.none())
    queue = forms.ModelChoiceField(
        label="队列", queryset=ServiceQueue.objects.none(), required=False, empty_label="全部队列"
    )
    start = DateField(label="开始日期", widget=DateInput())
    end = DateField(label="结束日期", widget=DateInput())

    def __init__(self, *args, centers, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers
        self.fields["queue"].queryset = queues
        self.fields["queue"].label_from_instance = lambda q: f"{q.prefix} {q.name}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("结束日期不能早于开始日期。")
        queue, center = cleaned.get("queue"), cleaned.get("center")
        if queue and center and queue.center_id != center.pk:
            self.add_error("queue", "该队列不属于所选中心。")
        return cleaned
