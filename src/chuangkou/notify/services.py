"""Notification writes: opt-in and opt-out, the outbox (one message per channel), delivery.

Callers (the apps' notices.py) only write outbox rows or queue one job; the gateway is called by
a job, so a slow or broken gateway never blocks issuing a ticket or accepting a case.
Each message has a deduplication key (unique): a ticket never gets "you are third" twice, even
when two clerks call at the same instant and two jobs race to write it.
"""

import datetime as dt
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.core.masking import mask_phone
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role
from chuangkou.core.validators import validate_mobile

from . import channels, templates_db
from .catalog import TEMPLATES, render
from .models import Attempt, Message, PushEndpoint, Subscription
from .registry import SubjectRef

ADMINS = (Role.CENTER_ADMIN, Role.SYSADMIN)
PHONE_CHANNELS = (Message.Channel.LOG, Message.Channel.SMS)
NEEDS_APPROVAL = (Message.Channel.SMS, Message.Channel.WECHAT)


def _setting(name: str, default):
    return getattr(settings, name, default)


# -- opt-in ------------------------------------------------------------------------------------


@transaction.atomic
def subscribe(
    *, subject: SubjectRef, phone: str = "", ahead: int = 3, browser: bool = False
) -> Subscription:
    """通知登记 on the ticket's phone page or the booking page (no login: the page's link is
    the proof). A new opt-in replaces the previous one of the same subject."""
    if not subject.is_open:
        raise DomainError("该号或预约已结束，无需再登记通知。")
    phone = validate_mobile(phone)
    if not phone and not browser:
        raise DomainError("请填写手机号，或开启浏览器通知。", field="phone")
    if not isinstance(ahead, int) or not 1 <= ahead <= 20:
        raise DomainError("提前提醒人数应在 1 到 20 之间。", field="ahead")
    current = (
        Subscription.objects.select_for_update()
        .filter(subject_kind=subject.kind, subject_id=subject.id, is_active=True)
        .first()
    )
    if current is None:
        current = Subscription(subject_kind=subject.kind, subject_id=subject.id)
    current.center_id = subject.center_id
    current.phone, current.ahead, current.browser = phone, ahead, browser
    current.save()
    audit.record(
        actor=None,
        action="notify.subscribe",
        obj=current,
        after={
            "subject": f"{subject.kind}:{subject.id}",
            "phone": mask_phone(phone),
            "ahead": ahead,
            "browser": browser,
        },
    )
    return current


@transaction.atomic
def unsubscribe(*, subject: SubjectRef) -> int:
    """退订: the number is wiped at once; what was sent stays recorded, masked."""
    found = Subscription.objects.filter(
        subject_kind=subject.kind, subject_id=subject.id, is_active=True
    )
    ids = list(found.values_list("pk", flat=True))
    if not ids:  # the number given when taking the ticket or booking: remember the refusal
        refusal = Subscription.objects.create(
            subject_kind=subject.kind,
            subject_id=subject.id,
            center_id=subject.center_id,
            is_active=False,
            cancelled_at=timezone.now(),
        )
        ids = [refusal.pk]
    found.update(is_active=False, phone="", wechat_openid="", cancelled_at=timezone.now())
    PushEndpoint.objects.filter(subscription_id__in=ids).delete()
    Message.objects.filter(subscription_id__in=ids, status=Message.Status.PENDING).update(
        status=Message.Status.FAILED, outcome="已退订，不再发送", recipient=""
    )
    audit.record(
        actor=None,
        action="notify.unsubscribe",
        object_type="notify.subscription",
        object_id=str(ids[0]),
        after={"subject": f"{subject.kind}:{subject.id}"},
    )
    return len(ids)


def forget_subjects(kind: str, ids) -> None:
    """The subject's data is deleted: its opt-ins and every stored number go with it."""
    ids = list(ids)
    Subscription.objects.filter(subject_kind=kind, subject_id__in=ids).delete()
    Message.objects.filter(subject_kind=kind, subject_id__in=ids).update(recipient="")


@transaction.atomic
def add_push_endpoint(*, subject: SubjectRef, endpoint: str, p256dh: str, auth: str):
    subscription = Subscription.objects.filter(
        subject_kind=subject.kind, subject_id=subject.id, is_active=True, browser=True
    ).first()
    if subscription is None:
        raise DomainError("请先开启浏览器通知。")
    if not endpoint.startswith("https://") or len(endpoint) > 500:
        raise DomainError("推送地址无效。", field="endpoint")
    if not (0 < len(p256dh) <= 200 and 0 < len(auth) <= 100):
        raise DomainError("推送密钥无效。", field="keys")
    row, _ = PushEndpoint.objects.update_or_create(
        subscription=subscription, endpoint=endpoint, defaults={"p256dh": p256dh, "auth": auth}
    )
    return row


# -- the outbox --------------------------------------------------------------------------------


def _channels_for(subscription: Subscription | None, phone: str) -> list[tuple[str, str]]:
    """(channel, recipient) pairs of one message."""
    out = []
    for code in channels.enabled():
        if code in PHONE_CHANNELS and phone:
            out.append((code, phone))
        elif code == Message.Channel.WECHAT and subscription and subscription.wechat_openid:
            out.append((code, subscription.wechat_openid))
        elif code == Message.Channel.BROWSER and subscription and subscription.browser:
            out.append((code, ""))
        elif code == Message.Channel.WEBPUSH and subscription and subscription.browser:
            if subscription.push_endpoints.exists():
                out.append((code, ""))
    return out


def _write(
    kind,
    pairs,
    *,
    base_key,
    fields,
    center_id,
    subject_kind="",
    subject_id=None,
    subscription=None,
    user=None,
) -> list[Message]:
    body = render(kind, fields)
    spec = TEMPLATES[kind]
    clipped = {k: v for k, v in fields.items() if k in spec.fields}
    now = timezone.now()
    written = []
    for code, recipient in pairs:
        message = Message(
            kind=kind,
            channel=code,
            center_id=center_id,
            subject_kind=subject_kind,
            subject_id=subject_id,
            subscription=subscription,
            user=user,
            recipient=recipient,
            recipient_masked=mask_phone(recipient) if code in PHONE_CHANNELS else "",
            fields={k: str(v) for k, v in clipped.items()},
            body=body,
            dedup_key=f"{base_key}:{code}"[:120],
            next_attempt_at=now,
        )
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:  # sent (or being sent) already: once each
            continue
        written.append(message)
    if written:
        from . import jobs

        jobs.enqueue(jobs.deliver_messages, [m.pk for m in written])
    return written


def notify_subject(
    kind: str, *, subject_kind: str, subject_id: int, fields: dict, key: str = ""
) -> list[Message]:
    """Outbox rows for the person who opted in on this subject (none when nobody did)."""
    subscription = Subscription.objects.filter(
        subject_kind=subject_kind, subject_id=subject_id, is_active=True
    ).first()
    if subscription is None:
        return []
    return _write(
        kind,
        _channels_for(subscription, subscription.phone),
        base_key=f"{subject_kind}:{subject_id}:{kind}{':' + key if key else ''}",
        fields=fields,
        center_id=subscription.center_id,
        subject_kind=subject_kind,
        subject_id=subject_id,
        subscription=subscription,
    )


def notify_phone(
    kind: str,
    *,
    phone: str,
    subject_kind: str,
    subject_id: int,
    fields: dict,
    center_id: int | None = None,
    key: str = "",
) -> list[Message]:
    """A message to the number the person gave for this subject (a booking, a case), without a
    separate opt-in: giving the number for notices was the opt-in; opting out stops it."""
    rows = Subscription.objects.filter(subject_kind=subject_kind, subject_id=subject_id)
    subscription = rows.filter(is_active=True).first()
    if subscription is None and rows.exists():
        return []  # opted out
    phone = subscription.phone if subscription else phone
    if not phone and subscription is None:
        return []
    return _write(
        kind,
        _channels_for(subscription, phone),
        base_key=f"{subject_kind}:{subject_id}:{kind}{':' + key if key else ''}",
        fields=fields,
        center_id=center_id if center_id is not None else getattr(subscription, "center_id", None),
        subject_kind=subject_kind,
        subject_id=subject_id,
        subscription=subscription,
    )


def notify_user(
    kind: str, *, user, phone: str = "", fields: dict, key: str = "", center_id: int | None = None
) -> list[Message]:
    """A staff notice (exam, grading task, finding, overdue rectification): the log channel
    records it, SMS sends it when the staff record has a number."""
    pairs = []
    for code in channels.enabled():
        if code == Message.Channel.LOG or (code == Message.Channel.SMS and phone):
            pairs.append((code, phone))
    return _write(
        kind,
        pairs,
        base_key=f"user:{user.pk}:{kind}{':' + key if key else ''}",
        fields=fields,
        center_id=center_id,
        user=user,
    )


# -- delivery ----------------------------------------------------------------------------------


def in_quiet_hours(now: dt.datetime) -> dt.datetime | None:
    """The morning to defer to when `now` falls in the quiet hours, else None."""
    start, end = _setting("NOTIFY_QUIET_HOURS", (21, 8))
    local = timezone.localtime(now)
    if start > end:
        quiet = local.hour >= start or local.hour < end
    else:
        quiet = start <= local.hour < end
    if not quiet:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += dt.timedelta(days=1)
    return morning


def _over_rate(message: Message, now) -> bool:
    """Per-number limit: at most NOTIFY_PER_NUMBER_PER_HOUR messages sent to one number an hour."""
    if message.channel not in PHONE_CHANNELS or not message.recipient:
        return False
    limit = _setting("NOTIFY_PER_NUMBER_PER_HOUR", 6)
    sent = Message.objects.filter(
        recipient=message.recipient,
        channel=message.channel,
        status=Message.Status.SENT,
        sent_at__gte=now - dt.timedelta(hours=1),
    ).count()
    return sent >= limit


def backoff(attempts: int) -> dt.timedelta:
    base = _setting("NOTIFY_BACKOFF_SECONDS", 30)
    return dt.timedelta(seconds=base * 2 ** max(0, attempts - 1))


LEASE = dt.timedelta(minutes=2)  # a message being sent is not picked up again meanwhile


def _claim(message_id: int) -> Message | None:
    now = timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("subscription")
            .filter(pk=message_id, status=Message.Status.PENDING, next_attempt_at__lte=now)
            .exclude(channel=Message.Channel.BROWSER)
            .first()
        )
        if message is None:
            return None
        if message.channel in NEEDS_APPROVAL and not templates_db.template(message.kind).approved:
            message.status = Message.Status.HELD
            message.outcome = "模板尚未审批，暂不发送"
            message.save(update_fields=["status", "outcome"])
            return None
        if TEMPLATES[message.kind].reminder and (morning := in_quiet_hours(now)):
            message.next_attempt_at, message.deferred_reason = morning, "夜间免打扰"
            message.save(update_fields=["next_attempt_at", "deferred_reason"])
            return None
        if _over_rate(message, now):
            message.next_attempt_at = now + dt.timedelta(minutes=30)
            message.deferred_reason = "超过每号码发送频次"
            message.save(update_fields=["next_attempt_at", "deferred_reason"])
            return None
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        message.save(update_fields=["attempts", "next_attempt_at"])
        return message


def deliver(message_id: int) -> str:
    """Send one message if it is due: claim it (short transaction), call the channel outside
    any transaction, record the attempt; a failure is retried with exponential backoff."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    started = time.monotonic()
    try:
        result = channels.channel(message.channel).send(message)
    except Exception as exc:  # noqa: BLE001 - a channel bug must not lose the message
        result = channels.Result(False, f"渠道异常：{type(exc).__name__}")
    elapsed = int((time.monotonic() - started) * 1000)
    now = timezone.now()
    with transaction.atomic():
        Attempt.objects.create(
            message=message, at=now, ok=result.ok, detail=result.detail[:200], duration_ms=elapsed
        )
        if result.ok:
            message.status, message.sent_at = Message.Status.SENT, now
            message.deferred_reason = ""
        elif not result.retry or message.attempts >= _setting("NOTIFY_MAX_ATTEMPTS", 5):
            message.status = Message.Status.FAILED
        else:
            message.next_attempt_at = now + backoff(message.attempts)
        message.outcome = result.detail[:200]
        message.save(
            update_fields=["status", "sent_at", "outcome", "next_attempt_at", "deferred_reason"]
        )
    return message.status


def due_message_ids(limit: int = 200) -> list[int]:
    return list(
        Message.objects.filter(status=Message.Status.PENDING, next_attempt_at__lte=timezone.now())
        .exclude(channel=Message.Channel.BROWSER)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def take_browser_notices(*, subject: SubjectRef) -> list[Message]:
    """The page notices of a subject not yet shown; marked as delivered as they are handed out."""
    rows = list(
        Message.objects.select_for_update()
        .filter(
            subject_kind=subject.kind,
            subject_id=subject.id,
            channel=Message.Channel.BROWSER,
            status=Message.Status.PENDING,
        )
        .order_by("created_at", "id")
    )
    if rows:
        now = timezone.now()
        Message.objects.filter(pk__in=[m.pk for m in rows]).update(
            status=Message.Status.SENT, sent_at=now, attempts=1, outcome="页面已显示"
        )
        Attempt.objects.bulk_create(
            [Attempt(message=m, at=now, ok=True, detail="页面已显示") for m in rows]
        )
    return rows


# -- templates ---------------------------------------------------------------------------------


@transaction.atomic
def approve_template(*, actor, code: str, gateway_code: str, approved: bool = True):
    """记录网关审批: the template's code at the SMS platform, approved (or withdrawn)."""
    require_role(actor, *ADMINS)
    row = templates_db.template(code)
    gateway_code = (gateway_code or "").strip()
    if approved and not gateway_code:
        raise DomainError("请填写短信平台审批通过的模板编号。", field="gateway_code")
    if len(gateway_code) > 60:
        raise DomainError("模板编号过长。", field="gateway_code")
    before = {"approved": row.approved, "gateway_code": row.gateway_code}
    row.approved, row.gateway_code = approved, gateway_code
    row.approved_at = timezone.now() if approved else None
    row.save()
    if approved:  # messages held for this template go out now
        Message.objects.filter(kind=code, status=Message.Status.HELD).update(
            status=Message.Status.PENDING, next_attempt_at=timezone.now(), outcome=""
        )
    audit.record(
        actor=actor,
        action="notify.template_approve",
        obj=row,
        before=before,
        after={"approved": approved, "gateway_code": gateway_code},
    )
    return row
