"""督导 API shapes (names prefixed Supervision…, unique across the project)."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate, Schema, Text

from .filters import FindingState, ProblemKind, ProblemState

CheckResult = Literal["ok", "bad", "unseen"]
Half = Literal["am", "pm"]
WindowNumber = Annotated[Text, Field(max_length=10)]


# 暗访 --------------------------------------------------------------------------------------------


class SupervisionPlanIn(Schema):
    name: Text = Field(max_length=100)
    period_start: SaneDate
    period_end: SaneDate
    visits_per_center: int = Field(ge=1, le=20, description="每中心每月至少暗访次数")
    center_ids: list[DbId] | None = Field(None, max_length=100, description="默认全部中心")
    seed: int | None = Field(None, ge=0, le=2**48, description="随机种子（可复现抽签）")


class SupervisionPlanOut(Schema):
    id: int
    name: str
    period_start: dt.date
    period_end: dt.date
    visits_per_center: int
    seed: int
    assignments: int


class SupervisionAssignmentOut(Schema):
    id: int
    plan_id: int
    date: dt.date
    center: str
    supervisor: str
    visit_id: int | None


class SupervisionCheckIn(Schema):
    item: Text = Field(max_length=20, description="检查项代码")
    result: CheckResult
    window: Text = Field("", max_length=10, description="窗口号；大堂项留空")
    note: Text = Field("", max_length=500)


class SupervisionVisitIn(Schema):
    visited_at: dt.datetime
    windows: list[WindowNumber] = Field(min_length=1, max_length=20, description="观察的窗口号")
    checks: list[SupervisionCheckIn] = Field(default_factory=list, max_length=500)
    summary: Text = Field("", max_length=2000)


class SupervisionObservationOut(Schema):
    window: str
    item: str
    item_label: str
    result: CheckResult
    note: str


class SupervisionVisitOut(Schema):
    id: int
    assignment_id: int
    center: str
    supervisor: str
    visited_at: dt.datetime
    summary: str
    confirm_due: dt.date
    windows: list[str]
    findings: int
    photo_ids: list[int]


class SupervisionVisitDetailOut(SupervisionVisitOut):
    observations: list[SupervisionObservationOut]


class SupervisionPhotosOut(Schema):
    photo_ids: list[int]


# 问题确认 ----------------------------------------------------------------------------------------


class SupervisionFindingOut(Schema):
    id: int
    visit_id: int
    visited_at: dt.datetime
    center: str
    window: str
    staff: str
    department: str
    item: str
    item_label: str
    note: str
    state: FindingState
    state_label: str
    confirm_due: dt.date
    dispute_reason: str
    has_evidence: bool
    decision_note: str


class SupervisionDisputeIn(Schema):
    reason: Text = Field("", max_length=1000)


class SupervisionDecisionIn(Schema):
    upheld: bool = Field(description="true：申辩成立，撤销；false：驳回，确认")
    note: Text = Field("", max_length=500)


# 坐班体验 ----------------------------------------------------------------------------------------


class SupervisionSlotsIn(Schema):
    window_ids: list[DbId] = Field(min_length=1, max_length=200)
    start: SaneDate
    end: SaneDate
    halves: list[Half] = Field(["am", "pm"], min_length=1, max_length=2)
    capacity: int = Field(1, ge=1, le=10)


class SupervisionSlotsAddedOut(Schema):
    added: int


class SupervisionSlotOut(Schema):
    id: int
    date: dt.date
    half: Half
    half_label: str
    center: str
    window: str
    department: str
    capacity: int
    taken: int


class SupervisionQuestionOut(Schema):
    number: int
    stage: str
    text: str


class SupervisionQuestionnaireOut(Schema):
    version: int
    title: str
    questions: list[SupervisionQuestionOut]


class SupervisionSittingOut(Schema):
    id: int
    slot_id: int
    date: dt.date
    half: Half
    center: str
    window: str
    head: str
    department: str
    status: Literal["booked", "recorded", "cancelled"]
    status_label: str
    summary: str


class SupervisionAnswerOut(Schema):
    number: int
    question: str
    text: str


class SupervisionSittingDetailOut(SupervisionSittingOut):
    answers: list[SupervisionAnswerOut]
    problem_ids: list[int]


class SupervisionFoundIn(Schema):
    title: Text = Field(max_length=200)
    kind: ProblemKind
    description: Text = Field("", max_length=4000)
    on_spot: bool = False
    resolution: Text = Field("", max_length=4000)


class SupervisionRecordIn(Schema):
    answers: dict[int, Text] = Field(default_factory=dict, description="题号 → 回答")
    summary: Text = Field("", max_length=4000)
    problems: list[SupervisionFoundIn] = Field(default_factory=list, max_length=20)


# 问题清单 ----------------------------------------------------------------------------------------


class SupervisionProblemIn(Schema):
    title: Text = Field(max_length=200)
    kind: ProblemKind
    owner_id: DbId
    description: Text = Field("", max_length=4000)
    coordinating_ids: list[DbId] = Field(default_factory=list, max_length=50)
    center_id: DbId | None = None
    found_on: SaneDate | None = None
    deadline: SaneDate | None = None
    source: Literal["visit", "rating", "suggestion", "manual"] = "manual"


class SupervisionEventOut(Schema):
    on: dt.date
    action: str
    from_state: str
    to_state: str
    note: str


class SupervisionProblemOut(Schema):
    id: int
    title: str
    description: str
    kind: ProblemKind
    kind_label: str
    source: str
    source_label: str
    owner: str
    owner_id: int
    found_on: dt.date
    deadline: dt.date
    state: ProblemState
    state_label: str
    escalated: bool
    meeting_record: str
    resolution: str


class SupervisionProblemDetailOut(SupervisionProblemOut):
    coordinating: list[str]
    history: list[SupervisionEventOut]


class SupervisionResolutionIn(Schema):
    resolution: Text = Field(max_length=4000)
    on: SaneDate | None = None


class SupervisionConsultIn(SupervisionResolutionIn):
    meeting_record: Text = Field(max_length=4000)


class SupervisionCoordinateIn(Schema):
    note: Text = Field(max_length=1000)
    coordinating_ids: list[DbId] = Field(default_factory=list, max_length=50)
    deadline: SaneDate | None = None
    on: SaneDate | None = None


class SupervisionCloseIn(Schema):
    note: Text = Field("", max_length=1000)
    on: SaneDate | None = None


class SupervisionReopenIn(Schema):
    reason: Text = Field(max_length=1000)
    on: SaneDate | None = None


class SupervisionCountsOut(Schema):
    found: int = 0
    quick: int = 0
    coordinating: int = 0
    resolved: int = 0
    pending: int = 0


class SupervisionFiguresOut(Schema):
    start: dt.date
    as_of: dt.date
    sittings: int = Field(description="坐班人次")
    found: int = Field(description="发现问题")
    quick: int = Field(description="当场或会商解决")
    coordinating: int = Field(description="正在协调解决")
    resolved: int = Field(description="协调后已解决")
    pending: int = Field(description="尚未处理")
    by_kind: dict[str, SupervisionCountsOut]
    by_department: dict[str, SupervisionCountsOut]
