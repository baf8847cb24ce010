"""Training events: plan, sign up, check in by the rotating code, absences, corrections,
feedback."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role
from chuangkou.org import selectors as org_selectors
from chuangkou.org.models import Staff
from chuangkou.supervision.services.common import text

from .. import checkin, permissions, selectors
from ..models import Attendance, Feedback, Kind, TrainingEvent

Status = Attendance.Status
LATE_AFTER = dt.timedelta(minutes=10)
CHECKIN_OPENS = dt.timedelta(minutes=30)  # before the start


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError("学时须为数字。", field="hours") from None
    if not Decimal(0) <= hours <= Decimal(99):
        raise DomainError("学时须在 0 至 99 之间。", field="hours")
    return hours


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if starts_at is None or ends_at is None:
        raise DomainError("请填写开始和结束时间。", field="starts_at")
    if not (2000 <= starts_at.year <= 2100 and 2000 <= ends_at.year <= 2100):
        raise DomainError("日期须在 2000-01-01 至 2100-12-31 之间。", field="starts_at")
    if ends_at <= starts_at:
        raise DomainError("结束时间须晚于开始时间。", field="ends_at")


@transaction.atomic
def create_event(
    *,
    actor,
    title: str,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    hours,
    speaker: str = "",
    description: str = "",
    capacity: int = 0,
    departments=(),
    employment_types=(),
    categories=(),
    invitees=(),
) -> TrainingEvent:
    """安排培训 (center admin or a department head), with its audience."""
    require_role(actor, *permissions.ORGANISER_ROLES)
    if kind not in Kind.values:
        raise DomainError("请选择培训类型。", field="kind")
    _check_times(starts_at, ends_at)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if capacity is None or not 0 <= int(capacity) <= 10000:
        raise DomainError("名额须在 0 至 10000 之间（0 表示不限）。", field="capacity")
    types = sorted(set(employment_types))
    if any(t not in Staff.EmploymentType.values for t in types):
        raise DomainError("用工性质不是可选的值之一。", field="employment_types")
    event = TrainingEvent.objects.create(
        title=text(title, field="title", what="主题", limit=100, required=True),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=text(place, field="place", what="地点", limit=100, required=True),
        speaker=text(speaker, field="speaker", what="主讲人", limit=50),
        description=text(description, field="description", what="内容简介", limit=2000),
        capacity=int(capacity),
        hours=_hours(hours),
        employment_types=types,
        organiser=actor,
    )
    event.departments.set(departments)
    event.categories.set(categories)
    event.invitees.set(invitees)
    audit.record(
        actor=actor,
        action="training.event.create",
        obj=event,
        after={
            "title": event.title,
            "kind": kind,
            "starts_at": starts_at.isoformat(),
            "hours": str(event.hours),
            "audience": selectors.audience_label(event),
        },
    )
    return event


def staff_of(user) -> Staff:
    """The staff record behind an account (`org.selectors.staff_of`); refused without one."""
    staff = org_selectors.staff_of(user)
    if staff is None:
        raise PermissionDeniedError("您的账号未关联窗口人员，无法报名或签到。")
    return staff


def _require_invited(event: TrainingEvent, staff: Staff) -> None:
    if not selectors.is_invited(event, staff):
        raise DomainError("您不在本次培训的参训范围内，如需参加请联系组织者。", status=403)


def _locked_event(event: TrainingEvent) -> TrainingEvent:
    return TrainingEvent.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def sign_up(*, actor, event: TrainingEvent, now: dt.datetime | None = None) -> Attendance:
    """报名: an invited person, before the event ends, while places remain."""
    now = now or timezone.now()
    staff = staff_of(actor)
    event = _locked_event(event)
    _require_invited(event, staff)
    if now >= event.ends_at:
        raise DomainError("培训已结束，不能报名。")
    if event.attendances.filter(staff=staff).exists():
        raise DomainError("您已报名本次培训。")
    if event.capacity and event.attendances.count() >= event.capacity:
        raise DomainError(f"名额已满（共 {event.capacity} 人）。")
    attendance = Attendance.objects.create(event=event, staff=staff, signed_up_at=now)
    audit.record(actor=actor, action="training.attendance.sign_up", obj=attendance)
    return attendance


@transaction.atomic
def check_in(*, actor, token: str, now: dt.datetime | None = None) -> tuple[Attendance, bool]:
    """扫码签到: a fresh, genuine code, an invited (or signed-up) person, from 30 minutes
    before the start until the end; late after start + 10 minutes. Returns (attendance, new)."""
    now = now or timezone.now()
    event_id = checkin.event_of(token, now=now.timestamp())
    staff = staff_of(actor)
    event = TrainingEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise DomainError(checkin.FORGED, status=404)
    attendance = event.attendances.filter(staff=staff).first()
    if attendance is None:
        _require_invited(event, staff)
    elif attendance.attended:
        return attendance, False
    if now < event.starts_at - CHECKIN_OPENS:
        raise DomainError("签到尚未开始（开始前 30 分钟开放签到）。")
    if now > event.ends_at:
        raise DomainError("培训已结束，不能签到。")
    status = Status.LATE if now > event.starts_at + LATE_AFTER else Status.PRESENT
    if attendance is None:
        attendance = Attendance(event=event, staff=staff)
    attendance.status, attendance.checked_in_at = status, now
    attendance.save()
    audit.record(
        actor=actor,
        action="training.attendance.check_in",
        obj=attendance,
        after={"event": event.pk, "status": status, "at": now.isoformat()},
    )
    return attendance, True


def _require_manager(actor, event: TrainingEvent) -> None:
    require_role(actor, *permissions.ORGANISER_ROLES)
    if not permissions.can_manage(actor, event):
        raise PermissionDeniedError("只有本次培训的组织者或中心管理员可以操作。")


@transaction.atomic
def record_absences(*, actor, event: TrainingEvent, now: dt.datetime | None = None) -> int:
    """登记缺勤 after the event: whoever signed up or was named and did not check in."""
    now = now or timezone.now()
    _require_manager(actor, event)
    event = _locked_event(event)
    if now < event.ends_at:
        raise DomainError("培训结束后才能登记缺勤。")
    missing = event.invitees.exclude(pk__in=event.attendances.values("staff"))
    Attendance.objects.bulk_create(
        [Attendance(event=event, staff=s, status=Status.ABSENT) for s in missing]
    )
    marked = event.attendances.filter(status=Status.SIGNED_UP).update(status=Status.ABSENT)
    count = marked + len(missing)
    event.absences_recorded = True
    event.save(update_fields=["absences_recorded"])
    audit.record(actor=actor, action="training.event.absences", obj=event, after={"absent": count})
    return count


@transaction.atomic
def correct_attendance(
    *, actor, event: TrainingEvent, staff: Staff, status: str, reason: str
) -> Attendance:
    """更正出勤 by the organiser, with a reason (audited with before and after)."""
    _require_manager(actor, event)
    if status not in (Status.PRESENT, Status.LATE, Status.ABSENT):
        raise DomainError("请选择出勤、迟到或缺勤。", field="status")
    reason = text(reason, field="reason", what="更正原因", limit=200, required=True)
    attendance, _ = Attendance.objects.select_for_update().get_or_create(event=event, staff=staff)
    before = attendance.status
    attendance.status, attendance.correction_reason = status, reason
    if status != Status.ABSENT and attendance.checked_in_at is None:
        attendance.checked_in_at = event.starts_at
    attendance.save()
    audit.record(
        actor=actor,
        action="training.attendance.correct",
        obj=attendance,
        before={"status": before},
        after={"status": status, "reason": reason},
    )
    return attendance


def _score(value, field: str, what: str) -> int:
    if isinstance(value, bool) or value not in (1, 2, 3, 4, 5):
        raise DomainError(f"{what}须为 1 至 5 分。", field=field)
    return value


@transaction.atomic
def submit_feedback(
    *, actor, event: TrainingEvent, rating: int, usefulness: int, comment: str = ""
) -> Feedback:
    """课后评价: once per attendee, after checking in."""
    staff = staff_of(actor)
    if not event.attendances.filter(staff=staff, status__in=(Status.PRESENT, Status.LATE)).exists():
        raise DomainError("签到参加培训后才能评价。")
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                event=event,
                staff=staff,
                rating=_score(rating, "rating", "总体评价"),
                usefulness=_score(usefulness, "usefulness", "对工作的帮助"),
                comment=text(comment, field="comment", what="意见建议", limit=500),
            )
    except IntegrityError:
        raise DomainError("您已评价过本次培训。", status=409) from None
    audit.record(
        actor=actor,
        action="training.feedback.submit",
        obj=feedback,
        after={"rating": feedback.rating, "usefulness": feedback.usefulness},
    )
    return feedback
