import datetime as dt
import uuid

from pydantic import Field

from chuangkou.core.schema_types import DbId, Schema, Text

from .models import PreReview, PreReviewItem


class PreReviewStartIn(Schema):
    matter_id: DbId
    center_id: DbId
    applicant_name: Text = Field(max_length=100)
    phone: Text = Field(max_length=20)


class PreReviewItemOut(Schema):
    id: int
    material_id: int
    material: str
    required: bool
    status: str
    status_label: str
    has_file: bool
    content_type: str
    uploads: int
    problem: str
    problem_label: str
    note: str

    @staticmethod
    def of(item: PreReviewItem) -> "PreReviewItemOut":
        return PreReviewItemOut(
            id=item.pk,
            material_id=item.material_id,
            material=item.material.name,
            required=item.required,
            status=item.status,
            status_label=item.get_status_display(),
            has_file=item.has_file,
            content_type=item.content_type,
            uploads=item.uploads,
            problem=item.problem,
            problem_label=item.problem_label,
            note=item.note,
        )


class PreReviewOut(Schema):
    id: int
    matter_id: int
    matter: str
    center_id: int
    applicant_name: str
    phone: str = Field(description="已脱敏")
    status: str
    status_label: str
    submissions: int
    fix_rounds: int
    started_at: dt.datetime
    passed_at: dt.datetime | None
    case_number: str | None
    ticket_number: str | None
    items: list[PreReviewItemOut]

    @staticmethod
    def of(p: PreReview, items) -> "PreReviewOut":
        return PreReviewOut(
            id=p.pk,
            matter_id=p.matter_id,
            matter=p.matter.name,
            center_id=p.center_id,
            applicant_name=p.applicant_name,
            phone=p.masked_phone,
            status=p.status,
            status_label=p.get_status_display(),
            submissions=p.submissions,
            fix_rounds=p.fix_rounds,
            started_at=p.started_at,
            passed_at=p.passed_at,
            case_number=p.case.number if p.case_id else None,
            ticket_number=p.ticket.number if p.ticket_id else None,
            items=[PreReviewItemOut.of(i) for i in items],
        )


class PreReviewStartedOut(Schema):
    id: int
    token: uuid.UUID = Field(description="申请人链接令牌：凭此上传材料、查看结果，请妥善保存")
    status: str


class PreReviewListOut(Schema):
    id: int
    matter: str
    center_id: int
    status: str
    status_label: str
    fix_rounds: int
    started_at: dt.datetime


class PreReviewReviewIn(Schema):
    decision: str = Field(description="pass 通过 / fix 需补正")
    problem: Text = Field("", max_length=40, description="需补正时：常见问题代码")
    note: Text = Field("", max_length=500)


class PreReviewAcceptIn(Schema):
    applicant_kind: str
    applicant_name: Text = Field(max_length=200)
    applicant_id: Text = Field(max_length=18)
    applicant_phone: Text = Field("", max_length=20)


class PreReviewCaseOut(Schema):
    case_id: int
    case_number: str


class PreReviewTicketOut(Schema):
    number: str
    queue: str
    public_token: uuid.UUID


class PreReviewGroupOut(Schema):
    cases: int
    one_trip_rate: float | None
    average_visits: float | None


class PreReviewFiguresOut(Schema):
    start: dt.date
    end: dt.date
    started: int
    completed: int
    average_fix_rounds: float | None
    prereviewed: PreReviewGroupOut
    others: PreReviewGroupOut
    visits_saved: float | None
