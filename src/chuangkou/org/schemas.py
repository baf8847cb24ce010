import datetime as dt

from pydantic import Field

from chuangkou.core.schema_types import DbId, Schema


class NamedOut(Schema):
    id: int
    name: str


class WindowOut(Schema):
    id: int
    number: str
    name: str
    center_id: int
    department_id: int


class StaffOut(Schema):
    id: int
    staff_no: str
    name: str
    gender: str
    employment_type: str
    employment_type_label: str
    category_id: int | None
    department: NamedOut
    center: NamedOut
    window_number: str | None
    hire_date: dt.date
    status: str
    phone: str = Field(description="已脱敏，本人与中心管理员可见完整号码")
    id_number: str = Field(description="已脱敏，本人与中心管理员可见完整号码")


class StaffCreateIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    gender: str = Field(description="M 或 F")
    employment_type: str = Field(description="regular / temporary / agency")
    department_id: DbId
    center_id: DbId
    window_id: DbId | None = None
    category_id: DbId | None = None
    hire_date: dt.date
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=18)
    staff_no: str = Field("", max_length=20)


class StaffUpdateIn(Schema):
    """Only the fields sent are changed."""

    name: str | None = Field(None, min_length=1, max_length=50)
    gender: str | None = None
    employment_type: str | None = None
    department_id: DbId | None = None
    center_id: DbId | None = None
    window_id: DbId | None = None
    category_id: DbId | None = None
    hire_date: dt.date | None = None
    phone: str | None = Field(None, max_length=20)
    id_number: str | None = Field(None, max_length=18)


class TurnoverOut(Schema):
    start: dt.date
    end: dt.date
    opening: int
    closing: int
    average_headcount: float
    separations: int
    rate_percent: float | None
    by_reason: dict[str, int]
