"""API schemas of 人文关怀 (prefixed Care… so the OpenAPI names stay unique)."""

import datetime as dt
from typing import Literal

from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate, Schema, Text


class CareLeaveIn(Schema):
    date: SaneDate


class CareLeaveOut(Schema):
    id: int
    date: dt.date
    cancellable: bool


class CareDoneOut(Schema):
    detail: str


class CareAwayOut(Schema):
    date: dt.date
    name: str
    department: str
    window: str


class CareFigureRowOut(Schema):
    label: str
    headcount: int | str
    months: list[int | str]
    total: int | str


class CareFiguresOut(Schema):
    year: int
    rows: list[CareFigureRowOut]
    counseling_sessions: list[int]


class CareSlotIn(Schema):
    starts_at: dt.datetime
    minutes: int = Field(50, ge=10, le=240)
    mode: Literal["onsite", "phone"]
    place: Text = Field("", max_length=100)


class CareSlotOut(Schema):
    id: int
    starts_at: dt.datetime
    minutes: int
    mode: str
    mode_label: str
    place: str
    booked: bool | None = None


class CareAppointmentOut(Schema):
    id: int
    slot: CareSlotOut
    client: str | None = Field(None, description="预约人（仅心理咨询师本人可见）")
    cancelled: bool
    has_note: bool | None = Field(None, description="是否已有咨询记录（仅心理咨询师本人可见）")


class CareNoteIn(Schema):
    text: Text = Field(..., max_length=10000)


class CareNoteOut(Schema):
    appointment_id: int
    text: str
    updated_at: dt.datetime | None


class CareTalkIn(Schema):
    staff_id: DbId
    date: SaneDate
    topic: Literal["pressure", "service", "relations", "family", "health", "career", "other"]
    follow_up: Text = Field("", max_length=500)


class CareTalkOut(Schema):
    id: int
    date: dt.date
    staff_id: int
    staff: str
    department: str
    topic: str
    topic_label: str
    follow_up: str
    held_by: str
