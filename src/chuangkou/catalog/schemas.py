from pydantic import Field

from chuangkou.core.schema_types import DbId, Schema


class DepartmentOut(Schema):
    id: int
    name: str


class MaterialOut(Schema):
    name: str
    requirement: str = Field(description="required 必需 / conditional 视情形提交")
    condition: str
    form: str = Field(description="original / copy / both / electronic")
    form_label: str
    copies: int
    template_url: str | None
    sample_url: str | None


class MatterSummaryOut(Schema):
    code: str
    name: str
    department: DepartmentOut
    kind: str
    kind_label: str
    promised_days: int = Field(description="承诺时限（工作日），0 为即办")
    max_visits: int = Field(description="最多跑动次数：0 零跑，1 跑一次")
    visits_label: str
    online: bool
    is_active: bool
    guide_url: str


class MatterOut(MatterSummaryOut):
    conditions: str
    legal_basis: str
    fee: str
    materials: list[MaterialOut]


class MaterialIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    requirement: str = "required"
    condition: str = Field("", max_length=200)
    form: str = "original"
    copies: int = 1


class MatterIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    department_id: DbId
    kind: str = "license"
    promised_days: int = 0
    max_visits: int = 1
    online: bool = False
    conditions: str = ""
    legal_basis: str = ""
    fee: str = Field("不收费", max_length=200)
    materials: list[MaterialIn] = Field(default_factory=list)


class MatterUpdateIn(Schema):
    """Only the fields sent are changed; `materials`, when sent, replaces the list."""

    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=200)
    department_id: DbId | None = None
    kind: str | None = None
    promised_days: int | None = None
    max_visits: int | None = None
    online: bool | None = None
    conditions: str | None = None
    legal_basis: str | None = None
    fee: str | None = Field(None, max_length=200)
    materials: list[MaterialIn] | None = None


class MergedMaterialOut(Schema):
    name: str
    requirement: str
    conditions: list[str]
    form: str
    form_label: str
    copies: int
    matters: list[str] = Field(description="要求该材料的事项编码")


class BundleSummaryOut(Schema):
    code: str
    name: str
    description: str
    guide_url: str


class BundleOut(BundleSummaryOut):
    promised_days: int = Field(description="合计承诺时限：并联办理，取各事项最长者")
    serial_days: int = Field(description="各事项承诺时限之和（逐项办理时）")
    max_visits: int
    matters: list[MatterSummaryOut]
    materials: list[MergedMaterialOut]


class BundleIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    matter_codes: list[str] = Field(description="包含事项的编码（按办理顺序）")


class BundleUpdateIn(Schema):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    matter_codes: list[str] | None = None
    is_active: bool | None = None
