import datetime as dt
from typing import Literal

from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate, Schema

from .filters import ChannelValue


class PadRatingIn(Schema):
    token: str = Field(max_length=500, description="评价器链接中的签名令牌")
    level: int = Field(description="1 非常不满意 … 5 非常满意")
    comment: str = Field("", max_length=500)
    contact_phone: str = Field("", max_length=20, description="回访电话（选填，仅差评时保存）")


class PhoneRatingIn(Schema):
    level: int = Field(description="1 非常不满意 … 5 非常满意")
    comment: str = Field("", max_length=500)
    follow_up: bool = Field(False, description="true = 追评（需已评价过）")
    contact_phone: str = Field("", max_length=20, description="回访电话（选填，仅差评时保存）")


class StaffRatingIn(Schema):
    """短信/热线/网上评价录入: one of case_id and ticket_id, or follow_up_of_id for a 追评."""

    channel: Literal["sms", "hotline", "web"]
    level: int = Field(description="1 非常不满意 … 5 非常满意")
    case_id: DbId | None = None
    ticket_id: DbId | None = None
    follow_up_of_id: DbId | None = None
    comment: str = Field("", max_length=500)
    contact_phone: str = Field("", max_length=20)
    at: dt.datetime | None = Field(None, description="评价时间（默认现在）")


class RatingOut(Schema):
    id: int
    level: int
    level_label: str
    channel: ChannelValue
    follow_up: bool
    rectification_id: int | None


class PadStateOut(Schema):
    window_number: str
    staff_name: str
    ticket_number: str | None = Field(description="当前可评价的排队号；没有则为 null")


class PhoneStateOut(Schema):
    ticket_number: str
    service_date: dt.date
    window_number: str | None
    department: str | None
    finished: bool
    can_rate: bool
    can_follow_up: bool
    level: int | None


class LevelCountOut(Schema):
    level: int
    label: str
    count: int


class FeedbackFiguresOut(Schema):
    total: int
    satisfied: int
    bad: int
    rate_percent: float | None
    bad_share_percent: float | None
    levels: list[LevelCountOut]


class GroupFiguresOut(FeedbackFiguresOut):
    key: int | str | None
    label: str


class SatisfactionOut(FeedbackFiguresOut):
    formula: str
    by: list[GroupFiguresOut]


class RectificationEventOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    note: str


class RectificationOut(Schema):
    id: int
    state: str
    state_label: str
    subject: str
    department: str | None
    window_number: str | None
    staff_name: str | None
    level: int
    level_label: str
    comment: str
    channel: str
    rated_at: dt.datetime
    callback_due: dt.date
    reply_due: dt.date
    callback_at: dt.datetime | None
    rectified_at: dt.datetime | None
    citizen_phone: str = Field(description="列表中脱敏；详情中对处理人显示完整号码以便回访")


class RectificationDetailOut(RectificationOut):
    callback_note: str
    reply: str
    appeal_kind: str
    appeal_reason: str
    appeal_decision: str
    decision_note: str
    events: list[RectificationEventOut]


class CallbackNoteIn(Schema):
    note: str = Field(max_length=500)


class ReplyIn(Schema):
    reply: str = Field(max_length=2000)


class UnrectifiableReasonIn(Schema):
    reason: str = Field(max_length=2000)


class AppealIn(Schema):
    kind: Literal["invalid", "malicious"]
    reason: str = Field(max_length=500)


class DecisionIn(Schema):
    decision: Literal["upheld", "rejected"]
    note: str = Field("", max_length=500)


class SurveyIn(Schema):
    region_id: DbId
    name: str = Field(max_length=100)
    period_start: SaneDate
    period_end: SaneDate
    sample_size: int = Field(ge=1)
    seed: int | None = Field(None, ge=0, description="不填则随机生成并保存，便于复现")


class SurveyOut(Schema):
    id: int
    name: str
    region: str
    period_start: dt.date
    period_end: dt.date
    seed: int
    sample_size: int
    drawn: int


class InterviewIn(Schema):
    reached: bool
    visits_reported: int | None = Field(None, ge=0)
    satisfied: bool | None = None
    note: str = Field("", max_length=200)


class SampleOut(Schema):
    id: int
    case_number: str
    department: str
    reached: bool | None
    visits_reported: int | None
    satisfied: bool | None


class EstimateOut(Schema):
    rate_percent: float | None
    ci_low_percent: float | None
    ci_high_percent: float | None
    respondents: int
    effective_size: float


class StratumOut(Schema):
    department: str
    population: int
    sample_size: int
    interviewed: int
    reached: int
    realized: int
    satisfied: int


class SurveyReportOut(Schema):
    survey: SurveyOut
    formula: str
    strata: list[StratumOut]
    realization: EstimateOut
    satisfaction: EstimateOut
    previous_survey_id: int | None
    realization_change_points: float | None
    satisfaction_change_points: float | None
