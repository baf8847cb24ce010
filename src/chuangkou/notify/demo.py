"""Demo part of notify: opt-ins on some of today's waiting tickets and bookings, the log of what
was sent about the past days' tickets (the log channel: nothing leaves the machine), and the
notices of today's queues as the call-next jobs would have written them."""

import datetime as dt
import random

from django.db.models import Q
from django.utils import timezone

from chuangkou.core.masking import mask_phone

from . import services, templates_db
from .catalog import render
from .models import Attempt, Message, Subscription, Template

SEED = 13
APPROVED = {"ticket_ahead": "SMS_468201731", "ticket_called": "SMS_468201732"}


def _history(rng: random.Random) -> int:
    """Log messages of the past days: the tickets that left a number were told at 3 ahead and
    when called (delivered: the log channel)."""
    from chuangkou.hall.models import Ticket

    today = timezone.localdate()
    tickets = list(
        Ticket.objects.filter(
            service_date__lt=today, service_date__gte=today - dt.timedelta(days=14)
        )
        .exclude(phone="")
        .exclude(called_at=None)
        .select_related("queue", "window")
        .order_by("id")[:400]
    )
    rows, stamps = [], []
    for t in tickets:
        fields_called = {
            "number": t.number,
            "window": t.window.number if t.window else "",
            "queue": t.queue.name,
        }
        fields_ahead = {"number": t.number, "ahead": 3, "queue": t.queue.name}
        ahead_at = max(t.issued_at, t.called_at - dt.timedelta(minutes=rng.randint(6, 25)))
        for kind, fields, at in (
            ("ticket_ahead", fields_ahead, ahead_at),
            ("ticket_called", fields_called, t.called_at),
        ):
            rows.append(
                Message(
                    kind=kind,
                    channel=Message.Channel.LOG,
                    center_id=t.queue.center_id,
                    subject_kind="ticket",
                    subject_id=t.pk,
                    recipient=t.phone,
                    recipient_masked=mask_phone(t.phone),
                    fields={k: str(v) for k, v in fields.items()},
                    body=render(kind, fields),
                    dedup_key=f"ticket:{t.pk}:{kind}:log",
                    status=Message.Status.SENT,
                    attempts=1,
                    next_attempt_at=at,
                    sent_at=at,
                    outcome="已记录（演示渠道，未实际发送）",
                )
            )
            stamps.append(at)
    created = Message.objects.bulk_create(rows)
    if any(m.pk is None for m in created):
        ids = dict(Message.objects.values_list("dedup_key", "pk"))
        for m in created:
            m.pk = ids[m.dedup_key]
    Attempt.objects.bulk_create(
        Attempt(message_id=m.pk, at=at, ok=True, detail=m.outcome, duration_ms=rng.randint(1, 5))
        for m, at in zip(created, stamps, strict=True)
    )
    for m, at in zip(created, stamps, strict=True):  # created_at is set on insert: back-date it
        m.created_at = at
    Message.objects.bulk_update(created, ["created_at"], batch_size=500)
    return len(created)


def _opt_ins(rng: random.Random) -> int:
    from chuangkou.hall import notices
    from chuangkou.hall.models import Appointment, Ticket

    today = timezone.localdate()
    waiting = list(
        Ticket.objects.filter(service_date=today, status=Ticket.Status.WAITING)
        .select_related("queue")
        .order_by("id")
    )
    chosen = rng.sample(waiting, min(8, len(waiting)))
    for i, ticket in enumerate(chosen):
        phone = f"13{rng.randint(5, 9)}{rng.randint(0, 99_999_999):08d}"
        Subscription.objects.create(
            subject_kind="ticket",
            subject_id=ticket.pk,
            center_id=ticket.queue.center_id,
            phone="" if i % 4 == 3 else phone,
            ahead=(3, 3, 5, 2)[i % 4],
            browser=i % 2 == 1,
        )
    booked = Appointment.objects.filter(status=Appointment.Status.BOOKED).select_related(
        "slot__queue"
    )
    for appointment in booked.order_by("id")[:4]:
        Subscription.objects.create(
            subject_kind="appointment",
            subject_id=appointment.pk,
            center_id=appointment.slot.queue.center_id,
            phone=appointment.phone,
            browser=True,
        )
    # today's notices, as the jobs after each call would have written them
    for queue_id in {t.queue_id for t in waiting}:
        notices.notify_ahead(queue_id, today)
    for appointment in booked.order_by("id")[:6]:
        notices._send_appointment("appointment_confirmed", appointment)
    due = Message.objects.filter(status=Message.Status.PENDING).filter(
        ~Q(channel=Message.Channel.BROWSER)
    )
    for message_id in due.values_list("pk", flat=True):
        services.deliver(message_id)
    return len(chosen)


def load() -> None:
    from chuangkou.hall.models import Ticket

    if not Ticket.objects.exists():
        return
    rng = random.Random(SEED)
    templates_db.ensure_all()
    now = timezone.now()
    for code, gateway in APPROVED.items():
        Template.objects.filter(code=code).update(
            approved=True, approved_at=now, gateway_code=gateway
        )
    _history(rng)
    _opt_ins(rng)
