"""差评整改: callback, rectification, appeal and its review, and the overdue flag.

States (Rectification.State) and the moves between them:

    待核实 --record_callback--> 整改中 --record_rectification--> 已整改
                                       --mark_unrectifiable---> 无法整改
    待核实 / 整改中 / 超期 --appeal--> 申诉中 --decide_appeal: upheld--> 申诉成立 (rating invalid)
                                              --decide_appeal: rejected--> 整改中 (待核实 while
                                                the citizen has not been called back yet)
    待核实 / 整改中 --flag_overdue (deadline passed without the action)--> 超期
    超期 allows the missing action late: a late callback, a late rectification or 无法整改.

While an appeal is under review the deadlines do not flag it overdue. An overdue one is
escalated to the center admin once (`escalate_overdue`, run by `feedback_escalate_overdue`):
it then stands on the admin's hall overview until handled.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError

from .. import notices, permissions, summary
from ..models import Rectification, RectificationEvent

State = Rectification.State
OPEN_STATES = (State.PENDING, State.RECTIFYING, State.OVERDUE)
EVENT_LABELS = {
    "callback": "登记回访",
    "rectify": "整改反馈",
    "unrectifiable": "无法整改",
    "appeal": "提出申诉",
    "decide_appeal": "审核申诉",
    "overdue": "超期",
    "escalate": "超期上报中心管理员",
}


def settled_state(rectification: Rectification, today: dt.date) -> str:
    """The state an open rectification has on `today` once its deadlines are applied."""
    if rectification.callback_at is None:
        return State.OVERDUE if today > rectification.callback_due else State.PENDING
    return State.OVERDUE if today > rectification.reply_due else State.RECTIFYING


def _locked(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update()
        .select_related("evaluation")
        .get(pk=rectification.pk)
    )


def _require_handler(actor, rectification: Rectification) -> None:
    if not permissions.can_handle(actor, rectification):
        raise PermissionDeniedError("只有中心管理员或被评价部门的负责人可以处理该差评。")


def _require_state(rectification: Rectification, allowed: tuple, doing: str) -> None:
    if rectification.state not in allowed:
        label = State(rectification.state).label
        raise DomainError(f"当前状态为「{label}」，不能{doing}。", field="state")


def _required_text(value: str, field: str, what: str, limit: int = 500) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(f"请填写{what}。", field=field)
    if len(text) > limit:
        raise DomainError(f"{what}不能超过 {limit} 字。", field=field)
    return text


def _move(rectification: Rectification, *, actor, action: str, to_state: str, note: str = ""):
    """Save the new state, append the history event and the audit entry."""
    before = rectification.state
    rectification.state = to_state
    rectification.save()
    RectificationEvent.objects.create(
        rectification=rectification,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=EVENT_LABELS[action],
        from_state=before,
        to_state=to_state,
        note=note[:500],
    )
    audit.record(
        actor=actor,
        action=f"feedback.rectification.{action}",
        obj=rectification,
        before={"state": before},
        after={"state": to_state, "note": note},
    )
    return rectification


@transaction.atomic
def record_callback(*, actor, rectification: Rectification, note: str) -> Rectification:
    """回访核实: the department called the citizen back."""
    rectification = _locked(rectification)
    _require_handler(actor, rectification)
    _require_state(rectification, (State.PENDING, State.OVERDUE), "登记回访")
    if rectification.callback_at is not None:
        raise DomainError("已登记过回访。", field="state")
    rectification.callback_note = _required_text(note, "note", "回访情况")
    rectification.callback_at = timezone.now()
    to_state = settled_state(rectification, timezone.localdate())
    return _move(rectification, actor=actor, action="callback", to_state=to_state, note=note)


def _require_called_back(rectification: Rectification) -> None:
    if rectification.callback_at is None:
        raise DomainError("请先登记回访核实情况。", field="state")


@transaction.atomic
def record_rectification(*, actor, rectification: Rectification, reply: str) -> Rectification:
    """整改反馈: what was put right, and the reply given to the citizen."""
    rectification = _locked(rectification)
    _require_handler(actor, rectification)
    _require_state(rectification, (State.RECTIFYING, State.OVERDUE), "登记整改")
    _require_called_back(rectification)
    rectification.reply = _required_text(reply, "reply", "整改情况与答复", limit=2000)
    rectification.rectified_at = timezone.now()
    notices.rectified(rectification)  # tells the citizen what was put right
    return _move(rectification, actor=actor, action="rectify", to_state=State.RECTIFIED, note=reply)


@transaction.atomic
def mark_unrectifiable(*, actor, rectification: Rectification, reason: str) -> Rectification:
    """无法整改: the department explains why (e.g. the law does not allow what was asked)."""
    rectification = _locked(rectification)
    _require_handler(actor, rectification)
    _require_state(rectification, (State.RECTIFYING, State.OVERDUE), "标记无法整改")
    _require_called_back(rectification)
    rectification.reply = _required_text(reason, "reason", "无法整改的原因", limit=2000)
    rectification.rectified_at = timezone.now()
    return _move(
        rectification,
        actor=actor,
        action="unrectifiable",
        to_state=State.UNRECTIFIABLE,
        note=reason,
    )


@transaction.atomic
def appeal(*, actor, rectification: Rectification, kind: str, reason: str) -> Rectification:
    """申诉: the department asks the center admin to declare the rating invalid or malicious."""
    rectification = _locked(rectification)
    _require_handler(actor, rectification)
    _require_state(rectification, OPEN_STATES, "申诉")
    if rectification.appealed_at is not None:
        raise DomainError("每条差评只能申诉一次。", field="state")
    if kind not in Rectification.AppealKind.values:
        raise DomainError("请选择申诉理由：无效评价或恶意评价。", field="kind")
    rectification.appeal_kind = kind
    rectification.appeal_reason = _required_text(reason, "reason", "申诉理由")
    rectification.appealed_at = timezone.now()
    label = Rectification.AppealKind(kind).label
    return _move(
        rectification,
        actor=actor,
        action="appeal",
        to_state=State.APPEALING,
        note=f"{label}：{rectification.appeal_reason}",
    )


@transaction.atomic
def decide_appeal(
    *, actor, rectification: Rectification, decision: str, note: str = ""
) -> Rectification:
    """申诉审核 by the center admin: upheld → the rating is invalid and leaves the satisfaction
    rate; rejected → the rectification goes on (整改中, or 待核实 before the callback)."""
    rectification = _locked(rectification)
    if not permissions.can_decide_appeal(actor):
        raise PermissionDeniedError("只有中心管理员可以审核申诉。")
    _require_state(rectification, (State.APPEALING,), "审核申诉")
    if decision not in Rectification.Decision.values:
        raise DomainError("请选择审核结果：申诉成立或申诉不成立。", field="decision")
    rectification.appeal_decision = decision
    rectification.decision_note = (note or "").strip()[:500]
    rectification.decided_by = actor
    rectification.decided_at = timezone.now()
    if decision == Rectification.Decision.UPHELD:
        if not rectification.decision_note:
            raise DomainError("申诉成立须填写审核意见。", field="note")
        rectification.evaluation.invalidated = True
        rectification.evaluation.save(update_fields=["invalidated"])
        # the rating leaves its day's figures; an invalid follow-up gives the first rating back
        evaluation = rectification.evaluation
        first = evaluation.follow_up_of
        summary.mark_stale([evaluation.rated_on, first.rated_on if first else None])
        audit.record(
            actor=actor,
            action="feedback.invalidate",
            obj=rectification.evaluation,
            before={"invalidated": False},
            after={"invalidated": True},
        )
        to_state = State.INVALIDATED
    else:
        to_state = settled_state(rectification, timezone.localdate())
    label = Rectification.Decision(decision).label
    return _move(
        rectification,
        actor=actor,
        action="decide_appeal",
        to_state=to_state,
        note=f"{label}：{rectification.decision_note}".rstrip("："),
    )


@transaction.atomic
def flag_overdue(*, today: dt.date | None = None) -> int:
    """超期: mark open rectifications whose callback or reply deadline has passed.

    Called by `chuangkou manage feedback_flag_overdue` (cron) and before the lists are read;
    lists also compute the state lazily, so a missed cron run never hides an overdue item.
    Returns how many were flagged.
    """
    today = today or timezone.localdate()
    late = Rectification.objects.select_for_update().filter(
        state__in=(State.PENDING, State.RECTIFYING)
    )
    flagged = 0
    for rectification in late.filter(
        callback_due__lt=today, callback_at__isnull=True
    ) | late.filter(reply_due__lt=today, callback_at__isnull=False):
        missing = "回访" if rectification.callback_at is None else "整改反馈"
        _move(
            rectification,
            actor=None,
            action="overdue",
            to_state=State.OVERDUE,
            note=f"超过{missing}期限",
        )
        flagged += 1
    return flagged


@transaction.atomic
def escalate_overdue(*, today: dt.date | None = None) -> int:
    """超期上报: flag what is overdue, then escalate every overdue rectification not escalated
    yet to the center admin (its history, the audit log and the admin's overview show it).

    Run by `chuangkou manage feedback_escalate_overdue` (daily, e.g. cron at 08:00; a task
    queue may call it later). Returns how many were escalated now."""
    flag_overdue(today=today)
    now = timezone.now()
    pending = Rectification.objects.select_for_update(of=("self",)).filter(
        state=State.OVERDUE, escalated_at__isnull=True
    )
    escalated = 0
    for rectification in pending.select_related("evaluation__department"):
        rectification.escalated_at = now
        missing = "回访" if rectification.callback_at is None else "整改反馈"
        department = rectification.evaluation.department
        who = department.name if department else "未知部门"
        _move(
            rectification,
            actor=None,
            action="escalate",
            to_state=State.OVERDUE,
            note=f"{who}超过{missing}期限，已上报中心管理员督办",
        )
        escalated += 1
    return escalated
