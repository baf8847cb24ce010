"""API schemas of 能力提升 (prefixed Training… / Suggestion…, unique in the OpenAPI schema)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field

from chuangkou.core.schema_types import DbId, Schema, Text

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


# -- courseware, the 大 PK, the handbook, needs -------------------------------------------------


class TrainingCoursewareIn(Schema):
    """Upload fields (multipart, with the file in `file`)."""

    title: Text = Field(max_length=100)
    domain: Text = Field(max_length=50)
    speaker: Text = Field(max_length=50)
    summary: Text = Field(max_length=2000)
    key_points: Text = Field(max_length=2000, description="每行一条")
    event_id: DbId | None = None


class TrainingCoursewareOut(Schema):
    id: int
    title: str
    domain: str
    speaker: str
    summary: str
    key_points: list[str]
    year: int
    event_id: int | None
    original_name: str
    content_type: str
    size: int
    selected: bool
    created_at: dt.datetime


class TrainingPkCriterionOut(Schema):
    name: str
    max: int


class TrainingPkOut(Schema):
    id: int
    name: str
    year: int
    status: Literal["draft", "open", "closed"]
    status_label: str
    criteria: list[TrainingPkCriterionOut]
    vote_weight: int
    entry_ids: list[int]
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    judge: bool = Field(description="当前用户是否为评委")
    voted: bool = Field(description="当前用户是否已投票")


class TrainingPkStateIn(Schema):
    status: Literal["open", "closed"] = Field(description="open 开始评分投票；closed 结束")


class TrainingPkScoreIn(Schema):
    courseware_id: DbId
    points: dict[str, float] = Field(max_length=20, description="评分标准名称 → 得分")


class TrainingPkScoreOut(Schema):
    courseware_id: int
    points: dict[str, str]
    total: Decimal


class TrainingPkVoteIn(Schema):
    courseware_id: DbId


class TrainingPkVoteOut(Schema):
    courseware_id: int


class TrainingPkResultOut(Schema):
    rank: int
    courseware_id: int
    title: str
    domain: str
    speaker: str
    judges: int
    by_criterion: list[float | None]
    average: float
    review: float
    votes: int
    final: float
    selected: bool


class TrainingPkSelectIn(Schema):
    courseware_ids: list[DbId] = Field(max_length=200)


class TrainingHandbookQuery(Schema):
    year: int = Field(ge=2000, le=2100, description="年度")


class TrainingNeedOut(Schema):
    department: str
    department_id: int | None
    point_id: int
    point: str
    domain: str
    mastery: float


# -- suggestion handling -------------------------------------------------------------------------


class SuggestionAssignIn(Schema):
    assignee_id: DbId


class SuggestionAnswerIn(Schema):
    answer: Text = Field(max_length=2000)


class SuggestionDecisionIn(Schema):
    adopted: bool
    reason: Text = Field(max_length=500)


class SuggestionProblemIn(Schema):
    kind: Literal["pain", "block", "hard"] = Field(description="痛点 / 堵点 / 难点")
    owner_id: DbId = Field(description="责任部门")


class SuggestionProblemOut(Schema):
    suggestion_id: int
    problem_id: int
