"""Pages without login: the kiosk, the ticket slip and phone page, the display board, booking.

None of them shows personal data: numbers, queues and windows only; phone numbers masked.
"""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import date_param, id_param
from chuangkou.org.models import Center

from .. import selectors, services
from ..forms import BookingForm, CheckInForm
from ..models import Appointment, AppointmentSlot, ServiceQueue, Ticket
from ..qr import qr_svg


def _progress_or_404(token):
    progress = selectors.public_ticket(token)
    if progress is None:
        raise Http404
    return progress


@require_GET
def kiosk(request, center_id: int):
    """自助取号机: big touch buttons by queue and by matter."""
    center = get_object_or_404(Center, pk=center_id)
    return render(
        request,
        "hall/kiosk.html",
        {
            "center": center,
            "queues": selectors.kiosk_queues(center),
            "matter_groups": selectors.kiosk_matters(center),
            "checkin_form": CheckInForm(),
        },
    )


@require_POST
def kiosk_take(request, center_id: int):
    center = get_object_or_404(Center, pk=center_id)
    queue = ServiceQueue.objects.filter(center=center, pk=id_param(request.POST, "queue")).first()
    matter = Matter.objects.filter(pk=id_param(request.POST, "matter")).first()
    if queue is None:
        messages.error(request, "请选择要办理的业务。")
        return redirect("hall:kiosk", center_id=center.pk)
    try:
        ticket = services.issue_ticket(
            actor=request.user, queue=queue, channel=Ticket.Channel.KIOSK, matter=matter
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("hall:kiosk", center_id=center.pk)
    return redirect(reverse("hall:slip", args=[ticket.public_token]) + "?kiosk=1")


@require_http_methods(["GET", "POST"])
def kiosk_checkin(request, center_id: int):
    """预约签到 at the kiosk: phone and code give the ticket."""
    center = get_object_or_404(Center, pk=center_id)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.check_in_appointment(
                actor=request.user, center=center, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if appointment.status == Appointment.Status.LATE:
                messages.warning(request, "您已超过预约签到时间，已为您取普通号。")
            token = appointment.ticket.public_token
            return redirect(reverse("hall:slip", args=[token]) + "?kiosk=1")
    return render(request, "hall/kiosk_checkin.html", {"center": center, "form": form})


@require_GET
def slip(request, token):
    """The 80 mm ticket slip (打印小票), printed through the browser."""
    progress = _progress_or_404(token)
    follow_url = request.build_absolute_uri(reverse("hall:follow", args=[token]))
    return render(
        request,
        "hall/slip.html",
        {
            "progress": progress,
            "ticket": progress.ticket,
            "follow_url": follow_url,
            "qr": qr_svg(follow_url),
            "from_kiosk": request.GET.get("kiosk") == "1",
        },
    )


@require_GET
def follow(request, token):
    """The phone page behind the QR code: the ticket's progress, refreshed every 10 s."""
    progress = _progress_or_404(token)
    template = (
        "hall/_follow_status.html" if request.headers.get("HX-Request") else "hall/follow.html"
    )
    return render(
        request, template, {"progress": progress, "ticket": progress.ticket, "token": token}
    )


@require_GET
def board(request, center_id: int):
    """叫号大屏: current calls per window, the last calls, waiting counts, the voice call."""
    center = get_object_or_404(Center, pk=center_id)
    template = "hall/_board_panel.html" if request.headers.get("HX-Request") else "hall/board.html"
    return render(request, template, {"center": center, "state": selectors.board_state(center)})


@require_http_methods(["GET", "POST"])
def book(request, center_id: int):
    """预约取号: choose a queue, a day and a slot; book it with a phone number."""
    center = get_object_or_404(Center, pk=center_id)
    queues = ServiceQueue.objects.filter(center=center, is_active=True).order_by("prefix")
    queue = queues.filter(pk=id_param(request.GET, "queue")).first() or queues.first()
    days = selectors.booking_days(queue) if queue else []
    day = date_param(request.GET, "date")
    day = day if day in days else (days[0] if days else None)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slot = AppointmentSlot.objects.filter(
            pk=id_param(request.POST, "slot"), queue__center=center
        ).first()
        if slot is None:
            form.add_error(None, "请选择预约时段。")
        else:
            try:
                appointment = services.book_appointment(slot=slot, phone=form.cleaned_data["phone"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("hall:appointment", token=appointment.public_token)
    return render(
        request,
        "hall/book.html",
        {
            "center": center,
            "queues": queues,
            "queue": queue,
            "days": days,
            "day": day,
            "slots": selectors.bookable_slots(queue, day) if queue and day else [],
            "form": form,
            "chosen_slot": id_param(request.POST, "slot"),
        },
    )


@require_http_methods(["GET", "POST"])
def appointment(request, token):
    """The booking's own page (its link is the proof): time, code, masked phone, cancel."""
    found = (
        Appointment.objects.select_related("slot", "slot__queue", "slot__queue__center", "ticket")
        .filter(public_token=token)
        .first()
    )
    if found is None:
        raise Http404
    if request.method == "POST":
        try:
            found = services.cancel_appointment(appointment=found)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "预约已取消。")
        return redirect("hall:appointment", token=token)
    opens = timezone.make_aware(dt.datetime.combine(found.slot.date, found.slot.start))
    return render(
        request,
        "hall/appointment.html",
        {
            "appointment": found,
            "rules": selectors.settings_for(found.slot.queue.center),
            "cancellable": found.status == Appointment.Status.BOOKED and opens > timezone.now(),
        },
    )
