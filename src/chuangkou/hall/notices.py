"""The hall's notifications (built here, sent by notify): "N ahead of you", "please go to window
C08", transfers, the last call after recalls; booking confirmation and reminders.

The hooks in the hall's services are one line each and only queue a job (one row with the
database backend): the positions are computed off the request path, by the job.
"""

import datetime as dt
import uuid

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from chuangkou.notify import jobs
from chuangkou.notify import services as notify
from chuangkou.notify.models import Message, Subscription
from chuangkou.notify.registry import SubjectRef, register_figures, register_subject

from .models import Appointment, Ticket

TICKET, APPOINTMENT = "ticket", "appointment"
DEFAULT_AHEAD = 3  # a number given at the lobby ("仅用于通知") is told at 3 ahead
LOOK_AHEAD = 20  # the longest N a person can choose


# -- subjects ----------------------------------------------------------------------------------


def _token(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def resolve_ticket(token: str) -> SubjectRef | None:
    from .selectors import public_ticket

    progress = public_ticket(token) if _token(token) else None
    if progress is None:
        return None
    ticket = progress.ticket
    return SubjectRef(
        kind=TICKET,
        id=ticket.pk,
        center_id=ticket.queue.center_id,
        label=f"{ticket.number} 号",
        page_url=reverse("hall:follow", args=[token]),
        is_open=ticket.status == Ticket.Status.WAITING
        and ticket.service_date == timezone.localdate(),
        phone=ticket.phone,
    )


def resolve_appointment(token: str) -> SubjectRef | None:
    key = _token(token)
    found = (
        Appointment.objects.select_related("slot__queue").filter(public_token=key).first()
        if key
        else None
    )
    if found is None:
        return None
    return SubjectRef(
        kind=APPOINTMENT,
        id=found.pk,
        center_id=found.slot.queue.center_id,
        label=f"{found.slot.date:%m月%d日} {found.slot.start:%H:%M} 的预约",
        page_url=reverse("hall:appointment", args=[token]),
        is_open=found.status == Appointment.Status.BOOKED
        and found.slot.date >= timezone.localdate(),
        phone=found.phone,
    )


register_subject(TICKET, resolve_ticket)
register_subject(APPOINTMENT, resolve_appointment)


@receiver(post_delete, sender=Ticket, dispatch_uid="hall.notices.ticket_deleted")
def _ticket_deleted(sender, instance, **kwargs):
    notify.forget_subjects(TICKET, [instance.pk])


@receiver(post_delete, sender=Appointment, dispatch_uid="hall.notices.appointment_deleted")
def _appointment_deleted(sender, instance, **kwargs):
    notify.forget_subjects(APPOINTMENT, [instance.pk])


# -- hooks (one line in the services) -----------------------------------------------------------


CALL_AUDIENCE_SQL = """({row}.phone <> ''
  OR EXISTS (SELECT 1 FROM {subscriptions} s WHERE s.subject_kind = '{kind}'
             AND s.subject_id = {row}.id AND s.is_active)
  OR EXISTS (
    SELECT 1 FROM (SELECT n.id, n.phone FROM {tickets} n
                   WHERE n.queue_id = {row}.queue_id AND n.service_date = {row}.service_date
                     AND n.status = '{waiting}'
                   ORDER BY n.priority DESC, n.issued_at, n.id LIMIT {look}) n
    WHERE n.phone <> '' OR EXISTS (SELECT 1 FROM {subscriptions} s WHERE s.subject_kind = '{kind}'
                                   AND s.subject_id = n.id AND s.is_active)))"""


def call_audience_sql(row: str) -> str:
    """SQL of a boolean for the statement that calls the ticket `row`: whether anyone could be
    told, i.e. the called ticket or one of the first waiting ones after it (the statement may
    still see the called ticket as waiting, hence one more) has a phone or an active opt-in.
    `after_call` tells nobody else, so when this is false the call queues no job."""
    return CALL_AUDIENCE_SQL.format(
        tickets=Ticket._meta.db_table,
        subscriptions=Subscription._meta.db_table,
        row=row,
        waiting=Ticket.Status.WAITING,
        kind=TICKET,
        look=LOOK_AHEAD + 2,  # the called ticket and the LOOK_AHEAD + 1 that after_call reads
    )


def ticket_called(ticket: Ticket, *, anyone_to_tell: bool = True) -> None:
    if anyone_to_tell:
        jobs.enqueue(after_call, ticket.pk)


def ticket_recalled(ticket: Ticket) -> None:
    jobs.enqueue(after_recall, ticket.pk)


def ticket_transferred(old_ticket: Ticket) -> None:
    jobs.enqueue(after_transfer, old_ticket.pk)


def appointment_booked(appointment: Appointment) -> None:
    jobs.enqueue(after_booking, appointment.pk)


# -- jobs --------------------------------------------------------------------------------------


def _send_ticket(kind: str, ticket: Ticket, fields: dict) -> list[Message]:
    return notify.notify_phone(
        kind,
        phone=ticket.phone,
        subject_kind=TICKET,
        subject_id=ticket.pk,
        fields=fields,
        center_id=ticket.queue.center_id,
    )


def notify_ahead(queue_id: int, day: dt.date) -> int:
    """Tell each waiting ticket of the queue that is now within its N (once per ticket)."""
    waiting = list(
        Ticket.objects.filter(queue_id=queue_id, service_date=day, status=Ticket.Status.WAITING)
        .select_related("queue")
        .order_by("-priority", "issued_at", "id")[: LOOK_AHEAD + 1]
    )
    ids = [t.pk for t in waiting]
    subscriptions = {
        s.subject_id: s
        for s in Subscription.objects.filter(subject_kind=TICKET, subject_id__in=ids).order_by(
            "is_active"
        )
    }
    sent = 0
    for ahead, ticket in enumerate(waiting):
        subscription = subscriptions.get(ticket.pk)
        if subscription is not None and not subscription.is_active:
            continue  # opted out
        limit = subscription.ahead if subscription else (DEFAULT_AHEAD if ticket.phone else -1)
        if ahead <= limit:
            fields = {"number": ticket.number, "ahead": ahead, "queue": ticket.queue.name}
            sent += len(_send_ticket("ticket_ahead", ticket, fields))
    return sent


@task(queue_name="notify")
def after_call(ticket_id: int) -> int:
    """A ticket was called: tell its holder where to go, then those now within their N."""
    ticket = Ticket.objects.select_related("queue", "window").filter(pk=ticket_id).first()
    if ticket is None:
        return 0
    sent = 0
    if ticket.window_id:
        fields = {
            "number": ticket.number,
            "window": ticket.window.number,
            "queue": ticket.queue.name,
        }
        sent += len(_send_ticket("ticket_called", ticket, fields))
    return sent + notify_ahead(ticket.queue_id, ticket.service_date)


@task(queue_name="notify")
def after_recall(ticket_id: int) -> int:
    """The last recall before the window may mark the number 过号: a last call."""
    from .selectors import settings_for

    ticket = Ticket.objects.select_related("queue__center", "window").filter(pk=ticket_id).first()
    if ticket is None or ticket.status != Ticket.Status.CALLED or not ticket.window_id:
        return 0
    if ticket.recall_count < settings_for(ticket.queue.center).max_recalls:
        return 0
    fields = {
        "number": ticket.number,
        "recalls": ticket.recall_count,
        "window": ticket.window.number,
    }
    return len(_send_ticket("ticket_last_call", ticket, fields))


@task(queue_name="notify")
def after_transfer(old_ticket_id: int) -> int:
    """The opt-in follows the person to the new number; they are told the new number."""
    from .selectors import people_ahead

    ticket = (
        Ticket.objects.select_related("queue").filter(transferred_from_id=old_ticket_id).first()
    )
    if ticket is None:
        return 0
    Subscription.objects.filter(subject_kind=TICKET, subject_id=ticket.transferred_from_id).update(
        subject_id=ticket.pk
    )
    fields = {"queue": ticket.queue.name, "number": ticket.number, "ahead": people_ahead(ticket)}
    return len(_send_ticket("ticket_transferred", ticket, fields))


def _appointment_fields(appointment: Appointment) -> dict:
    slot = appointment.slot
    return {
        "date": f"{slot.date.month}月{slot.date.day}日",
        "time": f"{slot.start:%H:%M}",
        "queue": slot.queue.name,
        "code": appointment.code,
    }


def _send_appointment(kind: str, appointment: Appointment) -> list[Message]:
    return notify.notify_phone(
        kind,
        phone=appointment.phone,
        subject_kind=APPOINTMENT,
        subject_id=appointment.pk,
        fields=_appointment_fields(appointment),
        center_id=appointment.slot.queue.center_id,
    )


@task(queue_name="notify")
def after_booking(appointment_id: int) -> int:
    found = Appointment.objects.select_related("slot__queue").filter(pk=appointment_id).first()
    if found is None or found.status != Appointment.Status.BOOKED:
        return 0
    return len(_send_appointment("appointment_confirmed", found))


def slot_cancelled(appointment: Appointment) -> int:
    """The center withdrew the slot of a booking."""
    return len(_send_appointment("appointment_slot_cancelled", appointment))


@task(queue_name="notify")
def appointment_reminders() -> int:
    """Periodic (every 10 minutes): the day-before reminder of tomorrow's bookings, and the
    hour-before one of bookings starting within the hour. Quiet hours hold the first until 8:00;
    the deduplication key makes each go out once however often this runs."""
    now = timezone.localtime()
    today = now.date()
    booked = Appointment.objects.filter(status=Appointment.Status.BOOKED).select_related(
        "slot__queue"
    )
    sent = 0
    for found in booked.filter(slot__date=today + dt.timedelta(days=1)):
        sent += len(_send_appointment("appointment_day_before", found))
    soon = booked.filter(
        slot__date=today,
        slot__start__gt=now.time(),
        slot__start__lte=(now + dt.timedelta(hours=1)).time(),
    )
    if (now + dt.timedelta(hours=1)).date() != today:  # after 23:00: the rest of the day
        soon = booked.filter(slot__date=today, slot__start__gt=now.time())
    for found in soon:
        sent += len(_send_appointment("appointment_hour_before", found))
    return sent


# -- figures -----------------------------------------------------------------------------------


def no_show_figures(start: dt.date, end: dt.date) -> list[tuple[str, int, int]]:
    """(group, called tickets, no-shows) for tickets with a notice sent vs without."""
    tickets = Ticket.objects.filter(
        service_date__gte=start,
        service_date__lte=end,
        status__in=(Ticket.Status.DONE, Ticket.Status.NO_SHOW, Ticket.Status.TRANSFERRED),
    )
    notified = Message.objects.filter(
        subject_kind=TICKET, status=Message.Status.SENT, kind__in=("ticket_ahead", "ticket_called")
    ).values("subject_id")
    rows = []
    for label, qs in (
        ("收到提醒的号", tickets.filter(pk__in=notified)),
        ("未收到提醒的号", tickets.exclude(pk__in=notified)),
    ):
        rows.append((label, qs.count(), qs.filter(status=Ticket.Status.NO_SHOW).count()))
    return rows


register_figures(no_show_figures)
