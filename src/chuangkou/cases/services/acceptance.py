"""受理: a clerk accepts an application at the window (from a served ticket or directly), or
an online application (网上申请) is accepted in the back office.

Every case gets its number, its due date (accepted date + the matter's promised working days on
China's official calendar), the first line of its history, its count in the daily summary and an
audit entry, all in one transaction.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.hall import services as hall_services
from chuangkou.hall.models import Ticket
from chuangkou.org.models import Center, Staff, Window

from .. import notices, permissions
from ..identity import validate_applicant_id, validate_phone
from ..models import Case, CaseEvent, CaseVisit
from ..workdays import add_working_days
from ._common import audit_case, record_event, snapshot
from .numbering import next_case_number
from .stats import bump_daily_stats

TICKET_STATUSES = (Ticket.Status.SERVING, Ticket.Status.DONE)


def due_date_for(accepted: dt.date, matter: Matter) -> dt.date:
    """承诺办结日期: `matter.promised_days` working days after the accepted date (0: same day)."""
    return add_working_days(accepted, matter.promised_days)


def clean_applicant(*, kind: str, name: str, id_number: str, phone: str) -> dict:
    """The applicant fields, normalised; DomainError naming the field otherwise."""
    if kind not in Case.ApplicantKind.values:
        raise DomainError("请选择申请人类型（个人或企业）。", field="applicant_kind")
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写申请人姓名或企业名称。", field="applicant_name")
    if len(name) > 200:
        raise DomainError("申请人名称不能超过 200 个字。", field="applicant_name")
    id_number = validate_applicant_id(kind, id_number)
    if not id_number:
        what = "统一社会信用代码" if kind == Case.ApplicantKind.COMPANY else "身份证号"
        raise DomainError(f"请填写申请人的{what}。", field="applicant_id")
    return {
        "applicant_kind": kind,
        "applicant_name": name,
        "applicant_id": id_number,
        "applicant_phone": validate_phone(phone),
    }


def _when(accepted_at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if accepted_at is None:
        return now
    if accepted_at > now:
        raise DomainError("受理时间不能晚于现在。", field="accepted_at")
    return accepted_at


def _check_matter(matter: Matter | None) -> Matter:
    if matter is None:
        raise DomainError("请选择受理的事项。", field="matter")
    if not matter.is_active:
        raise DomainError(f"事项“{matter.name}”已停用，不能受理。", field="matter")
    return matter


def _create(
    *,
    actor,
    matter: Matter,
    center: Center,
    window: Window | None,
    clerk: Staff | None,
    ticket: Ticket | None,
    channel: str,
    applicant: dict,
    accepted_at: dt.datetime,
    visits: int,
) -> Case:
    day = timezone.localdate(accepted_at)
    case = Case.objects.create(
        number=next_case_number(center=center, day=day),
        matter=matter,
        department_id=matter.department_id,
        center=center,
        window=window,
        clerk=clerk,
        ticket=ticket,
        channel=channel,
        status=Case.Status.ACCEPTED,
        accepted_at=accepted_at,
        accepted_date=day,
        due_date=due_date_for(day, matter),
        visits=visits,
        **applicant,
    )
    record_event(case, CaseEvent.Action.ACCEPT, actor=actor, at=accepted_at)
    bump_daily_stats(case, day=day, accepted=1)
    audit_case(actor, "accept", case, **snapshot(case))
    return case


def _check_ticket(ticket: Ticket, clerk: Staff, matter: Matter | None, day: dt.date) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("queue").get(pk=ticket.pk)
    )
    if ticket.service_date != day:
        raise DomainError(f"{ticket.number} 不是今天的号，不能据此受理。", field="ticket")
    if ticket.status not in TICKET_STATUSES:
        raise DomainError(
            f"{ticket.number} 当前为“{ticket.get_status_display()}”，"
            "只有办理中或刚办结的号可以受理。",
            field="ticket",
        )
    if ticket.clerk_id is not None and ticket.clerk_id != clerk.pk:
        raise DomainError(f"{ticket.number} 由其他窗口人员办理，不能由您受理。", field="ticket")
    matter = matter or ticket.matter
    if matter is not None and Case.objects.filter(ticket=ticket, matter=matter).exists():
        raise DomainError(f"{ticket.number} 已受理过“{matter.name}”。", field="matter")
    return ticket


@transaction.atomic
def accept_case(
    *,
    actor,
    applicant_kind: str,
    applicant_name: str,
    applicant_id: str,
    applicant_phone: str = "",
    ticket: Ticket | None = None,
    matter: Matter | None = None,
    window: Window | None = None,
    accepted_at: dt.datetime | None = None,
) -> Case:
    """窗口受理: the clerk at the window accepts an application, from the ticket being served
    (the ticket is linked as the first visit and finished through the hall) or directly."""
    if not permissions.can_accept_at_window(actor):
        raise PermissionDeniedError("只有关联了窗口人员档案的窗口人员可以受理。")
    clerk = permissions.staff_of(actor)
    applicant = clean_applicant(
        kind=applicant_kind, name=applicant_name, id_number=applicant_id, phone=applicant_phone
    )
    when = _when(accepted_at)
    if ticket is not None:
        ticket = _check_ticket(ticket, clerk, matter, timezone.localdate(when))
        matter = matter or ticket.matter
        window = ticket.window or window
    matter = _check_matter(matter)
    window = window or clerk.window
    if window is None:
        raise DomainError("请选择受理窗口。", field="window")
    case = _create(
        actor=actor,
        matter=matter,
        center=window.center,
        window=window,
        clerk=clerk,
        ticket=ticket,
        channel=Case.Channel.WINDOW,
        applicant=applicant,
        accepted_at=when,
        visits=1,
    )
    visited_at = (ticket.started_at or ticket.called_at or when) if ticket else when
    CaseVisit.objects.create(
        case=case, ticket=ticket, visited_at=min(visited_at, when), note="窗口受理"
    )
    if ticket is not None and ticket.status == Ticket.Status.SERVING:
        hall_services.finish_ticket(actor=actor, ticket=ticket, window=ticket.window)
    notices.case_accepted(case)  # accepted, with its due date
    return case


@transaction.atomic
def accept_online_case(
    *,
    actor,
    matter: Matter,
    center: Center,
    applicant_kind: str,
    applicant_name: str,
    applicant_id: str,
    applicant_phone: str = "",
    accepted_at: dt.datetime | None = None,
) -> Case:
    """网上申请受理: an online application accepted in the back office; no trip so far."""
    if not permissions.can_accept_online(actor):
        raise PermissionDeniedError("只有窗口人员或中心管理员可以受理网上申请。")
    applicant = clean_applicant(
        kind=applicant_kind, name=applicant_name, id_number=applicant_id, phone=applicant_phone
    )
    matter = _check_matter(matter)
    if not matter.online:
        raise DomainError(f"事项“{matter.name}”不支持网上办理。", field="matter")
    if center is None:
        raise DomainError("请选择受理中心。", field="center")
    case = _create(
        actor=actor,
        matter=matter,
        center=center,
        window=None,
        clerk=permissions.staff_of(actor),
        ticket=None,
        channel=Case.Channel.ONLINE,
        applicant=applicant,
        accepted_at=_when(accepted_at),
        visits=0,
    )
    notices.case_accepted(case)  # accepted, with its due date
    return case
