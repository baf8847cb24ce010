"""Pages of the hall staff: the lobby manager's desk, the clerk workstation, the ticket and
appointment lists."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import id_param
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import table_response, xlsx_response
from chuangkou.org.models import Window

from .. import permissions, selectors, services, transfer
from ..filters import AppointmentFilter, TicketFilter
from ..forms import CheckInForm, DeskWindowForm, LobbyIssueForm
from ..models import Appointment, ServiceQueue, Ticket
from ..services._common import NO_STAFF_MESSAGE
from ._common import center_for, list_filters, query_without_page

DESK_WINDOW_KEY = "hall_desk_window"


# -- lobby manager (大堂经理) -------------------------------------------------------------------


@role_required(*permissions.ISSUERS)
@require_http_methods(["GET", "POST"])
def lobby(request):
    """帮办取号 and today's waiting list of the center."""
    center = center_for(request)
    if center is None:
        messages.info(request, "没有可管理的服务中心。")
        return redirect("home")
    form = LobbyIssueForm(request.POST or None, center=center)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.issue_ticket(
                actor=request.user, channel=Ticket.Channel.LOBBY, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已取号 {ticket.number}（{ticket.queue.name}）。")
            return redirect(f"{request.path}?issued={ticket.pk}")
    issued = Ticket.objects.filter(pk=id_param(request.GET, "issued"), queue__center=center)
    page = Paginator(selectors.lobby_waiting(center), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "hall/lobby.html",
        {
            "center": center,
            "centers": selectors.hall_centers_visible_to(request.user),
            "form": form,
            "checkin_form": CheckInForm(),
            "issued": issued.select_related("queue").first(),
            "page": page,
            "query": query_without_page(request),
            "counts": selectors.today_counts(center),
            "sign_ins": selectors.window_sign_ins(center),
        },
    )


@role_required(*permissions.ISSUERS)
@require_POST
def lobby_checkin(request):
    center = center_for(request)
    form = CheckInForm(request.POST)
    if center is not None and form.is_valid():
        try:
            appointment = services.check_in_appointment(
                actor=request.user, center=center, **form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            ticket = appointment.ticket
            messages.success(
                request, f"签到成功：{ticket.number}（{appointment.get_status_display()}）。"
            )
            return redirect(f"{_lobby_url(center)}&issued={ticket.pk}")
    else:
        messages.error(request, "请填写预约手机号和 6 位签到码。")
    return redirect(_lobby_url(center))


def _lobby_url(center) -> str:
    return f"{reverse('hall:lobby')}?center={center.pk if center else ''}"


@role_required(*permissions.ISSUERS)
@require_POST
def ticket_cancel(request, pk: int):
    ticket = get_object_or_404(selectors.tickets_visible_to(request.user), pk=pk)
    try:
        services.cancel_ticket(
            actor=request.user, ticket=ticket, reason=request.POST.get("reason", "")[:100]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已取消 {ticket.number}。")
    return redirect(_lobby_url(ticket.queue.center))


# -- clerk workstation (叫号工作台) -------------------------------------------------------------


def _desk_window(request, staff):
    """The window the clerk is signed in to, else the one they chose or usually work."""
    signed_in = selectors.signed_in_window(staff)
    if signed_in is not None:
        return signed_in
    windows = selectors.desk_windows(staff)
    chosen = windows.filter(pk=request.session.get(DESK_WINDOW_KEY)).first()
    return chosen or windows.filter(pk=staff.window_id).first()


def _desk_context(request, *, error: str = ""):
    staff = permissions.staff_of(request.user)
    if staff is None:
        return {"no_staff": NO_STAFF_MESSAGE}
    window = _desk_window(request, staff)
    return {
        "staff": staff,
        "window": window,
        "window_form": DeskWindowForm(
            initial={"window": window}, windows=selectors.desk_windows(staff)
        ),
        "state": selectors.desk_state(window) if window else None,
        "signed_in": selectors.signed_in_window(staff),
        "error": error,
    }


@role_required(*permissions.DESK_ROLES)
@require_GET
def desk(request):
    if request.headers.get("HX-Request"):
        return _desk_panel(request, _desk_context(request))
    return render(request, "hall/desk.html", _desk_context(request))


def _desk_panel(request, context):
    """The desk panel for htmx, with the sign-in state of the header swapped out of band."""
    return render(request, "hall/_desk_panel.html", {**context, "oob": True})


@role_required(*permissions.DESK_ROLES)
@require_POST
def desk_window(request):
    staff = permissions.staff_of(request.user)
    if staff is None:
        messages.error(request, NO_STAFF_MESSAGE)
        return redirect("hall:desk")
    if request.POST.get("action") == "sign_out":
        window = selectors.signed_in_window(staff)
        if window is not None:
            _run_or_report(request, services.sign_out_window, window, "已签退")
        return redirect("hall:desk")
    form = DeskWindowForm(request.POST, windows=selectors.desk_windows(staff))
    if form.is_valid():
        window = form.cleaned_data["window"]
        request.session[DESK_WINDOW_KEY] = window.pk
        _run_or_report(request, services.sign_in_window, window, "已签到")
    else:
        messages.error(request, "请选择本部门或您派驻的启用窗口。")
    return redirect("hall:desk")


def _run_or_report(request, service, window, done: str) -> None:
    """签到/签退 through its service, with the outcome as a message."""
    try:
        service(actor=request.user, window=window)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{done}：{window.number} 号窗口。")


@role_required(*permissions.ISSUERS)
@require_POST
def window_sign_out(request, window_id: int):
    """大堂经理/中心管理员 signs a clerk out of a window (so that someone else can take it)."""
    window = get_object_or_404(Window, pk=window_id)
    _run_or_report(request, services.sign_out_window, window, "已代为签退")
    return redirect(_lobby_url(window.center))


DESK_ACTIONS = {
    "recall": services.recall_ticket,
    "start": services.start_ticket,
    "finish": services.finish_ticket,
    "park": services.park_ticket,
    "resume": services.resume_ticket,
    "no-show": services.mark_no_show,
}


def _run_desk_action(request, action: str, window) -> str:
    """Run one window action; returns the message to show (error or done)."""
    if action == "call":
        ticket = services.call_next_ticket(actor=request.user, window=window)
        return f"已叫号 {ticket.number}。" if ticket else "当前没有等候的号。"
    ticket = get_object_or_404(Ticket, pk=id_param(request.POST, "ticket"))
    if action == "transfer":
        target = ServiceQueue.objects.filter(pk=id_param(request.POST, "target_queue")).first()
        if target is None:
            raise DomainError("请选择要转到的队列。", field="target_queue")
        new = services.transfer_ticket(
            actor=request.user, ticket=ticket, window=window, target_queue=target
        )
        return f"{ticket.number} 已转至“{target.name}”，新号 {new.number}。"
    DESK_ACTIONS[action](actor=request.user, ticket=ticket, window=window)
    return ""


@role_required(*permissions.DESK_ROLES)
@require_POST
def desk_action(request, action: str):
    """叫号 / 重呼 / 开始办理 / 办结 / 暂挂 / 恢复 / 过号 / 转移 at the clerk's window."""
    if action not in DESK_ACTIONS and action not in ("call", "transfer"):
        return redirect("hall:desk")
    staff = permissions.staff_of(request.user)
    window = _desk_window(request, staff) if staff else None
    error, notice = "", ""
    if window is None:
        error = NO_STAFF_MESSAGE if staff is None else "请先选择您的窗口。"
    else:
        try:
            notice = _run_desk_action(request, action, window)
        except DomainError as exc:
            error = exc.message
    if request.headers.get("HX-Request"):
        return _desk_panel(request, {**_desk_context(request, error=error), "notice": notice})
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect("hall:desk")


# -- lists (排队记录, 预约) ---------------------------------------------------------------------


@role_required(*permissions.LIST_READERS)
@require_GET
def ticket_list(request):
    filters = list_filters(request, TicketFilter)
    tickets = selectors.ticket_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return table_response(request, "hall.ticket")
    page = Paginator(tickets, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "hall/ticket_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "centers": selectors.hall_centers_visible_to(request.user),
            "queues": selectors.queues_visible_to(request.user).order_by("center", "prefix"),
            "statuses": Ticket.Status.choices,
            "channels": Ticket.Channel.choices,
        },
    )


@role_required(*permissions.LIST_READERS)
@require_GET
def ticket_detail(request, pk: int):
    ticket = get_object_or_404(selectors.tickets_visible_to(request.user), pk=pk)
    return render(
        request,
        "hall/ticket_detail.html",
        {
            "ticket": ticket,
            "events": selectors.ticket_events(ticket),
            "progress": selectors.ticket_progress(ticket),
            "following": Ticket.objects.filter(transferred_from=ticket).first(),
        },
    )


@role_required(*permissions.APPOINTMENT_READERS)
@require_GET
def appointment_list(request):
    filters = list_filters(request, AppointmentFilter)
    appointments = selectors.appointment_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        content = transfer.export_appointments(appointments)
        return xlsx_response(
            content,
            f"预约记录_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="hall.appointment",
        )
    page = Paginator(appointments, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "hall/appointment_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "centers": selectors.hall_centers_visible_to(request.user),
            "queues": selectors.queues_visible_to(request.user).order_by("center", "prefix"),
            "statuses": Appointment.Status.choices,
        },
    )


@role_required(*permissions.ISSUERS)
@require_POST
def appointment_no_shows(request):
    center = center_for(request)
    if center is None:
        messages.error(request, "请选择中心。")
    else:
        try:
            count = services.record_appointment_no_shows(actor=request.user, center=center)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已登记 {count} 个爽约。")
    return redirect("hall:appointment_list")
