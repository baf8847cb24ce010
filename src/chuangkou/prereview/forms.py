from django import forms

from chuangkou.cases.models import Case
from chuangkou.org.models import Center


class StartForm(forms.Form):
    """发起预审: where, who, and a phone for the result and the ticket."""

    center = forms.ModelChoiceField(label="办理中心", queryset=Center.objects.none())
    applicant_name = forms.CharField(label="申请人（个人姓名或企业名称）", max_length=100)
    phone = forms.CharField(
        label="手机号", max_length=20, help_text="用于取号和预约；页面上只显示后四位"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = Center.objects.order_by("kind", "name")


class AcceptForm(forms.Form):
    """窗口受理 from a completed pre-review."""

    applicant_kind = forms.ChoiceField(label="申请人类型", choices=Case.ApplicantKind.choices)
    applicant_name = forms.CharField(label="申请人", max_length=200)
    applicant_id = forms.CharField(label="身份证号/统一社会信用代码", max_length=18)
    applicant_phone = forms.CharField(label="联系电话", max_length=20, required=False)
