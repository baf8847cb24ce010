"""The status flow after acceptance, and the applicant's trips (跑动).

受理 → 补正 (通知补正) → 受理 (补正材料齐全) …; from 受理 or 补正 the case ends as 办结, 不予受理
or 退件. 补正 stops the clock: the working days from the notice to the corrected materials (or to
the end of a case closed while waiting) move the due date on. A closed case records when it ended
and whether that was after its due date; 办结 also records whether the case was 最多跑一次
(`counts_as_one_trip`). 不予受理 leaves the accepted volume (行政许可法 art. 32) and is counted
apart. Trips can be recorded only while the case is open.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.hall.models import Ticket

from .. import notices, permissions
from ..models import Case, CaseEvent, CaseVisit, counts_as_one_trip
from ..workdays import add_working_days, working_days_between
from ._common import audit_case, check_open, check_time, lock_case, record_event
from .stats import bump_daily_stats

NO_PERMISSION = "只有受理人、本部门负责人或中心管理员可以办理该件。"


def _locked_for(actor, case: Case, action: str) -> Case:
    case = lock_case(case)
    if not permissions.can_handle(actor, case):
        raise PermissionDeniedError(NO_PERMISSION)
    check_open(case, action)
    return case


def _required(text: str, what: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(f"请填写{what}。", field=field)
    if len(text) > 500:
        raise DomainError(f"{what}不能超过 500 个字。", field=field)
    return text


def _change_status(
    actor, case: Case, to_status: str, action: str, *, at: dt.datetime, note: str = "", **fields
) -> Case:
    before = {"status": case.status}
    from_status = case.status
    case.status = to_status
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=["status", *fields])
    record_event(case, action, actor=actor, at=at, from_status=from_status, note=note)
    audit_case(actor, action, case, before=before, status=to_status, note=note, **fields)
    return case


@transaction.atomic
def request_supplement(*, actor, case: Case, note: str) -> Case:
    """通知补正: the application lacks materials; `note` says which."""
    case = _locked_for(actor, case, "通知补正")
    if case.status != Case.Status.ACCEPTED:
        raise DomainError(f"受理件 {case.number} 已在补正中。", field="status")
    note = _required(note, "需补正的材料", "note")
    notices.case_supplement(case)  # which materials, to the applicant
    return _change_status(
        actor,
        case,
        Case.Status.SUPPLEMENT,
        CaseEvent.Action.SUPPLEMENT,
        at=timezone.now(),
        note=note,
    )


def paused_working_days(notice: dt.date, until: dt.date) -> int:
    """Working days spent waiting for corrected materials: those after the notice day up to and
    including the day the materials came (补正期间不计入承诺时限)."""
    return working_days_between(notice + dt.timedelta(days=1), until)


def _supplement_notice(case: Case) -> dt.date | None:
    """The day of the 补正 notice that is under way (None when not waiting for materials)."""
    if case.status != Case.Status.SUPPLEMENT:
        return None
    notice = (
        case.events.filter(action=CaseEvent.Action.SUPPLEMENT)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(notice) if notice is not None else None


def _clock_restarted(case: Case, at: dt.datetime) -> dict:
    """The due date and paused days once the 补正 under way ends at `at` (no change when the
    case is not waiting for materials)."""
    notice = _supplement_notice(case)
    days = paused_working_days(notice, timezone.localdate(at)) if notice else 0
    if not days:
        return {}
    return {
        "due_date": add_working_days(case.due_date, days),
        "paused_days": case.paused_days + days,
    }


def _resume_note(note: str, clock: dict) -> str:
    note = (note or "").strip()
    if not clock:
        return note[:500]
    moved = f"补正等待 {clock['paused_days']} 个工作日不计时，承诺办结日期顺延至 "
    moved += f"{clock['due_date']:%Y-%m-%d}"
    return f"{note}；{moved}"[:500] if note else moved


@transaction.atomic
def resume_case(*, actor, case: Case, note: str = "") -> Case:
    """补正材料齐全: the missing materials arrived; the case is handled again, its due date
    moved on by the working days spent waiting."""
    case = _locked_for(actor, case, "确认补正材料")
    if case.status != Case.Status.SUPPLEMENT:
        raise DomainError(f"受理件 {case.number} 不在补正中。", field="status")
    now = timezone.now()
    clock = _clock_restarted(case, now)
    return _change_status(
        actor,
        case,
        Case.Status.ACCEPTED,
        CaseEvent.Action.RESUME,
        at=now,
        note=_resume_note(note, clock),
        **clock,
    )


def _closing_fields(case: Case, at: dt.datetime) -> dict:
    """End time and overdue flag. A case closed while waiting for materials had its clock
    stopped at the notice: it is late only if the notice itself came after the due date."""
    day = timezone.localdate(at)
    notice = _supplement_notice(case)
    late = (notice or day) > case.due_date
    fields = _clock_restarted(case, at)
    return {**fields, "completed_at": at, "completed_date": day, "is_overdue": late}


@transaction.atomic
def complete_case(
    *, actor, case: Case, note: str = "", completed_at: dt.datetime | None = None
) -> Case:
    """办结: the result is issued. Counts as 最多跑一次 when the applicant came at most once."""
    case = _locked_for(actor, case, "办结")
    now = timezone.now()
    at = completed_at or now
    check_time(case, at, now, "办结时间")
    fields = _closing_fields(case, at)
    fields["is_one_trip"] = counts_as_one_trip(case.visits)
    case = _change_status(
        actor,
        case,
        Case.Status.COMPLETED,
        CaseEvent.Action.COMPLETE,
        at=at,
        note=(note or "").strip()[:500],
        **fields,
    )
    bump_daily_stats(
        case,
        day=fields["completed_date"],
        completed=1,
        one_trip=int(fields["is_one_trip"]),
        overdue=int(fields["is_overdue"]),
    )
    notices.case_completed(case)  # ready to collect
    return case


@transaction.atomic
def reject_case(*, actor, case: Case, reason: str) -> Case:
    """不予受理: the application does not meet the conditions; `reason` is told to the applicant.

    Not 受理 (行政许可法 art. 32): the case leaves the accepted volume of its accepted date and is
    counted as refused there instead."""
    case = _locked_for(actor, case, "不予受理")
    reason = _required(reason, "不予受理的理由", "reason")
    now = timezone.now()
    case = _change_status(
        actor,
        case,
        Case.Status.REJECTED,
        CaseEvent.Action.REJECT,
        at=now,
        note=reason,
        **_closing_fields(case, now),
    )
    bump_daily_stats(case, day=case.accepted_date, accepted=-1, rejected=1)
    return case


@transaction.atomic
def return_case(*, actor, case: Case, reason: str) -> Case:
    """退件: the materials are handed back (e.g. the applicant withdraws); `reason` says why."""
    case = _locked_for(actor, case, "退件")
    reason = _required(reason, "退件原因", "reason")
    now = timezone.now()
    return _change_status(
        actor,
        case,
        Case.Status.RETURNED,
        CaseEvent.Action.RETURN,
        at=now,
        note=reason,
        **_closing_fields(case, now),
    )


@transaction.atomic
def record_visit(
    *,
    actor,
    case: Case,
    ticket: Ticket | None = None,
    visited_at: dt.datetime | None = None,
    note: str = "",
) -> CaseVisit:
    """登记到访: the applicant came to the hall again for this case (from a ticket or by hand)."""
    case = _locked_for(actor, case, "登记到访")
    now = timezone.now()
    at = visited_at or (ticket.issued_at if ticket else now)
    check_time(case, at, now, "到访时间")
    if ticket is not None and case.visit_records.filter(ticket=ticket).exists():
        raise DomainError(f"{ticket.number} 号已登记为该件的到访。", field="ticket")
    note = (note or "").strip()[:200]
    visit = CaseVisit.objects.create(case=case, ticket=ticket, visited_at=at, note=note)
    Case.objects.filter(pk=case.pk).update(visits=F("visits") + 1)
    case.refresh_from_db(fields=["visits"])
    record_event(
        case,
        CaseEvent.Action.VISIT,
        actor=actor,
        at=at,
        from_status=case.status,
        note=note or (f"取号 {ticket.number}" if ticket else ""),
    )
    audit_case(actor, "visit", case, visits=case.visits, ticket=str(ticket or ""), note=note)
    return visit
