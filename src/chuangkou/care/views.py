"""人文关怀 pages. Thin: every write goes through `services`, every read through `selectors`."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import date_param, page_of, query_without_page, read_filters
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response

from . import permissions, selectors, services, transfer
from .filters import TalkFilter
from .forms import LeaveForm, NoteForm, SlotForm, TalkForm
from .models import Appointment, CareTalk, CounselingSlot

STAFFING_DAYS = 31


def _run(request, action, done: str) -> None:
    """Run a one-click write and report it as a message (refusals included)."""
    try:
        action()
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


# 心理假 ------------------------------------------------------------------------------------------


@role_required(*permissions.STAFF_ROLES)
def my_leave(request):
    """我的心理假 (phone first): take this month's day, see and cancel what is booked."""
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.take_leave(actor=request.user, date=form.cleaned_data["date"])
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已申请 {leave.date:%Y-%m-%d} 心理假。")
            return redirect("care:my_leave")
    today = timezone.localdate()
    return render(
        request,
        "care/my_leave.html",
        {
            "form": form,
            "leaves": selectors.my_leaves(request.user)[:12],
            "this_month": selectors.leave_this_month(request.user, today),
            "today": today,
            "last_month": services.last_open_month(today),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(*permissions.STAFF_ROLES)
def cancel_leave(request, pk: int):
    leave = get_object_or_404(selectors.my_leaves(request.user), pk=pk)
    _run(request, lambda: services.cancel_leave(actor=request.user, leave=leave), "已撤销。")
    return redirect("care:my_leave")


@role_required(*permissions.STAFFING_ROLES)
def staffing(request):
    """在岗安排: who of the head's departments is away on which day; no reason exists."""
    start = date_param(request.GET, "start") or timezone.localdate()
    end = start + dt.timedelta(days=STAFFING_DAYS - 1)
    return render(
        request,
        "care/staffing.html",
        {"away": selectors.staffing(request.user, start, end), "start": start, "end": end},
    )


@role_required(*permissions.FIGURES_ROLES)
def figures(request):
    """心理假统计: days per month and department, small groups shown as "<5"."""
    text = request.GET.get("year", "")
    year = int(text) if text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100 else None
    year = year or timezone.localdate().year
    data = selectors.leave_figures(year)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            transfer.export_figures(data),
            f"心理假统计_{year}.xlsx",
            request=request,
            what="care.psychleave",
        )
    return render(
        request,
        "care/figures.html",
        {
            "figures": data,
            "sessions": selectors.counseling_figures(year),
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "min_group": selectors.MIN_GROUP,
        },
    )


# 心理咨询 ---------------------------------------------------------------------------------------


@role_required(*permissions.STAFF_ROLES)
def counseling(request):
    """预约心理咨询 (phone first): open slots and my bookings."""
    return render(
        request,
        "care/counseling.html",
        {
            "slots": selectors.open_slots(request.user)[:30],
            "appointments": selectors.my_appointments(request.user)[:20],
            "now": timezone.now(),
        },
    )


@require_POST
@role_required(*permissions.STAFF_ROLES)
def book(request, pk: int):
    slot = get_object_or_404(CounselingSlot, pk=pk)
    _run(
        request,
        lambda: services.book_slot(actor=request.user, slot=slot),
        "预约成功，请按时参加；咨询内容严格保密。",
    )
    return redirect("care:counseling")


@require_POST
@role_required(*permissions.STAFF_ROLES, *permissions.COUNSELOR_ROLES)
def cancel_appointment(request, pk: int):
    appointment = get_object_or_404(selectors.appointments_visible_to(request.user), pk=pk)
    _run(
        request,
        lambda: services.cancel_appointment(actor=request.user, appointment=appointment),
        "已取消预约。",
    )
    own = permissions.is_own_counselor(request.user, appointment)
    return redirect("care:counselor" if own else "care:counseling")


@role_required(*permissions.COUNSELOR_ROLES)
def counselor(request):
    """咨询师工作台: publish slots, see bookings, open notes."""
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_slot(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已发布咨询时段。")
            return redirect("care:counselor")
    return render(
        request,
        "care/counselor.html",
        {
            "form": form,
            "slots": selectors.counselor_slots(request.user).filter(
                starts_at__gt=timezone.now() - dt.timedelta(days=1)
            )[:50],
            "page": page_of(request, selectors.counselor_appointments(request.user), 20),
            "query": query_without_page(request),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(*permissions.COUNSELOR_ROLES)
def withdraw_slot(request, pk: int):
    slot = get_object_or_404(CounselingSlot, pk=pk, counselor=request.user)
    _run(request, lambda: services.withdraw_slot(actor=request.user, slot=slot), "已撤回。")
    return redirect("care:counselor")


@never_cache  # the decrypted note never stays in a browser or proxy cache
@role_required(*permissions.COUNSELOR_ROLES)
def note(request, pk: int):
    """咨询记录: only the appointment's own counselor reads or writes it (others get 404)."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("slot", "client"), pk=pk, slot__counselor=request.user
    )
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_note(
                actor=request.user, appointment=appointment, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "咨询记录已加密保存。")
            return redirect("care:note", pk=pk)
    if request.method == "GET":
        try:
            text = services.read_note(actor=request.user, appointment=appointment)
        except DomainError as exc:
            messages.error(request, exc.message)
            text = ""
        form = NoteForm(initial={"text": text})
    return render(
        request,
        "care/note.html",
        {"appointment": appointment, "form": form, "client": _client_label(appointment)},
        status=400 if form.errors else 200,
    )


def _client_label(appointment: Appointment) -> str:
    staff = getattr(appointment.client, "staff", None)
    return staff.name if staff else appointment.client.get_username()


# 约谈 -------------------------------------------------------------------------------------------


@role_required(*permissions.TALK_ROLES)
def talk_list(request):
    filters = read_filters(request, TalkFilter)
    rows = selectors.talk_list(request.user, filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            transfer.export_talks(rows),
            f"约谈记录_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="care.caretalk",
        )
    return render(
        request,
        "care/talk_list.html",
        {
            "page": page_of(request, rows),
            "filters": filters,
            "query": query_without_page(request),
            "topics": CareTalk.Topic.choices,
        },
    )


@role_required(*permissions.TALK_ROLES)
def talk_create(request):
    staff = selectors.staff_for_talks(request.user)
    form = TalkForm(request.POST or None, staff=staff, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_talk(actor=request.user, **form.cleaned_data)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已登记约谈。")
            return redirect("care:talk_list")
    return render(
        request, "care/talk_form.html", {"form": form}, status=400 if form.errors else 200
    )
