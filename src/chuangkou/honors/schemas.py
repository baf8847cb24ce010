import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate, Schema, Text

from .filters import CommendationType, StatusValue

KindValue = Literal["window", "staff"]


class CampaignIn(Schema):
    name: Text = Field(max_length=100)
    period_start: SaneDate
    period_end: SaneDate
    vote_start: SaneDate
    vote_end: SaneDate
    window_quota: int = Field(9, ge=0, le=100)
    staff_quota: int = Field(8, ge=0, le=100)
    vote_weight: int = Field(30, ge=0, le=100, description="投票权重（%），评审权重为其余")


class CampaignOut(Schema):
    id: int
    name: str
    status: StatusValue
    status_label: str
    period_start: dt.date
    period_end: dt.date
    vote_start: dt.date
    vote_end: dt.date
    window_quota: int
    staff_quota: int
    vote_weight: int
    formula: str
    published_at: dt.datetime | None


class PanelIn(Schema):
    user_ids: list[DbId] = Field(min_length=1, max_length=50)


class NominationIn(Schema):
    kind: KindValue
    window_id: DbId | None = None
    staff_id: DbId | None = None
    deeds: Text = Field(max_length=3000)


class NominationOut(Schema):
    id: int
    kind: KindValue
    kind_label: str
    subject: str
    window_id: int | None
    staff_id: int | None
    department: str
    deeds: str
    eligible: bool
    status_note: str
    votes: int
    review_score: Decimal | None
    final_score: Decimal | None
    rank: int | None
    awarded: bool
    citation: str


class BallotIn(Schema):
    nomination_ids: list[DbId] = Field(min_length=1, max_length=2, description="每类至多一个")


class PublicBallotIn(BallotIn):
    campaign_id: DbId


class VotesOut(Schema):
    counted: int


class ScoreIn(Schema):
    score: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)


class ScoreOut(Schema):
    nomination_id: int
    score: Decimal


class CitationIn(Schema):
    citation: Text = Field(max_length=1000)


class LiveCountOut(Schema):
    nomination_id: int
    label: str
    votes: int
    percent: int = Field(description="占本类最高票数的百分比")


class CountsOut(Schema):
    campaign_id: int
    status: StatusValue
    window: list[LiveCountOut]
    staff: list[LiveCountOut]


class WinnerOut(Schema):
    kind: KindValue
    kind_label: str
    rank: int | None
    subject: str
    department: str
    citation: str


class PublishedOut(Schema):
    id: int
    name: str
    published_at: dt.datetime | None
    winners: list[WinnerOut]


class VoteStateOut(Schema):
    ticket_number: str
    service_date: dt.date
    campaigns: list[CountsOut]
    voted: dict[int, list[KindValue]]


class CommendationIn(Schema):
    type: CommendationType
    received_on: SaneDate
    sender: Text = Field("", max_length=100)
    window_id: DbId | None = None
    staff_id: DbId | None = None
    department_id: DbId | None = None
    team: Text = Field("", max_length=100)
    title: Text = Field("", max_length=100)
    text: Text = Field("", max_length=3000)


class CommendationOut(Schema):
    id: int
    type: CommendationType
    type_label: str
    received_on: dt.date
    sender_masked: str
    subject: str
    department: str
    window_id: int | None
    staff_id: int | None
    title: str
    text: str
    has_scan: bool


class DepartmentCountOut(Schema):
    department: str
    banners: int
    letters: int
    titles: int


class CommendationCountsOut(Schema):
    start: dt.date | None
    end: dt.date | None
    banners: int
    letters: int
    titles: int
    total: int
    by_department: list[DepartmentCountOut]
