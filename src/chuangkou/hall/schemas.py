import datetime as dt
import uuid

from pydantic import Field

from chuangkou.core.masking import mask_phone
from chuangkou.core.schema_types import DbId, Schema

from .models import Ticket


class TicketOut(Schema):
    id: int
    number: str
    queue_id: int
    queue_name: str
    center_id: int
    service_date: dt.date
    status: str
    status_label: str
    channel: str
    priority: bool
    priority_reason: str
    window_number: str | None
    issued_at: dt.datetime
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    recall_count: int
    phone: str = Field(description="已脱敏")
    public_token: uuid.UUID

    @staticmethod
    def of(ticket: Ticket) -> "TicketOut":
        return TicketOut(
            id=ticket.pk,
            number=ticket.number,
            queue_id=ticket.queue_id,
            queue_name=ticket.queue.name,
            center_id=ticket.queue.center_id,
            service_date=ticket.service_date,
            status=ticket.status,
            status_label=ticket.get_status_display(),
            channel=ticket.channel,
            priority=ticket.priority,
            priority_reason=ticket.priority_reason,
            window_number=ticket.window.number if ticket.window_id else None,
            issued_at=ticket.issued_at,
            called_at=ticket.called_at,
            started_at=ticket.started_at,
            finished_at=ticket.finished_at,
            recall_count=ticket.recall_count,
            phone=mask_phone(ticket.phone),
            public_token=ticket.public_token,
        )


class IssueIn(Schema):
    queue_id: DbId
    matter_id: DbId | None = None
    channel: str = Field("lobby", description="lobby（大堂经理帮办）或 kiosk（自助取号机）")
    priority_reason: str = Field("", description="绿色通道：elderly/disabled/pregnant/other")
    phone: str = Field("", max_length=20)


class IssuedOut(Schema):
    ticket: TicketOut
    ahead: int = Field(description="前面等候人数")
    wait_minutes: int = Field(description="预计等候分钟数")
    follow_url: str = Field(description="手机查看进度的地址（无需登录）")


class WindowIn(Schema):
    window_id: DbId


class SignInOut(Schema):
    window_number: str
    staff_name: str
    signed_in: bool


class TransferIn(WindowIn):
    target_queue_id: DbId
    note: str = Field("", max_length=100)


class CallNextOut(Schema):
    ticket: TicketOut | None
    message: str


class PublicTicketOut(Schema):
    """What the ticket holder's phone shows: no personal data."""

    number: str
    queue_name: str
    status: str
    status_label: str
    ahead: int
    wait_minutes: int
    window_number: str
    transferred_from: str
    is_open: bool


class BoardCallOut(Schema):
    event_id: int
    number: str
    window_number: str
    queue_name: str
    sentence: str
    at: dt.datetime


class BoardCurrentOut(Schema):
    number: str
    window_number: str
    queue_name: str
    status: str


class QueueCountOut(Schema):
    queue_id: int
    prefix: str
    name: str
    waiting: int


class HallBoardOut(Schema):
    center: str
    current: list[BoardCurrentOut]
    recent: list[BoardCallOut]
    waiting: list[QueueCountOut]
    announce: BoardCallOut | None


class QueueOut(Schema):
    id: int
    center_id: int
    prefix: str
    name: str
    average_service_minutes: int
    is_active: bool
    window_numbers: list[str]


class CheckInIn(Schema):
    center_id: DbId
    phone: str = Field(max_length=20)
    code: str = Field(max_length=6)


class CheckInOut(Schema):
    status: str
    status_label: str
    ticket: TicketOut


class HallFiguresOut(Schema):
    tickets: int
    called: int
    done: int
    no_show: int
    wait_mean: float | None
    wait_median: float | None
    wait_p90: float | None
    service_mean: float | None
    service_median: float | None
    service_p90: float | None
    no_show_rate: float | None = Field(description="百分比")
    over_target_share: float | None = Field(description="百分比")


class UtilisationOut(Schema):
    label: str
    tickets: int
    serving_hours: float
    rate: float | None = Field(description="百分比")


class MetricsOut(Schema):
    start: dt.date
    end: dt.date
    target_minutes: int
    overall: HallFiguresOut
    by_window: list[UtilisationOut]
    by_clerk: list[UtilisationOut]
