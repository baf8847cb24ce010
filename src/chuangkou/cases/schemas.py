import datetime as dt

from pydantic import Field

from chuangkou.core.schema_types import DbId, Schema


class RefOut(Schema):
    id: int
    name: str


class MatterRef(Schema):
    id: int
    code: str
    name: str


class WindowRef(Schema):
    id: int
    number: str
    name: str


class CaseOut(Schema):
    id: int
    number: str
    matter: MatterRef
    department: RefOut
    center: RefOut
    window: WindowRef | None
    clerk: RefOut | None
    ticket_id: int | None
    channel: str
    applicant_kind: str
    applicant_name: str
    applicant_id: str = Field(description="已脱敏；受理人本人可见完整号码")
    applicant_phone: str = Field(description="已脱敏；受理人本人可见完整号码")
    status: str
    status_label: str
    accepted_at: dt.datetime
    due_date: dt.date
    completed_at: dt.datetime | None
    visits: int
    overdue: bool = Field(description="超期：结案晚于承诺日期，或未结案且已过承诺日期")
    one_trip: bool | None = Field(description="最多跑一次（仅办结件）")


class CaseEventOut(Schema):
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor: str
    at: dt.datetime
    note: str


class VisitOut(Schema):
    visited_at: dt.datetime
    ticket_number: str | None
    note: str


class CaseDetailOut(CaseOut):
    events: list[CaseEventOut]
    visit_records: list[VisitOut]


class ApplicantIn(Schema):
    applicant_kind: str = Field(description="person 或 company")
    applicant_name: str = Field(min_length=1, max_length=200)
    applicant_id: str = Field(max_length=18, description="身份证号或统一社会信用代码")
    applicant_phone: str = Field("", max_length=20)


class AcceptIn(ApplicantIn):
    """窗口受理: from the ticket being served, or directly (then matter_id is required)."""

    ticket_id: DbId | None = None
    matter_id: DbId | None = None
    window_id: DbId | None = None


class OnlineAcceptIn(ApplicantIn):
    matter_id: DbId
    center_id: DbId


class CaseNoteIn(Schema):
    note: str = Field("", max_length=500)


class CaseReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class VisitIn(Schema):
    ticket_id: DbId | None = None
    note: str = Field("", max_length=200)


class DepartmentFiguresOut(Schema):
    department_id: int
    name: str
    accepted: int
    previous_accepted: int
    year_on_year: float | None
    year_on_year_change: float | None
    rejected: int
    completed: int
    one_trip_rate: float | None
    overdue_rate: float | None


class WindowRankOut(Schema):
    rank: int
    window_id: int
    number: str
    name: str
    center: str
    department: str
    accepted: int
    daily_average: float


class DayOut(Schema):
    date: dt.date
    accepted: int


class CaseFiguresOut(Schema):
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    working_days: int
    accepted: int = Field(description="受理量，不含不予受理")
    rejected: int = Field(description="不予受理（行政许可法第三十二条），单独统计")
    daily_average: float | None
    previous_accepted: int
    year_on_year: float | None = Field(description="本期受理量 ÷ 上年同期受理量（倍，两位小数）")
    year_on_year_change: float | None = Field(description="同比增减（%，一位小数）")
    completed: int
    one_trip: int
    one_trip_rate: float | None = Field(description="最多跑一次实现率（%）")
    overdue: int
    overdue_rate: float | None = Field(description="超期办结率（%）")
    open_overdue: int = Field(description="本期受理、目前仍未结案且已超期的件数")
    daily: list[DayOut]
    departments: list[DepartmentFiguresOut]
    windows: list[WindowRankOut]


class ImportJobOut(Schema):
    id: int
    filename: str
    status: str
    status_label: str
    total_rows: int
    processed_rows: int
    percent: int
    created: int
    error_count: int
    errors: list[dict]
    message: str
