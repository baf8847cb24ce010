"""API schemas of 能力提升 (prefixed Training… / Suggestion…, unique in the OpenAPI schema)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from chuangkou.core.schema_types import DbId, Text

from .filters import AspectValue, KindValue

EmploymentType = Literal["regular", "temporary", "agency"]


class TrainingEventIn(Schema):
    title: Text = Field(max_length=100)
    kind: KindValue
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: Text = Field(max_length=100)
    hours: Decimal = Field(ge=0, le=99, decimal_places=1)
    speaker: Text = Field("", max_length=50)
    description: Text = Field("", max_length=2000)
    capacity: int = Field(0, ge=0, le=10000)
    department_ids: list[DbId] = Field(default_factory=list, max_length=200)
    employment_types: list[EmploymentType] = Field(default_factory=list)
    category_ids: list[DbId] = Field(default_factory=list, max_length=200)
    invitee_ids: list[DbId] = Field(default_factory=list, max_length=2000)


class TrainingEventOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    speaker: str
    hours: Decimal
    capacity: int
    audience: str


class TrainingCheckinIn(Schema):
    token: Text = Field(max_length=200)


class TrainingAttendanceOut(Schema):
    event_id: int
    status: str
    status_label: str
    checked_in_at: dt.datetime | None
    new: bool = False


class TrainingFeedbackIn(Schema):
    rating: int = Field(ge=1, le=5)
    usefulness: int = Field(ge=1, le=5)
    comment: Text = Field("", max_length=500)


class TrainingFeedbackOut(Schema):
    count: int
    rating: float | None
    usefulness: float | None


class TrainingHoursOut(Schema):
    staff_no: str
    name: str
    department: str
    events: int
    hours: Decimal


class SuggestionIn(Schema):
    aspect: AspectValue
    title: Text = Field(max_length=100)
    content: Text = Field(max_length=2000)


class SuggestionOut(Schema):
    id: int
    aspect: str
    aspect_label: str
    title: str
    content: str
    status: str
    status_label: str
    author: str
    answer: str
    decision_reason: str
    problem_id: int | None
    created_at: dt.datetime
