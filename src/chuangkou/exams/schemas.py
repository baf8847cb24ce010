import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field

from chuangkou.core.schema_types import DbId, Schema


class KnowledgePointOut(Schema):
    id: int
    name: str
    parent_id: int | None


class QuestionOut(Schema):
    id: int
    code: str
    kind: str
    kind_label: str
    difficulty: int
    source: str
    knowledge_point_ids: list[int]
    matter_id: int | None
    is_active: bool
    version: int
    stem: str
    config: dict = Field(description="内容与答案（仅中心管理员可见）")


class QuestionIn(Schema):
    kind: str
    stem: str = Field(max_length=5000)
    config: dict
    difficulty: int = Field(3, ge=1, le=5)
    source: str
    knowledge_point_ids: list[DbId] = Field(min_length=1)
    matter_id: DbId | None = None


class QuestionUpdateIn(Schema):
    stem: str = Field(max_length=5000)
    config: dict
    difficulty: int = Field(ge=1, le=5)
    source: str
    knowledge_point_ids: list[DbId] = Field(min_length=1)
    matter_id: DbId | None = None
    note: str = Field("", max_length=200)


class ExamOut(Schema):
    id: int
    title: str
    purpose: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    duration_minutes: int
    paper_id: int
    published_at: dt.datetime | None


class ExamIn(Schema):
    title: str = Field(max_length=200)
    paper_id: DbId
    starts_at: dt.datetime
    ends_at: dt.datetime
    duration_minutes: int = Field(ge=1, le=600)
    purpose: str = "practice"


class StaffIdsIn(Schema):
    staff_ids: list[DbId] = Field(min_length=1, max_length=5000)


class CountOut(Schema):
    count: int


class MyExamOut(Schema):
    attempt_id: int
    exam_id: int
    title: str
    exam_status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    duration_minutes: int
    status: str
    deadline: dt.datetime | None
    total_score: Decimal | None = Field(None, description="成绩发布后才有")


class ItemOut(Schema):
    id: int
    order: int
    kind: str
    kind_label: str
    stem: str
    points: Decimal
    view: dict
    response: Any = None
    saved_at: dt.datetime | None = None


class AttemptOut(Schema):
    id: int
    exam_id: int
    title: str
    status: str
    started_at: dt.datetime | None
    deadline: dt.datetime | None
    submitted_at: dt.datetime | None
    auto_submitted: bool
    seconds_left: int
    items: list[ItemOut]


class AnswerIn(Schema):
    response: Any = Field(None, description='单选 "B"；多选/场景 ["A","C"]；填空 ["…"]；开放题文字')


class SavedOut(Schema):
    item_id: int
    saved_at: dt.datetime


class ItemResultOut(ItemOut):
    score: Decimal | None
    key: str | None


class ResultOut(Schema):
    attempt_id: int
    title: str
    max_score: Decimal
    objective_score: Decimal | None
    subjective_score: Decimal | None
    total_score: Decimal | None
    items: list[ItemResultOut]


class GradeTaskOut(Schema):
    id: int
    exam_id: int
    exam_title: str
    code: str = Field(description="考生密号（匿名）")
    round: int
    stem: str
    rubric: str
    answer: str
    points: Decimal


class GradeIn(Schema):
    score: Decimal
    comment: str = Field("", max_length=500)


class GradeOut(Schema):
    id: int
    score: Decimal
    graded_at: dt.datetime


class RegradeIn(Schema):
    question_id: DbId
    dry_run: bool = True


class RegradeChangeOut(Schema):
    code: str
    staff_name: str
    old_score: Decimal
    new_score: Decimal
    old_total: Decimal | None
    new_total: Decimal | None


class RegradeOut(Schema):
    question: str
    to_version: int
    from_versions: list[int]
    answers: int
    applied: bool
    changes: list[RegradeChangeOut]


class ItemStatsOut(Schema):
    question_id: int
    code: str
    kind: str
    attempts: int
    mean_score: float
    max_score: float
    facility: float | None
    discrimination: float | None


class AnalysisOut(Schema):
    attempts: int
    max_score: Decimal
    mean_total: float | None
    alpha: float | None = Field(description="Cronbach's α")
    questions: list[ItemStatsOut]


class TeamOut(Schema):
    name: str
    members: int
    score: Decimal
    finished: int


class ContestantOut(Schema):
    name: str = Field(description="公开大屏上姓名已脱敏")
    team: str
    total: Decimal


class ContestBoardOut(Schema):
    contest: str
    rounds: list[str]
    teams: list[TeamOut]
    top: list[ContestantOut]
