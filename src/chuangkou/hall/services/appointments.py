"""预约取号: time slots per queue, booking by phone, check-in near the slot, no-shows.

Check-in is open from `checkin_early_minutes` before the slot starts to `checkin_late_minutes`
after it starts and gives a priority ticket (绿色通道, reason 预约). Later, up to that many
minutes after the slot ends, the person still gets a number, an ordinary one (迟到转普通号).
An appointment not checked in by then is recorded as 爽约 (no-show).
"""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit, ratelimit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.middleware import current_ip
from chuangkou.core.permissions import require_role
from chuangkou.core.validators import validate_mobile
from chuangkou.org.models import Center

from .. import hours, notices, permissions, selectors
from ..models import Appointment, AppointmentSlot, ServiceQueue, Ticket
from .tickets import create_ticket

BOOKING_DAYS = 14
CHECKIN_ATTEMPTS = 5  # wrong check-in codes per phone, center and hour
CHECKIN_WINDOW = 60 * 60
MAX_SLOT_DAYS = 62
ACTIVE = selectors.BOOKED_STATUSES


def slot_start(slot: AppointmentSlot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.date, slot.start))


def slot_end(slot: AppointmentSlot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.date, slot.end))


@transaction.atomic
def create_slots(
    *,
    actor,
    queue: ServiceQueue,
    start_date: dt.date,
    end_date: dt.date,
    slot_minutes: int,
    capacity: int,
) -> int:
    """开放预约时段 on the working days of [start_date, end_date]; existing slots are kept."""
    require_role(actor, *permissions.HALL_ADMINS)
    if start_date < timezone.localdate():
        raise DomainError("开始日期不能早于今天。", field="start_date")
    if end_date < start_date:
        raise DomainError("结束日期不能早于开始日期。", field="end_date")
    if (end_date - start_date).days >= MAX_SLOT_DAYS:
        raise DomainError(f"一次最多开放 {MAX_SLOT_DAYS} 天。", field="end_date")
    if not 10 <= slot_minutes <= 210:
        raise DomainError("每个时段应为 10 至 210 分钟。", field="slot_minutes")
    if not 1 <= capacity <= 500:
        raise DomainError("每个时段可约 1 至 500 人。", field="capacity")
    existing = set(
        AppointmentSlot.objects.filter(
            queue=queue, date__gte=start_date, date__lte=end_date
        ).values_list("date", "start")
    )
    new = [
        AppointmentSlot(queue=queue, date=day, start=start, end=end, capacity=capacity)
        for day in hours.working_days(start_date, end_date)
        for start, end in hours.slot_times(slot_minutes)
        if (day, start) not in existing
    ]
    AppointmentSlot.objects.bulk_create(new)
    audit.record(
        actor=actor,
        action="hall.slots_create",
        obj=queue,
        after={
            "start_date": start_date,
            "end_date": end_date,
            "slot_minutes": slot_minutes,
            "capacity": capacity,
            "created": len(new),
        },
    )
    return len(new)


@transaction.atomic
def delete_slot(*, actor, slot: AppointmentSlot) -> None:
    require_role(actor, *permissions.HALL_ADMINS)
    if slot.appointments.exists():
        raise DomainError("该时段已有预约记录，不能删除。")
    audit.record(actor=actor, action="hall.slot_delete", obj=slot, before={"slot": str(slot)})
    slot.delete()


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


@transaction.atomic
def book_appointment(*, slot: AppointmentSlot, phone: str) -> Appointment:
    """预约 (public, by phone number). The slot row is locked while its capacity is counted."""
    phone = validate_mobile(phone)
    if not phone:
        raise DomainError("请填写手机号。", field="phone")
    slot = (
        AppointmentSlot.objects.select_for_update(of=("self",))
        .select_related("queue")
        .get(pk=slot.pk)
    )
    now = timezone.now()
    if not slot.queue.is_active:
        raise DomainError("该队列暂停预约。", field="slot")
    if slot_start(slot) <= now:
        raise DomainError("该时段已开始，不能再预约。", field="slot")
    if slot.date > timezone.localdate(now) + dt.timedelta(days=BOOKING_DAYS):
        raise DomainError(f"只能预约 {BOOKING_DAYS} 天内的时段。", field="slot")
    if slot.appointments.filter(status__in=ACTIVE).count() >= slot.capacity:
        raise DomainError("该时段已约满，请选择其他时段。", field="slot")
    same_day = Appointment.objects.filter(
        phone=phone, slot__queue=slot.queue, slot__date=slot.date, status__in=ACTIVE
    )
    if same_day.exists():
        raise DomainError("该手机号当天已预约此队列，请勿重复预约。", field="phone")
    booked = Appointment.objects.create(slot=slot, phone=phone, code=_new_code(), booked_at=now)
    notices.appointment_booked(booked)  # confirmation with the check-in code
    return booked


@transaction.atomic
def cancel_appointment(*, appointment: Appointment) -> Appointment:
    """取消预约 (by the person, through the link of their booking)."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot")
        .get(pk=appointment.pk)
    )
    if appointment.status != Appointment.Status.BOOKED:
        raise DomainError(f"该预约{appointment.get_status_display()}，不能取消。")
    if slot_start(appointment.slot) <= timezone.now():
        raise DomainError("时段已开始，不能取消。")
    appointment.status = Appointment.Status.CANCELLED
    appointment.save(update_fields=["status"])
    return appointment


class WrongCheckInCode(DomainError):
    """No appointment today at this center under that phone and code."""


def check_in_appointment(*, actor, center: Center, phone: str, code: str) -> Appointment:
    """签到: by phone and code, today, at the center of the booking; issues the ticket.

    A phone gets CHECKIN_ATTEMPTS wrong codes per hour at a center, then is refused (even with
    the right code) until the hour is over: six digits must not be guessable. The failures are
    counted outside the check-in's transaction, so they stay counted."""
    address = current_ip()
    if address:  # one address trying many phones
        ratelimit.check_rate("checkin-address", f"{center.pk}:{address}", limit=30, seconds=60)
    phone = validate_mobile(phone)
    key = f"{center.pk}:{phone}"
    if ratelimit.hits_so_far("checkin", key, seconds=CHECKIN_WINDOW) >= CHECKIN_ATTEMPTS:
        raise DomainError(
            f"签到码已连续输错 {CHECKIN_ATTEMPTS} 次，请 1 小时后再试，"
            "或请大堂经理核验身份后签到。",
            field="code",
            status=429,
        )
    try:
        return _check_in(actor=actor, center=center, phone=phone, code=code)
    except WrongCheckInCode:
        ratelimit.hit("checkin", key, seconds=CHECKIN_WINDOW)
        raise


@transaction.atomic
def _check_in(*, actor, center: Center, phone: str, code: str) -> Appointment:
    code = (code or "").strip()
    if not phone or not code:
        raise DomainError("请填写预约手机号和签到码。", field="code")
    now = timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot", "slot__queue")
        .filter(phone=phone, code=code, slot__date=timezone.localdate(now))
        .filter(slot__queue__center=center)
        .first()
    )
    if appointment is None:
        raise WrongCheckInCode("没有找到今天在本中心的预约，请核对手机号和签到码。", field="code")
    if appointment.status != Appointment.Status.BOOKED:
        raise DomainError(f"该预约{appointment.get_status_display()}，不能再签到。", field="code")
    rules = selectors.settings_for(center)
    opens = slot_start(appointment.slot) - dt.timedelta(minutes=rules.checkin_early_minutes)
    on_time_until = slot_start(appointment.slot) + dt.timedelta(minutes=rules.checkin_late_minutes)
    closes = slot_end(appointment.slot) + dt.timedelta(minutes=rules.checkin_late_minutes)
    if now < opens:
        raise DomainError(f"请于 {timezone.localtime(opens):%H:%M} 后签到。", field="code")
    if now > closes:
        raise DomainError("已超过签到时间，请到取号机取普通号。", field="code")
    on_time = now <= on_time_until
    queue = appointment.slot.queue
    if not queue.is_active:
        raise DomainError(f"“{queue.name}”队列已暂停取号，请咨询大堂经理。")
    ticket = create_ticket(
        queue=queue,
        channel=Ticket.Channel.APPOINTMENT,
        actor=actor,
        priority_reason=Ticket.PriorityReason.APPOINTMENT if on_time else "",
        phone=phone,
        note="预约签到" if on_time else "预约迟到，按普通号排队",
    )
    appointment.status = Appointment.Status.CHECKED_IN if on_time else Appointment.Status.LATE
    appointment.checked_in_at = now
    appointment.ticket = ticket
    appointment.save(update_fields=["status", "checked_in_at", "ticket"])
    return appointment


@transaction.atomic
def record_appointment_no_shows(*, actor, center: Center) -> int:
    """登记爽约: bookings of the center not checked in once their check-in has closed."""
    require_role(actor, *permissions.ISSUERS)
    if not permissions.can_issue_at(actor, center):
        raise PermissionDeniedError("只能登记本中心的爽约。")
    late = dt.timedelta(minutes=selectors.settings_for(center).checkin_late_minutes)
    now = timezone.now()
    booked = Appointment.objects.select_related("slot").filter(
        status=Appointment.Status.BOOKED,
        slot__queue__center=center,
        slot__date__lte=timezone.localdate(now),
    )
    gone = [a.pk for a in booked if slot_end(a.slot) + late < now]
    Appointment.objects.filter(pk__in=gone).update(status=Appointment.Status.NO_SHOW)
    if gone:
        audit.record(
            actor=actor,
            action="hall.appointment_no_shows",
            obj=center,
            after={"count": len(gone)},
        )
    return len(gone)
