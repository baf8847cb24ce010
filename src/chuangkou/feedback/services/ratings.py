"""好差评: rating a finished ticket or a completed case; a bad rating opens its rectification."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.core import audit, ratelimit
from chuangkou.core.calendar import add_working_days
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.middleware import current_ip
from chuangkou.core.validators import validate_mobile
from chuangkou.hall.models import Ticket

from .. import notices, permissions, selectors, summary
from ..models import BAD_LEVELS, Evaluation, Level, Rectification, RectificationEvent
from ..pad import PadSession

PUBLIC_CHANNELS = (Evaluation.Channel.PAD, Evaluation.Channel.PHONE)
STAFF_CHANNELS = (Evaluation.Channel.SMS, Evaluation.Channel.HOTLINE, Evaluation.Channel.WEB)
CALLBACK_WORKING_DAYS = 1  # 差评 1 个工作日内回访核实
REPLY_WORKING_DAYS = 15  # 15 个工作日内整改反馈
PAD_PER_MINUTE = 10  # posts of one window's pad per minute
PHONE_PER_MINUTE = 10  # phone-page ratings from one address per minute


def rectification_deadlines(rated_on: dt.date) -> tuple[dt.date, dt.date]:
    """(回访期限, 整改反馈期限): 1 and 15 working days after the day of the rating."""
    return (
        add_working_days(rated_on, CALLBACK_WORKING_DAYS),
        add_working_days(rated_on, REPLY_WORKING_DAYS),
    )


def _check_level(level) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
        raise DomainError("评价等级应为 1（非常不满意）到 5（非常满意）。", field="level")
    return level


def _check_channel(actor, channel: str) -> None:
    if channel in STAFF_CHANNELS:
        if not permissions.can_enter_ratings(actor):
            raise PermissionDeniedError("只有中心管理员或大堂经理可以录入短信、热线和网上评价。")
    elif channel not in PUBLIC_CHANNELS:
        raise DomainError("评价渠道不正确。", field="channel")


def _check_subject(case: Case | None, ticket: Ticket | None) -> None:
    if (case is None) == (ticket is None):
        raise DomainError("请指定要评价的受理件或排队号（二选一）。", field="case")
    if case is not None and case.status != Case.Status.COMPLETED:
        raise DomainError(f"受理件 {case.number} 尚未办结，办结后才能评价。", field="case")
    if ticket is not None and ticket.status != Ticket.Status.DONE:
        raise DomainError(f"排队号 {ticket.number} 尚未办理完成，办结后才能评价。", field="ticket")


def _rated_at(at: dt.datetime | None, case: Case | None, ticket: Ticket | None) -> dt.datetime:
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise DomainError("评价时间须带时区。", field="at")
    if at > now:
        raise DomainError("评价时间不能晚于现在。", field="at")
    finished = case.completed_at if case is not None else ticket.finished_at
    if finished is not None and at < finished:
        raise DomainError("评价时间不能早于办结时间。", field="at")
    return at


def _subject_copy(case: Case | None, ticket: Ticket | None) -> dict:
    """The denormalised staff, window, department and center of the rated service."""
    if case is not None:
        return {
            "staff_id": case.clerk_id,
            "window_id": case.window_id,
            "department_id": case.department_id,
            "center_id": case.center_id,
        }
    window = ticket.window
    department_id = None
    if window is not None:
        department_id = window.department_id
    elif ticket.clerk is not None:
        department_id = ticket.clerk.department_id
    return {
        "staff_id": ticket.clerk_id,
        "window_id": ticket.window_id,
        "department_id": department_id,
        "center_id": ticket.queue.center_id,
    }


def _follow_up_target(follow_up_of: Evaluation, case, ticket) -> tuple:
    first = Evaluation.objects.select_for_update().get(pk=follow_up_of.pk)
    if first.follow_up_of_id is not None:
        raise DomainError("追评只能针对首次评价。", field="follow_up_of")
    if first.invalidated:
        raise DomainError("该评价已被认定为无效评价，不能追评。", field="follow_up_of")
    if (case is not None and case.pk != first.case_id) or (
        ticket is not None and ticket.pk != first.ticket_id
    ):
        raise DomainError("追评须针对同一受理件或排队号。", field="follow_up_of")
    if first.follow_ups.exists():
        raise DomainError("每条评价只能追评一次。", field="follow_up_of")
    return first.case, first.ticket


def _check_not_rated(case, ticket, channel: str) -> None:
    """A case once per channel; a served ticket once in all (pad or phone)."""
    taken = Evaluation.objects.filter(follow_up_of__isnull=True)
    if case is not None:
        taken = taken.filter(case=case, channel=channel)
    else:
        taken = taken.filter(ticket=ticket)
    first = taken.first()
    if first is not None:
        label = Evaluation.Channel(first.channel).label
        raise DomainError(f"已通过{label}评价过，如需补充请追评。", field="channel")


def _callback_phone(phone: str, level: int, channel: str) -> str:
    """回访电话: the pad and the phone page ask for it with a bad rating (a callback within one
    working day) and keep it only then; staff-entered ratings keep what was recorded. Shown
    masked."""
    phone = validate_mobile(phone, field="contact_phone")
    return phone if level in BAD_LEVELS or channel in STAFF_CHANNELS else ""


@transaction.atomic
def rate(
    *,
    actor,
    channel: str,
    level: int,
    case: Case | None = None,
    ticket: Ticket | None = None,
    comment: str = "",
    contact_phone: str = "",
    follow_up_of: Evaluation | None = None,
    at: dt.datetime | None = None,
    actor_name: str = "",
) -> Evaluation:
    """评价 (or 追评 when `follow_up_of` is given) of a finished ticket or completed case.

    One first rating per subject and channel; one follow-up per first rating. 不满意 and
    非常不满意 open a rectification (差评整改) with its deadlines.
    """
    _check_channel(actor, channel)
    level = _check_level(level)
    if follow_up_of is not None:
        case, ticket = _follow_up_target(follow_up_of, case, ticket)
    _check_subject(case, ticket)
    if follow_up_of is None:
        _check_not_rated(case, ticket, channel)
    created_at = _rated_at(at, case, ticket)
    evaluation = Evaluation(
        case=case,
        ticket=ticket,
        channel=channel,
        level=level,
        comment=(comment or "").strip()[:500],
        contact_phone=_callback_phone(contact_phone, level, channel),
        follow_up_of=follow_up_of,
        entered_by=actor if channel in STAFF_CHANNELS else None,
        created_at=created_at,
        rated_on=timezone.localdate(created_at),
        **_subject_copy(case, ticket),
    )
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise DomainError("该服务已评价过（每次服务一次，追评一次）。", field="channel") from None
    # a rating entered with an earlier time, or a follow-up superseding an earlier rating,
    # changes a closed day's 满意率日汇总
    summary.mark_stale([evaluation.rated_on, follow_up_of.rated_on if follow_up_of else None])
    audit.record(
        actor=actor,
        actor_name=actor_name or ("" if getattr(actor, "is_authenticated", False) else "办事群众"),
        action="feedback.follow_up" if follow_up_of else "feedback.rate",
        obj=evaluation,
        after={"channel": channel, "level": level, "subject": str(case or ticket)},
    )
    if level in BAD_LEVELS:
        open_rectification(evaluation)
    return evaluation


def open_rectification(evaluation: Evaluation) -> Rectification:
    """差评整改: open the rectification of a bad rating (不满意/非常不满意) just saved, with its
    deadlines from the rating's day, its first event, and the citizen's callback notice.

    Called inside the rating's transaction by every rating path (the window's pad, the phone
    page, staff entry, 1call's rating); the caller makes sure the rating is new and bad.
    """
    callback_due, reply_due = rectification_deadlines(evaluation.rated_on)
    rectification = Rectification.objects.create(
        evaluation=evaluation,
        callback_due=callback_due,
        reply_due=reply_due,
        opened_at=evaluation.created_at,
    )
    RectificationEvent.objects.create(
        rectification=rectification,
        at=evaluation.created_at,
        action="差评生成整改",
        to_state=Rectification.State.PENDING,
        note=f"回访期限 {callback_due:%Y-%m-%d}，整改反馈期限 {reply_due:%Y-%m-%d}",
    )
    notices.callback_scheduled(rectification)  # tells the citizen when the callback comes
    return rectification


@transaction.atomic
def rate_on_pad(
    *, pad: PadSession, level: int, comment: str = "", contact_phone: str = ""
) -> Evaluation:
    """评价器: the citizen at the window rates the ticket just finished at that window."""
    ratelimit.check_rate("pad", pad.window.pk, limit=PAD_PER_MINUTE, seconds=60)
    level = _check_level(level)
    ticket = selectors.pad_subject(window_id=pad.window.pk)
    if ticket is None:
        raise DomainError("当前没有可评价的业务，请在业务办理完成后评价。", field="level")
    return rate(
        actor=None,
        channel=Evaluation.Channel.PAD,
        ticket=ticket,
        level=level,
        comment=comment,
        contact_phone=contact_phone,
        actor_name=f"办事群众（{pad.window.number} 评价器）",
    )


@transaction.atomic
def rate_by_phone(
    *,
    ticket: Ticket,
    level: int,
    comment: str = "",
    follow_up: bool = False,
    contact_phone: str = "",
) -> Evaluation:
    """手机评价 from the ticket's public page: a first rating, or the one follow-up (追评)."""
    address = current_ip()
    if address:
        ratelimit.check_rate("phone-rating", address, limit=PHONE_PER_MINUTE, seconds=60)
    state = selectors.phone_rating(ticket)
    if follow_up:
        if state.first is None:
            raise DomainError("请先评价，再追评。", field="follow_up")
        return rate(
            actor=None,
            channel=Evaluation.Channel.PHONE,
            level=level,
            comment=comment,
            contact_phone=contact_phone,
            follow_up_of=state.first,
            actor_name="办事群众（手机）",
        )
    return rate(
        actor=None,
        channel=Evaluation.Channel.PHONE,
        ticket=ticket,
        level=level,
        comment=comment,
        contact_phone=contact_phone,
        actor_name="办事群众（手机）",
    )
