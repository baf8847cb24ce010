import datetime as dt
from decimal import Decimal

from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate, Schema

Score = Decimal  # 0–100 with at most two decimals; JSON carries it as a string or a number


class TierIn(Schema):
    name: str = Field(max_length=30)
    quota: int = Field(ge=1, le=999)
    annual_amount: int = Field(ge=1, le=10_000_000, description="年度待遇（元）")


class TierOut(TierIn):
    id: int
    rank_order: int


class JudgeOut(Schema):
    id: int
    seat: int
    user_id: int
    name: str
    scored: int


class CompetitionIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    year: int = Field(ge=2000, le=2100)
    budget: int = Field(ge=1, description="年度预算（元）")
    written_weight: Score = Field(description="笔试权重（%），与面试权重之和为 100")
    interview_weight: Score
    pass_line: Score = Field(description="合格线（综合成绩）")
    allowed_employment_types: list[str] = Field(description="regular / temporary / agency")
    min_service_years: int = Field(ge=0, le=40)
    service_reference_date: SaneDate
    notice_days: int = Field(5, ge=1, le=30, description="公示期（工作日）")
    exam_id: DbId | None = Field(None, description="笔试考试编号（题库与考试）")


class CompetitionPatch(Schema):
    """Only the fields sent are changed."""

    name: str | None = Field(None, min_length=1, max_length=100)
    year: int | None = Field(None, ge=2000, le=2100)
    budget: int | None = Field(None, ge=1)
    written_weight: Score | None = None
    interview_weight: Score | None = None
    pass_line: Score | None = None
    allowed_employment_types: list[str] | None = None
    min_service_years: int | None = Field(None, ge=0, le=40)
    service_reference_date: SaneDate | None = None
    notice_days: int | None = Field(None, ge=1, le=30)
    exam_id: DbId | None = None


class BudgetRowOut(Schema):
    name: str
    quota: int
    placed: int
    annual_amount: int
    subtotal: int


class BudgetOut(Schema):
    budget: int
    total: int
    overrun: int
    full_cost: int
    rows: list[BudgetRowOut]


class CompetitionOut(Schema):
    id: int
    name: str
    year: int
    status: str
    status_label: str
    budget: int
    written_weight: Decimal
    interview_weight: Decimal
    pass_line: Decimal
    allowed_employment_types: list[str]
    min_service_years: int
    service_reference_date: dt.date
    notice_days: int
    exam_id: int | None
    notice_start: dt.date | None
    notice_end: dt.date | None


class CompetitionDetailOut(CompetitionOut):
    tiers: list[TierOut]
    judges: list[JudgeOut]
    candidates: int
    budget_report: BudgetOut


class JudgesIn(Schema):
    user_ids: list[DbId] = Field(min_length=1, max_length=15)


class RegisterIn(Schema):
    staff_id: DbId


class SelectionReasonIn(Schema):
    reason: str = Field(max_length=200)


class SelectionScoreIn(Schema):
    score: Score


class PublishIn(Schema):
    notice_start: SaneDate | None = Field(None, description="公示开始日期，默认今天")


class TieIn(Schema):
    candidate_ids: list[DbId] = Field(min_length=2, description="并列人员，按决定的顺位排列")
    reason: str = Field(max_length=200)


class CandidateOut(Schema):
    id: int
    staff_id: int
    staff_no: str
    name: str
    department: str
    employment_type: str
    hire_date: dt.date
    service_years: int
    status: str
    written_score: Decimal | None
    interview_score: Decimal | None
    final_score: Decimal | None
    rank: int | None
    tier: str | None
    outcome: str
    scored: int = Field(description="已提交的面试评分份数（不显示分数）")


class RankingRowOut(Schema):
    candidate_id: int
    rank: int | None
    staff_no: str
    name: str
    department: str
    status: str
    written_score: Decimal | None
    interview_score: Decimal | None
    final_score: Decimal | None
    outcome: str
    tier: str | None
    judge_scores: list[Decimal] = Field(description="各评委评分（按席位），全部提交后才显示")


class TieOut(Schema):
    rank: int
    candidate_ids: list[int]
    names: list[str]
    held: list[str]


class RankingOut(Schema):
    status: str
    pass_line: Decimal
    rows: list[RankingRowOut]
    ties: list[TieOut]
    budget: BudgetOut


class JudgeSheetRowOut(Schema):
    candidate_id: int
    name: str
    department: str
    my_score: Decimal | None


class ImportOut(Schema):
    changed: int


class ObjectionIn(Schema):
    text: str = Field(min_length=1, max_length=2000)
    candidate_id: DbId | None = None


class ObjectionHandleIn(Schema):
    decision: str = Field(description="upheld / rejected")
    reply: str = Field(max_length=2000)


class ObjectionOut(Schema):
    id: int
    candidate_id: int | None
    candidate_name: str | None
    submitted_by: str
    submitted_at: dt.datetime
    text: str
    status: str
    reply: str


class NoticeRowOut(Schema):
    rank: int
    name: str
    department: str
    final_score: Decimal
    tier: str


class NoticeOut(Schema):
    id: int
    name: str
    year: int
    status: str
    notice_start: dt.date | None
    notice_end: dt.date | None = Field(description="异议截止日")
    rows: list[NoticeRowOut]
