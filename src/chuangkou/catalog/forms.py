import os

from django import forms

from chuangkou.core.params import id_list
from chuangkou.org.models import Department

from .models import Material, Matter

MATTER_FORM_FIELDS = (
    "code",
    "name",
    "department",
    "kind",
    "promised_days",
    "max_visits",
    "online",
    "conditions",
    "legal_basis",
    "fee",
    "produces",
)


class MatterForm(forms.Form):
    """事项 fields; the departments offered are those the user may maintain."""

    code = forms.CharField(label="事项编码", max_length=40, help_text="例如 330103-BDC-001")
    name = forms.CharField(label="事项名称", max_length=200)
    department = forms.ModelChoiceField(label="实施部门", queryset=Department.objects.all())
    kind = forms.ChoiceField(label="事项类型", choices=Matter.Kind.choices)
    promised_days = forms.IntegerField(
        label="承诺时限（工作日）", min_value=0, max_value=365, help_text="0 表示即办"
    )
    max_visits = forms.IntegerField(
        label="最多跑动次数", min_value=0, max_value=5, help_text="0 = 零跑（全程网办），1 = 跑一次"
    )
    online = forms.BooleanField(label="可网上办理", required=False)
    conditions = forms.CharField(
        label="受理条件", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(
        label="设定依据", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fee = forms.CharField(label="收费标准", max_length=200, required=False, initial="不收费")
    produces = forms.CharField(
        label="办结产出证照",
        max_length=200,
        required=False,
        help_text="办结后核发的证照或文书，如“营业执照”；同一件事中后面的事项不再要求提交",
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


# Blank templates people download from the public guide: office documents, PDF and images only.
TEMPLATE_EXTENSIONS = (".doc", ".docx", ".xls", ".xlsx", ".pdf", ".jpg", ".png")


class MaterialForm(forms.Form):
    """One row of the inline material list; blank rows are skipped."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="材料名称", max_length=200, required=False)
    requirement = forms.ChoiceField(label="是否必需", choices=Material.Requirement.choices)
    condition = forms.CharField(label="提交情形", max_length=200, required=False)
    form = forms.ChoiceField(label="材料形式", choices=Material.Form.choices)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=99, initial=1)
    template = forms.FileField(label="空白模板", required=False)

    def clean_template(self):
        f = self.cleaned_data.get("template")
        if f and os.path.splitext(f.name)[1].lower() not in TEMPLATE_EXTENSIONS:
            raise forms.ValidationError(f"模板只能是 {'、'.join(TEMPLATE_EXTENSIONS)} 文件。")
        if f and f.size > 5 * 1024 * 1024:
            raise forms.ValidationError("模板文件不能超过 5 MB。")
        return f


MaterialFormSet = forms.formset_factory(MaterialForm, extra=2, can_delete=True, max_num=60)


def material_initial(matter: Matter | None) -> list[dict]:
    if matter is None:
        return []
    return [
        {
            "id": m.pk,
            "name": m.name,
            "requirement": m.requirement,
            "condition": m.condition,
            "form": m.form,
            "copies": m.copies,
            "template_name": os.path.basename(m.template.name) if m.template else "",
        }
        for m in matter.materials.all()
    ]


def materials_from(formset) -> list[tuple[forms.Form, dict]]:
    """The filled-in, not deleted rows with their forms, as the services take them."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not (data.get("name") or "").strip():
            continue
        spec = {k: v for k, v in data.items() if k != "DELETE" and v not in (None, "")}
        spec.setdefault("condition", "")
        rows.append((form, spec))
    return rows


class BundleForm(forms.Form):
    code = forms.CharField(label="编码", max_length=40, help_text="例如 330103-YJS-01")
    name = forms.CharField(label="名称", max_length=200)
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    matters = forms.ModelMultipleChoiceField(
        label="包含事项",
        queryset=Matter.objects.filter(is_active=True).select_related("department"),
        widget=forms.CheckboxSelectMultiple,
        help_text="至少两个事项。已有事项保持原顺序，新选的事项按编码排在后面。",
    )

    def __init__(self, *args, current: list[Matter] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current or []

    def clean_matters(self) -> list[Matter]:
        position = {m.pk: i for i, m in enumerate(self.current)}
        chosen = list(self.cleaned_data["matters"])
        return sorted(chosen, key=lambda m: (position.get(m.pk, len(position)), m.code))

    def chosen_names(self) -> list[str]:
        chosen = {str(v) for v in (self["matters"].value() or [])}
        ordered = sorted(self.current, key=lambda m: str(m.pk) not in chosen)
        known = {str(m.pk) for m in ordered}
        extra_ids = id_list(chosen - known)
        extra = self.fields["matters"].queryset.filter(pk__in=extra_ids)
        return [m.name for m in ordered if str(m.pk) in chosen] + [m.name for m in extra]

    def matter_groups(self) -> list[tuple[str, list[tuple[int, str, bool]]]]:
        """The matters to choose from, by department: (department, [(pk, name, checked)])."""
        chosen = {str(v) for v in (self["matters"].value() or [])}
        groups: dict[str, list] = {}
        for m in self.fields["matters"].queryset.order_by("department__code", "code"):
            groups.setdefault(m.department.name, []).append((m.pk, m.name, str(m.pk) in chosen))
        return list(groups.items())
