"""API schemas of 1call (prefixed Consult… so the OpenAPI names stay unique)."""

import datetime as dt
from typing import Literal

from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate, Schema, Text


class ConsultAskIn(Schema):
    question: Text = Field(max_length=5000)
    phone: Text = Field(max_length=30)
    matter_id: DbId | None = None


class ConsultAskedOut(Schema):
    code: str
    url: str
    first_reply_due: dt.datetime


class ConsultIdentityIn(Schema):
    code: Text = Field(max_length=40)
    last4: Text = Field(max_length=10)


class ConsultFollowIn(ConsultIdentityIn):
    body: Text = Field(max_length=5000)


class ConsultRateIn(ConsultIdentityIn):
    level: int = Field(ge=1, le=5)
    comment: Text = Field("", max_length=500)


class ConsultMessageOut(Schema):
    author: str
    body: str
    at: dt.datetime


class ConsultThreadOut(Schema):
    code: str
    status: str
    status_label: str
    matter: str
    phone: str
    messages: list[ConsultMessageOut]
    rated: int | None


class ConsultRowOut(Schema):
    id: int
    code: str
    question: str
    domain: str
    status: str
    agent: str
    phone: str
    first_reply_due: dt.datetime
    resolve_due: dt.datetime
    reply_minutes_left: int | None
    resolve_minutes_left: int | None
    soon: bool
    breached: bool


class ConsultDetailOut(ConsultRowOut):
    messages: list[ConsultMessageOut]


class ConsultReplyIn(Schema):
    body: Text = Field(max_length=5000)


class ConsultTransferIn(Schema):
    department_id: DbId | None = None
    note: Text = Field("", max_length=500)


class ConsultPromoteIn(Schema):
    question: Text = Field("", max_length=1000)
    answer: Text = Field("", max_length=5000)


class ConsultFaqOut(Schema):
    id: int
    question: str
    answer: str
    matter: str


class ConsultHitOut(Schema):
    kind: str
    kind_label: str
    id: int
    title: str
    text: str
    url: str
    score: float


class ConsultSuggestOut(Schema):
    guide: list[ConsultHitOut]
    answers: list[ConsultHitOut]


class ConsultDutyIn(Schema):
    staff_id: DbId
    department_id: DbId | None = None
    date: SaneDate
    shift: Literal["am", "pm"]


class ConsultDutyOut(Schema):
    id: int
    staff: str
    domain: str
    date: dt.date
    shift: str


class ConsultOverviewOut(Schema):
    start: dt.date
    end: dt.date
    volume: int
    closed: int
    waiting: int
    avg_first_reply_minutes: float | None
    avg_resolve_minutes: float | None
    first_reply_breaches: int
    resolve_breaches: int
    ratings: dict[int, int]
    satisfaction: float | None
    top_matters: list[dict]


class ConsultDoneOut(Schema):
    detail: str
