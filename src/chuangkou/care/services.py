"""Every write of 人文关怀: leave days, counseling slots and bookings, session notes, care talks.

Keyword-only arguments, `actor` first, one transaction each with its audit entry. The audit
entries of leave and counseling carry dates and ids only, never a reason or a note's text.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.calendar import is_working_day
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role
from chuangkou.org.models import Staff

from . import notes, permissions
from .models import Appointment, CareTalk, CounselingSlot, PsychLeave

OPEN_MONTHS_AHEAD = 1  # this month and the next one are open for leave
MAX_NOTE_CHARS = 10000
SLOT_DAYS_AHEAD = 180


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def last_open_month(today: dt.date) -> dt.date:
    month = month_of(today)
    for _ in range(OPEN_MONTHS_AHEAD):
        month = _next_month(month)
    return month


def own_staff(user) -> Staff:
    """The staff record of the acting account (心理假 is a staff member's own)."""
    staff = Staff.objects.filter(user=user, status=Staff.Status.ACTIVE).first()
    if staff is None:
        raise DomainError("您的账号未关联在岗人员档案，无法申请心理假或预约咨询。")
    return staff


# 心理假 ------------------------------------------------------------------------------------------


def _check_leave_day(day: dt.date, today: dt.date) -> None:
    if day < today:
        raise DomainError("不能申请已经过去的日期。", field="date")
    if month_of(day) > last_open_month(today):
        raise DomainError(
            f"{day.year} 年 {day.month} 月的心理假尚未开放，只能申请本月和下月。", field="date"
        )
    if not is_working_day(day):
        raise DomainError(
            f"{day:%Y-%m-%d} 不是工作日（周末或法定节假日），心理假只能安排在工作日。",
            field="date",
        )


@transaction.atomic
def take_leave(*, actor, date: dt.date) -> PsychLeave:
    """申请心理假: one working day in this or next month; a second day in a month is refused."""
    require_role(actor, *permissions.STAFF_ROLES)
    staff = own_staff(actor)
    _check_leave_day(date, timezone.localdate())
    taken = PsychLeave.objects.filter(staff=staff, month=month_of(date)).first()
    if taken is not None:
        raise DomainError(_already_message(taken), field="date")
    try:
        with transaction.atomic():
            leave = PsychLeave.objects.create(staff=staff, date=date, month=month_of(date))
    except IntegrityError:  # a concurrent request for the same month won
        raise DomainError(_already_message(None), field="date") from None
    audit.record(actor=actor, action="care.leave.take", obj=leave, after={"date": date})
    return leave


def _already_message(taken: PsychLeave | None) -> str:
    when = f"（{taken.date:%m 月 %d 日}）" if taken else ""
    return f"本月的心理假已申请{when}，每月只能休 1 天，不累计到下月。"


@transaction.atomic
def cancel_leave(*, actor, leave: PsychLeave) -> None:
    """撤销心理假: the person's own, before the day."""
    if leave.staff.user_id != actor.pk:
        raise PermissionDeniedError("只能撤销本人的心理假。")
    if leave.date <= timezone.localdate():
        raise DomainError("当天及已过去的心理假不能撤销。")
    audit.record(actor=actor, action="care.leave.cancel", obj=leave, before={"date": leave.date})
    leave.delete()


# 心理咨询 ---------------------------------------------------------------------------------------


@transaction.atomic
def publish_slot(
    *, actor, starts_at: dt.datetime, minutes: int = 50, mode: str, place: str = ""
) -> CounselingSlot:
    """发布咨询时段 (the counselor)."""
    require_role(actor, *permissions.COUNSELOR_ROLES)
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at <= timezone.now():
        raise DomainError("咨询时段须在当前时间之后。", field="starts_at")
    if starts_at > timezone.now() + dt.timedelta(days=SLOT_DAYS_AHEAD):
        raise DomainError(f"咨询时段最多提前 {SLOT_DAYS_AHEAD} 天发布。", field="starts_at")
    if mode not in CounselingSlot.Mode.values:
        raise DomainError("咨询方式须为现场或电话。", field="mode")
    if not 10 <= minutes <= 240:
        raise DomainError("时长须在 10 至 240 分钟之间。", field="minutes")
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    if _overlapping(actor, starts_at, ends_at):
        raise DomainError("与您已发布的时段重叠。", field="starts_at")
    slot = CounselingSlot.objects.create(
        counselor=actor, starts_at=starts_at, minutes=minutes, mode=mode, place=place.strip()
    )
    audit.record(actor=actor, action="care.slot.publish", obj=slot, after={"mode": mode})
    return slot


def _overlapping(counselor, starts_at, ends_at) -> bool:
    near = CounselingSlot.objects.filter(
        counselor=counselor,
        withdrawn=False,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - dt.timedelta(minutes=240),
    )
    return any(s.starts_at + dt.timedelta(minutes=s.minutes) > starts_at for s in near)


@transaction.atomic
def withdraw_slot(*, actor, slot: CounselingSlot) -> None:
    """撤回未被预约的时段."""
    if slot.counselor_id != actor.pk:
        raise PermissionDeniedError("只能撤回本人发布的时段。")
    if slot.appointments.filter(cancelled_at__isnull=True).exists():
        raise DomainError("该时段已有预约，不能撤回；请先与预约人沟通。")
    slot.withdrawn = True
    slot.save(update_fields=["withdrawn"])
    audit.record(actor=actor, action="care.slot.withdraw", obj=slot)


@transaction.atomic
def book_slot(*, actor, slot: CounselingSlot) -> Appointment:
    """预约心理咨询: one booking per slot (the partial unique constraint decides a race)."""
    require_role(actor, *permissions.STAFF_ROLES)
    own_staff(actor)
    slot = CounselingSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.withdrawn or slot.starts_at <= timezone.now():
        raise DomainError("该时段已不可预约，请选择其他时段。")
    if slot.counselor_id == actor.pk:
        raise DomainError("不能预约本人发布的时段。")
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(slot=slot, client=actor)
    except IntegrityError:
        raise DomainError("该时段已被他人预约，请选择其他时段。") from None
    audit.record(actor=actor, action="care.appointment.book", obj=appointment)
    return appointment


@transaction.atomic
def cancel_appointment(*, actor, appointment: Appointment) -> Appointment:
    """取消预约: the client or the counselor, before the session starts."""
    if actor.pk not in (appointment.client_id, appointment.slot.counselor_id):
        raise PermissionDeniedError("只能取消本人的预约。")
    if appointment.cancelled_at is not None:
        raise DomainError("该预约已取消。")
    if appointment.slot.starts_at <= timezone.now():
        raise DomainError("咨询已开始或已结束，不能取消。")
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["cancelled_at"])
    audit.record(actor=actor, action="care.appointment.cancel", obj=appointment)
    return appointment


def _own_appointment(actor, appointment: Appointment) -> None:
    if not permissions.is_own_counselor(actor, appointment):
        raise PermissionDeniedError("咨询记录仅由该次咨询的心理咨询师本人查看和填写。")


@transaction.atomic
def write_note(*, actor, appointment: Appointment, text: str) -> Appointment:
    """填写咨询记录: stored encrypted; the audit entry says that it was written, not what."""
    _own_appointment(actor, appointment)
    if appointment.cancelled_at is not None:
        raise DomainError("已取消的预约不能填写咨询记录。")
    if len(text) > MAX_NOTE_CHARS:
        raise DomainError(f"咨询记录不能超过 {MAX_NOTE_CHARS} 字。", field="text")
    appointment.note_token = notes.seal(text.strip())
    appointment.note_updated_at = timezone.now()
    appointment.save(update_fields=["note_token", "note_updated_at"])
    audit.record(actor=actor, action="care.note.write", obj=appointment)
    return appointment


@transaction.atomic
def read_note(*, actor, appointment: Appointment) -> str:
    """阅读咨询记录: decrypts for the appointment's own counselor and records the reading."""
    _own_appointment(actor, appointment)
    text = notes.unseal(appointment.note_token)
    if appointment.note_token:
        audit.record(actor=actor, action="care.note.read", obj=appointment)
    return text


# 约谈 -------------------------------------------------------------------------------------------


@transaction.atomic
def record_talk(*, actor, staff: Staff, date: dt.date, topic: str, follow_up: str = "") -> CareTalk:
    """登记约谈: by the center admin, or a department head with staff of their departments."""
    require_role(actor, *permissions.TALK_ROLES)
    if not permissions.may_talk_with(actor, staff):
        raise PermissionDeniedError("只能登记与本部门人员的约谈。")
    if date > timezone.localdate():
        raise DomainError("约谈日期不能晚于今天。", field="date")
    if topic not in CareTalk.Topic.values:
        raise DomainError("请选择约谈主题类别。", field="topic")
    if len(follow_up) > 500:
        raise DomainError("后续跟进不能超过 500 字。", field="follow_up")
    talk = CareTalk.objects.create(
        held_by=actor, staff=staff, date=date, topic=topic, follow_up=follow_up.strip()
    )
    audit.record(
        actor=actor, action="care.talk.record", obj=talk, after={"date": date, "topic": topic}
    )
    return talk
