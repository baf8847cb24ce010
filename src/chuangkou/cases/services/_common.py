"""Helpers shared by the case services: the event log, the audit snapshot, the locked case."""

import datetime as dt

from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError

from ..models import Case, CaseEvent

AUDIT_FIELDS = [
    "number",
    "matter",
    "center",
    "window",
    "clerk",
    "channel",
    "applicant_kind",
    "applicant_name",
    "status",
    "accepted_at",
    "due_date",
    "completed_at",
    "visits",
    "is_overdue",
    "is_one_trip",
]


def record_event(
    case: Case, action: str, *, actor, at: dt.datetime, from_status: str = "", note: str = ""
) -> CaseEvent:
    """One row of the case's status history, in the transaction of the change it records."""
    is_user = getattr(actor, "is_authenticated", False)
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if is_user else None,
        actor_name=str(actor) if is_user else "系统",
        at=at,
        note=note[:500],
    )


def audit_case(actor, action: str, case: Case, *, before: dict | None = None, **after) -> None:
    audit.record(actor=actor, action=f"case.{action}", obj=case, before=before, after=after or None)


def snapshot(case: Case) -> dict:
    return audit.snapshot(case, AUDIT_FIELDS)


def lock_case(case: Case) -> Case:
    """The case re-read under a row lock, with what the checks need."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("matter", "clerk", "department")
        .get(pk=case.pk)
    )


def check_open(case: Case, action: str) -> None:
    if not case.is_open:
        raise DomainError(
            f"受理件 {case.number} 当前为“{case.get_status_display()}”，不能{action}。",
            field="status",
        )


def check_time(case: Case, when: dt.datetime, now: dt.datetime, what: str) -> None:
    """A step's time lies between the case's last recorded step (or its acceptance) and now."""
    if when > now:
        raise DomainError(f"{what}不能晚于现在。", field="at")
    if when < case.accepted_at:
        raise DomainError(f"{what}不能早于受理时间。", field="at")
    last = case.events.order_by("-at").values_list("at", flat=True).first()
    if last is not None and when < last:
        raise DomainError(
            f"{what}不能早于上一步办理的时间 {timezone.localtime(last):%Y-%m-%d %H:%M}。",
            field="at",
        )
