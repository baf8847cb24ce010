"""人文关怀 API: my leave days, the head's staffing view, figures, counseling slots and
bookings, the counselor's notes, care talks. Each operation calls the same service or selector
as the pages."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import has_role
from chuangkou.core.schema_types import DbId, SaneDate
from chuangkou.org.models import Staff

from . import permissions, selectors, services
from .filters import TalkFilter
from .models import Appointment, CareTalk, CounselingSlot, PsychLeave
from .schemas import (
    CareAppointmentOut,
    CareAwayOut,
    CareDoneOut,
    CareFiguresOut,
    CareLeaveIn,
    CareLeaveOut,
    CareNoteIn,
    CareNoteOut,
    CareSlotIn,
    CareSlotOut,
    CareTalkIn,
    CareTalkOut,
)

router = Router(tags=["人文关怀"])
MAX_STAFFING_DAYS = 62


def leave_out(leave: PsychLeave) -> CareLeaveOut:
    return CareLeaveOut(id=leave.pk, date=leave.date, cancellable=leave.date > timezone.localdate())


def slot_out(slot: CounselingSlot) -> CareSlotOut:
    return CareSlotOut(
        id=slot.pk,
        starts_at=slot.starts_at,
        minutes=slot.minutes,
        mode=slot.mode,
        mode_label=slot.get_mode_display(),
        place=slot.place,
        booked=getattr(slot, "booked", None),
    )


def appointment_out(appointment: Appointment, user) -> CareAppointmentOut:
    own = permissions.is_own_counselor(user, appointment)
    return CareAppointmentOut(
        id=appointment.pk,
        slot=slot_out(appointment.slot),
        client=_client_name(appointment) if own else None,
        cancelled=appointment.cancelled_at is not None,
        has_note=appointment.has_note if own else None,
    )


def _client_name(appointment: Appointment) -> str:
    staff = Staff.objects.filter(user_id=appointment.client_id).first()
    return staff.name if staff else appointment.client.get_username()


def talk_out(talk: CareTalk) -> CareTalkOut:
    return CareTalkOut(
        id=talk.pk,
        date=talk.date,
        staff_id=talk.staff_id,
        staff=talk.staff.name,
        department=talk.staff.department.name,
        topic=talk.topic,
        topic_label=talk.get_topic_display(),
        follow_up=talk.follow_up,
        held_by=talk.held_by.get_username(),
    )


# 心理假 ------------------------------------------------------------------------------------------


@router.get("/leave", response=list[CareLeaveOut], summary="我的心理假")
def my_leave(request):
    require_role(request.user, *permissions.STAFF_ROLES)
    return [leave_out(leave) for leave in selectors.my_leaves(request.user)[:36]]


@router.post("/leave", response={201: CareLeaveOut}, summary="申请心理假（每月 1 天，无需理由）")
def take_leave(request, payload: CareLeaveIn):
    leave = services.take_leave(actor=request.user, date=payload.date)
    return Status(201, leave_out(leave))


@router.post("/leave/{leave_id}/cancel", response=CareDoneOut, summary="撤销心理假")
def cancel_leave(request, leave_id: DbId):
    require_role(request.user, *permissions.STAFF_ROLES)
    leave = get_object_or_404(selectors.my_leaves(request.user), pk=leave_id)
    services.cancel_leave(actor=request.user, leave=leave)
    return CareDoneOut(detail="已撤销。")


@router.get("/leave/staffing", response=list[CareAwayOut], summary="本部门心理假在岗安排")
def staffing(request, start: SaneDate | None = None, end: SaneDate | None = None):
    require_role(request.user, *permissions.STAFFING_ROLES)
    start = start or timezone.localdate()
    end = end or start + dt.timedelta(days=30)
    if end < start or (end - start).days > MAX_STAFFING_DAYS:
        raise DomainError(f"查询区间须在 0 至 {MAX_STAFFING_DAYS} 天之间。", field="end")
    return [CareAwayOut(**vars(a)) for a in selectors.staffing(request.user, start, end)]


@router.get("/leave/figures", response=CareFiguresOut, summary="心理假与心理咨询统计（不含姓名）")
def figures(request, year: int | None = Query(None, ge=2000, le=2100)):  # noqa: B008
    require_role(request.user, *permissions.FIGURES_ROLES)
    year = year or timezone.localdate().year
    data = selectors.leave_figures(year)
    return CareFiguresOut(
        year=year,
        rows=[vars(r) for r in data.rows],
        counseling_sessions=selectors.counseling_figures(year),
    )


# 心理咨询 ---------------------------------------------------------------------------------------


@router.get("/slots", response=list[CareSlotOut], summary="可预约的咨询时段 / 咨询师本人的时段")
def list_slots(request):
    if has_role(request.user, *permissions.COUNSELOR_ROLES):
        return [slot_out(s) for s in selectors.counselor_slots(request.user)[:200]]
    require_role(request.user, *permissions.STAFF_ROLES)
    return [slot_out(s) for s in selectors.open_slots(request.user)[:200]]


@router.post("/slots", response={201: CareSlotOut}, summary="发布咨询时段（心理咨询师）")
def publish_slot(request, payload: CareSlotIn):
    slot = services.publish_slot(actor=request.user, **payload.dict())
    return Status(201, slot_out(slot))


@router.post("/slots/{slot_id}/withdraw", response=CareDoneOut, summary="撤回咨询时段")
def withdraw_slot(request, slot_id: DbId):
    require_role(request.user, *permissions.COUNSELOR_ROLES)
    slot = get_object_or_404(CounselingSlot, pk=slot_id, counselor=request.user)
    services.withdraw_slot(actor=request.user, slot=slot)
    return CareDoneOut(detail="已撤回。")


@router.post("/slots/{slot_id}/book", response={201: CareAppointmentOut}, summary="预约咨询")
def book_slot(request, slot_id: DbId):
    require_role(request.user, *permissions.STAFF_ROLES)
    slot = get_object_or_404(CounselingSlot, pk=slot_id)
    appointment = services.book_slot(actor=request.user, slot=slot)
    return Status(201, appointment_out(appointment, request.user))


@router.get("/appointments", response=list[CareAppointmentOut], summary="我的咨询预约")
@paginate(Pages, page_size=50)
def list_appointments(request):
    require_role(request.user, *permissions.STAFF_ROLES, *permissions.COUNSELOR_ROLES)
    qs = selectors.appointments_visible_to(request.user).order_by("-slot__starts_at")
    return MappedQuerySet(qs, lambda a: appointment_out(a, request.user))


def _appointment(request, pk: int) -> Appointment:
    return get_object_or_404(selectors.appointments_visible_to(request.user), pk=pk)


@router.post("/appointments/{appointment_id}/cancel", response=CareDoneOut, summary="取消预约")
def cancel_appointment(request, appointment_id: DbId):
    appointment = _appointment(request, appointment_id)
    services.cancel_appointment(actor=request.user, appointment=appointment)
    return CareDoneOut(detail="已取消。")


@router.get("/appointments/{appointment_id}/note", response=CareNoteOut, summary="阅读咨询记录")
def read_note(request, appointment_id: DbId):
    appointment = _appointment(request, appointment_id)
    text = services.read_note(actor=request.user, appointment=appointment)
    return CareNoteOut(
        appointment_id=appointment.pk, text=text, updated_at=appointment.note_updated_at
    )


@router.post("/appointments/{appointment_id}/note", response=CareNoteOut, summary="填写咨询记录")
def write_note(request, appointment_id: DbId, payload: CareNoteIn):
    appointment = _appointment(request, appointment_id)
    services.write_note(actor=request.user, appointment=appointment, text=payload.text)
    return CareNoteOut(
        appointment_id=appointment.pk, text=payload.text, updated_at=appointment.note_updated_at
    )


# 约谈 -------------------------------------------------------------------------------------------


@router.get("/talks", response=list[CareTalkOut], summary="约谈记录")
@paginate(Pages, page_size=50)
def list_talks(request, filters: Query[TalkFilter]):  # noqa: B008
    require_role(request.user, *permissions.TALK_ROLES)
    return MappedQuerySet(selectors.talk_list(request.user, filters), talk_out)


@router.post("/talks", response={201: CareTalkOut}, summary="登记约谈")
def record_talk(request, payload: CareTalkIn):
    require_role(request.user, *permissions.TALK_ROLES)
    staff = selectors.staff_for_talks(request.user).filter(pk=payload.staff_id).first()
    if staff is None:
        raise DomainError(f"人员编号 {payload.staff_id} 不存在或不是本部门人员。", field="staff_id")
    talk = services.record_talk(
        actor=request.user,
        staff=staff,
        date=payload.date,
        topic=payload.topic,
        follow_up=payload.follow_up,
    )
    return Status(201, talk_out(talk))
