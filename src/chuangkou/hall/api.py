"""大厅取号 API: issue, call next, the window actions, and the public ticket and board reads."""

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.schema_types import DbId, SaneDate
from chuangkou.org.models import Center, Window

from . import metrics, selectors, services
from .filters import TicketFilter
from .models import ServiceQueue, Ticket
from .schemas import (
    BoardCallOut,
    BoardCurrentOut,
    CallNextOut,
    CheckInIn,
    CheckInOut,
    HallBoardOut,
    HallFiguresOut,
    IssuedOut,
    IssueIn,
    MetricsOut,
    PublicTicketOut,
    QueueCountOut,
    QueueOut,
    SignInOut,
    TicketOut,
    TransferIn,
    UtilisationOut,
    WindowIn,
)

router = Router(tags=["大厅取号"])


def _unknown(label: str, pk: int | None, field: str) -> DomainError:
    """An unknown id in a request body: a clear 400 on its field."""
    return DomainError(f"{label}编号 {pk} 不存在。", field=field)


def _find(model_or_qs, pk: int | None, label: str, field: str):
    """The object with id `pk`, or `_unknown`."""
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs.objects.all()
    found = qs.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise _unknown(label, pk, field)
    return found


def _desk_ticket(ticket_id: int) -> Ticket:
    return get_object_or_404(Ticket.objects.select_related("queue"), pk=ticket_id)


def _by_id(model, pk: int):
    """A bare reference by id for the desk services, which read the row under its lock (and
    answer an unknown id with a clear 4xx): no read here that they would repeat. Every other
    field is deferred (not a default: a ticket's would draw a new public token), so reading one
    would load it rather than give a made-up value."""
    return model.from_db(None, ["id"], [pk])


@router.get("/queues", response=list[QueueOut], summary="取号队列")
def list_queues(request, center_id: DbId | None = None):
    queues = selectors.queues_visible_to(request.user).prefetch_related("windows")
    if center_id:
        queues = queues.filter(center_id=center_id)
    return [
        QueueOut(
            id=q.pk,
            center_id=q.center_id,
            prefix=q.prefix,
            name=q.name,
            average_service_minutes=q.average_service_minutes,
            is_active=q.is_active,
            window_numbers=sorted(w.number for w in q.windows.all()),
        )
        for q in queues.order_by("center", "prefix")
    ]


@router.post("/tickets", response={201: IssuedOut}, summary="取号（自助或大堂经理帮办）")
def issue_ticket(request, payload: IssueIn):
    queue = selectors.queue_to_issue(payload.queue_id, request.user)
    if queue is None:
        raise _unknown("队列", payload.queue_id, "queue_id")
    matter = _find(Matter, payload.matter_id, "事项", "matter_id") if payload.matter_id else None
    ticket = services.issue_ticket(
        actor=request.user,
        queue=queue,
        channel=payload.channel,
        matter=matter,
        priority_reason=payload.priority_reason,
        phone=payload.phone,
    )
    progress = selectors.ticket_progress(ticket)
    url = request.build_absolute_uri(reverse("hall:follow", args=[ticket.public_token]))
    issued = IssuedOut(
        ticket=TicketOut.of(ticket),
        ahead=progress.ahead,
        wait_minutes=progress.wait_minutes,
        follow_url=url,
    )
    return Status(201, issued)


@router.get("/tickets", response=list[TicketOut], summary="排队记录（按角色可见范围）")
@paginate(Pages, page_size=50)
def list_tickets(request, filters: Query[TicketFilter]):
    return MappedQuerySet(selectors.ticket_list(user=request.user, filters=filters), TicketOut.of)


@router.get("/tickets/{ticket_id}", response=TicketOut, summary="排队号详情")
def get_ticket(request, ticket_id: int):
    return TicketOut.of(get_object_or_404(selectors.tickets_visible_to(request.user), pk=ticket_id))


@router.post("/tickets/{ticket_id}/cancel", response=TicketOut, summary="取消排队号（大堂经理）")
def cancel_ticket(request, ticket_id: int):
    ticket = services.cancel_ticket(actor=request.user, ticket=_desk_ticket(ticket_id))
    return TicketOut.of(ticket)


@router.post("/desk/call-next", response=CallNextOut, summary="叫号：本窗口的下一位")
def call_next(request, payload: WindowIn):
    ticket = services.call_next_ticket(actor=request.user, window=_by_id(Window, payload.window_id))
    if ticket is None:
        return CallNextOut(ticket=None, message="当前没有等候的号。")
    return CallNextOut(
        ticket=TicketOut.of(ticket),
        message=selectors.call_sentence(ticket.number, ticket.window.number),
    )


@router.post("/desk/sign-in", response=SignInOut, summary="窗口签到（同一时间只能在一个窗口）")
def sign_in(request, payload: WindowIn):
    window = _find(Window.objects.select_related("center"), payload.window_id, "窗口", "window_id")
    sign_in = services.sign_in_window(actor=request.user, window=window)
    return SignInOut(window_number=window.number, staff_name=sign_in.staff.name, signed_in=True)


@router.post("/desk/sign-out", response=SignInOut, summary="窗口签退（本人、大堂经理或中心管理员）")
def sign_out(request, payload: WindowIn):
    window = _find(Window.objects.select_related("center"), payload.window_id, "窗口", "window_id")
    sign_in = services.sign_out_window(actor=request.user, window=window)
    return SignInOut(window_number=window.number, staff_name=sign_in.staff.name, signed_in=False)


DESK_ACTIONS = {
    "recall": (services.recall_ticket, "重呼"),
    "start": (services.start_ticket, "开始办理"),
    "finish": (services.finish_ticket, "办结"),
    "park": (services.park_ticket, "暂挂"),
    "resume": (services.resume_ticket, "恢复办理"),
    "no-show": (services.mark_no_show, "过号"),
}


def _desk_route(action: str, service, label: str):
    def handler(request, ticket_id: DbId, payload: WindowIn):
        window, ticket = _by_id(Window, payload.window_id), _by_id(Ticket, ticket_id)
        return TicketOut.of(service(actor=request.user, ticket=ticket, window=window))

    handler.__name__ = f"ticket_{action.replace('-', '_')}"
    router.post(f"/tickets/{{ticket_id}}/{action}", response=TicketOut, summary=label)(handler)


for _action, (_service, _label) in DESK_ACTIONS.items():
    _desk_route(_action, _service, _label)


@router.post("/tickets/{ticket_id}/transfer", response=TicketOut, summary="转移到其他队列")
def transfer(request, ticket_id: int, payload: TransferIn):
    window = _find(Window.objects.select_related("center"), payload.window_id, "窗口", "window_id")
    target = _find(ServiceQueue, payload.target_queue_id, "队列", "target_queue_id")
    ticket = services.transfer_ticket(
        actor=request.user,
        ticket=_desk_ticket(ticket_id),
        window=window,
        target_queue=target,
        note=payload.note,
    )
    return TicketOut.of(ticket)


@router.post("/appointments/check-in", response=CheckInOut, summary="预约签到")
def check_in(request, payload: CheckInIn):
    center = _find(Center, payload.center_id, "中心", "center_id")
    appointment = services.check_in_appointment(
        actor=request.user, center=center, phone=payload.phone, code=payload.code
    )
    return CheckInOut(
        status=appointment.status,
        status_label=appointment.get_status_display(),
        ticket=TicketOut.of(appointment.ticket),
    )


@router.get(
    "/public/tickets/{token}", auth=None, response=PublicTicketOut, summary="排队进度（公开）"
)
def public_ticket(request, token: str):
    progress = selectors.public_ticket(token)
    if progress is None:
        raise DomainError("找不到该排队号。", status=404)
    ticket = progress.ticket
    return PublicTicketOut(
        number=ticket.number,
        queue_name=ticket.queue.name,
        status=ticket.status,
        status_label=ticket.get_status_display(),
        ahead=progress.ahead,
        wait_minutes=progress.wait_minutes,
        window_number=progress.window_number,
        transferred_from=progress.transferred_from,
        is_open=progress.is_open,
    )


def _call_out(call) -> BoardCallOut:
    return BoardCallOut(
        event_id=call.event_id,
        number=call.number,
        window_number=call.window_number,
        queue_name=call.queue_name,
        sentence=call.sentence,
        at=call.at,
    )


@router.get(
    "/public/board/{center_id}", auth=None, response=HallBoardOut, summary="叫号大屏数据（公开）"
)
def board(request, center_id: int):
    center = get_object_or_404(Center, pk=center_id)
    state = selectors.board_state(center)
    return HallBoardOut(
        center=center.name,
        current=[
            BoardCurrentOut(
                number=t.number,
                window_number=t.window.number,
                queue_name=t.queue.name,
                status=t.status,
            )
            for t in state.current
        ],
        recent=[_call_out(c) for c in state.recent],
        waiting=[
            QueueCountOut(
                queue_id=c.queue.pk, prefix=c.queue.prefix, name=c.queue.name, waiting=c.waiting
            )
            for c in state.queues
        ],
        announce=_call_out(state.announce) if state.announce else None,
    )


@router.get("/metrics", response=MetricsOut, summary="排队统计")
def hall_metrics(
    request,
    start: SaneDate,
    end: dt.date,
    center_id: DbId | None = None,
    queue_id: DbId | None = None,
):
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    center = _find(Center, center_id, "中心", "center_id") if center_id else None
    queue = _find(ServiceQueue, queue_id, "队列", "queue_id") if queue_id else None
    report = metrics.hall_metrics(
        user=request.user, start=start, end=end, center=center, queue=queue
    )

    def utilisation(rows):
        return [
            UtilisationOut(label=u.label, tickets=u.tickets, serving_hours=u.hours, rate=u.rate)
            for u in rows
        ]

    return MetricsOut(
        start=report.start,
        end=report.end,
        target_minutes=report.target_minutes,
        overall=HallFiguresOut(**vars(report.overall)),
        by_window=utilisation(report.by_window),
        by_clerk=utilisation(report.by_clerk),
    )
