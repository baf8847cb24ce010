"""Each hall trigger through the log channel: exactly the messages expected, once each."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.hall import notices, services
from chuangkou.hall.models import Appointment, AppointmentSlot, Ticket
from chuangkou.notify import jobs as notify_jobs
from chuangkou.notify import services as notify
from chuangkou.notify.models import Attempt, Message, Subscription

pytestmark = pytest.mark.django_db


def sent(kind=None, channel="log"):
    rows = Message.objects.filter(channel=channel)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("id").values_list("body", flat=True))


def opt_in(ticket, *, phone="13800000006", ahead=3, browser=False):
    subject = notices.resolve_ticket(str(ticket.public_token))
    return notify.subscribe(subject=subject, phone=phone, ahead=ahead, browser=browser)


def call(hall, jobs):
    with jobs():
        return services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)


def finish(ticket, hall):
    services.start_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    services.finish_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)


def test_n_ahead_once_then_called(hall, jobs):
    tickets = [services.issue_ticket(actor=None, queue=hall.queue_a) for _ in range(6)]
    mine = tickets[5]
    opt_in(mine, ahead=3)
    first = call(hall, jobs)  # 4 ahead of A006 now
    assert sent() == []
    finish(first, hall)
    second = call(hall, jobs)  # 3 ahead
    assert sent() == ["您的 A006 号前面还有 3 人，请回到市场监管等候区留意叫号。"]
    for _ in range(3):  # 2, 1, 0 ahead: no second "N ahead"
        finish(second, hall)
        second = call(hall, jobs)
    assert sent("ticket_ahead") == ["您的 A006 号前面还有 3 人，请回到市场监管等候区留意叫号。"]
    finish(second, hall)
    assert call(hall, jobs).pk == mine.pk
    assert sent("ticket_called") == ["请 A006 号到 A01 号窗口办理市场监管业务。"]
    message = Message.objects.get(kind="ticket_called")
    assert message.status == Message.Status.SENT and message.recipient_masked == "138****0006"
    assert Attempt.objects.filter(message=message, ok=True).count() == 1


def test_a_number_given_at_the_lobby_is_told_at_three_ahead(hall, jobs):
    for _ in range(4):
        services.issue_ticket(actor=None, queue=hall.queue_a)
    services.issue_ticket(
        actor=hall.lobby, queue=hall.queue_a, channel="lobby", phone="13900001111"
    )
    services.issue_ticket(actor=None, queue=hall.queue_a)  # no number: never told
    call(hall, jobs)
    assert sent() == ["您的 A005 号前面还有 3 人，请回到市场监管等候区留意叫号。"]
    assert Message.objects.get().recipient == "13900001111"


def test_opting_out_stops_everything_and_wipes_the_number(hall, jobs):
    tickets = [services.issue_ticket(actor=None, queue=hall.queue_a) for _ in range(3)]
    opt_in(tickets[2], ahead=5)
    notify.unsubscribe(subject=notices.resolve_ticket(str(tickets[2].public_token)))
    call(hall, jobs)
    assert sent() == []
    assert Subscription.objects.get().phone == ""


def test_the_page_notice_waits_for_the_open_page(hall, jobs):
    tickets = [services.issue_ticket(actor=None, queue=hall.queue_a) for _ in range(4)]
    opt_in(tickets[3], phone="", ahead=2, browser=True)
    call(hall, jobs)
    subject = notices.resolve_ticket(str(tickets[3].public_token))
    shown = notify.take_browser_notices(subject=subject)
    assert [m.body for m in shown] == ["您的 A004 号前面还有 2 人，请回到市场监管等候区留意叫号。"]
    assert notify.take_browser_notices(subject=subject) == []  # shown once
    assert Message.objects.get().status == Message.Status.SENT


def test_transfer_moves_the_opt_in_and_tells_the_new_number(hall, jobs):
    ticket = services.issue_ticket(actor=None, queue=hall.queue_a)
    services.issue_ticket(actor=None, queue=hall.queue_b)
    opt_in(ticket, ahead=1)
    called = call(hall, jobs)
    with jobs():
        new = services.transfer_ticket(
            actor=hall.clerk_a1, ticket=called, window=hall.w_a01, target_queue=hall.queue_b
        )
    assert sent("ticket_transferred") == ["您的号已转至人力社保，新号码 B002，前面还有 0 人。"]
    assert Subscription.objects.get().subject_id == new.pk


def test_last_call_once_the_recalls_allow_a_no_show(hall, jobs):
    ticket = services.issue_ticket(
        actor=hall.lobby, queue=hall.queue_a, channel="lobby", phone="13900002222"
    )
    call(hall, jobs)
    for _ in range(4):
        with jobs():
            services.recall_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert sent("ticket_last_call") == ["A001 号已重呼 3 次，请尽快到 A01 号窗口，否则将过号。"]


def _slot(hall, day, start, end):
    return AppointmentSlot.objects.create(
        queue=hall.queue_a, date=day, start=start, end=end, capacity=5
    )


def test_booking_confirmation_and_reminders_once_each(hall, jobs, settings):
    settings.NOTIFY_QUIET_HOURS = (0, 0)  # never quiet here; see the quiet-hours test
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    slot = _slot(hall, tomorrow, dt.time(9, 0), dt.time(9, 30))
    with jobs():
        booked = services.book_appointment(slot=slot, phone="13700001234")
    assert sent() == [
        f"您已预约{tomorrow.month}月{tomorrow.day}日 09:00的市场监管，签到码 {booked.code}，"
        "请按时到中心签到。"
    ]
    for _ in range(2):
        with jobs():
            notices.appointment_reminders.enqueue()
    assert sent("appointment_day_before") == [
        f"提醒：您明天 09:00 预约了市场监管，签到码 {booked.code}，请按时到中心签到。"
    ]
    Appointment.objects.filter(pk=booked.pk).update(slot=_soon_slot(hall))
    with jobs():
        notices.appointment_reminders.enqueue()
    assert len(sent("appointment_hour_before")) == 1


def _soon_slot(hall):
    now = timezone.localtime()
    if now.hour >= 23:
        pytest.skip("no slot within the hour that stays today")
    start = (now + dt.timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    end = (now + dt.timedelta(minutes=50)).time().replace(second=0, microsecond=0)
    if end <= start:
        pytest.skip("the slot would cross midnight")
    return _slot(hall, now.date(), start, end)


def test_quiet_hours_defer_reminders_to_the_morning(hall, jobs, settings):
    hour = timezone.localtime().hour
    settings.NOTIFY_QUIET_HOURS = (hour, (hour + 1) % 24)  # quiet now
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    slot = _slot(hall, tomorrow, dt.time(9, 0), dt.time(9, 30))
    with jobs():
        services.book_appointment(slot=slot, phone="13700001234")
        notices.appointment_reminders.enqueue()
    confirmation = Message.objects.get(kind="appointment_confirmed")
    reminder = Message.objects.get(kind="appointment_day_before")
    assert confirmation.status == Message.Status.SENT  # not a reminder: sent at once
    assert reminder.status == Message.Status.PENDING and reminder.deferred_reason == "夜间免打扰"
    assert reminder.next_attempt_at > timezone.now()
    settings.NOTIFY_QUIET_HOURS = (0, 0)  # morning came
    Message.objects.filter(pk=reminder.pk).update(next_attempt_at=timezone.now())
    with jobs():
        notify_jobs.deliver_due.enqueue()
    reminder.refresh_from_db()
    assert reminder.status == Message.Status.SENT


def test_quiet_hours_window():
    tz = timezone.get_current_timezone()
    evening = dt.datetime(2026, 3, 2, 22, 30, tzinfo=tz)
    assert notify.in_quiet_hours(evening) == dt.datetime(2026, 3, 3, 8, 0, tzinfo=tz)
    early = dt.datetime(2026, 3, 3, 6, 0, tzinfo=tz)
    assert notify.in_quiet_hours(early) == dt.datetime(2026, 3, 3, 8, 0, tzinfo=tz)
    assert notify.in_quiet_hours(dt.datetime(2026, 3, 3, 12, 0, tzinfo=tz)) is None


def test_per_number_limit_defers_the_rest(hall, jobs, settings):
    settings.NOTIFY_PER_NUMBER_PER_HOUR = 2
    tickets = [
        services.issue_ticket(actor=hall.lobby, queue=hall.queue_a, channel="lobby", phone=p)
        for p in ["13900003333"] * 4
    ]
    with jobs():
        for ticket in tickets:
            notices._send_ticket("ticket_ahead", ticket, {"number": ticket.number})
    statuses = list(Message.objects.order_by("id").values_list("status", "deferred_reason"))
    assert statuses[:2] == [("sent", "")] * 2
    assert statuses[2:] == [("pending", "超过每号码发送频次")] * 2


def test_deleting_the_ticket_deletes_the_number(hall, jobs):
    ticket = services.issue_ticket(actor=None, queue=hall.queue_a)
    opt_in(ticket, ahead=1)
    with jobs():
        notices._send_ticket("ticket_ahead", ticket, {"number": ticket.number})
    ticket.events.all().delete()
    Ticket.objects.filter(pk=ticket.pk).delete()
    assert not Subscription.objects.exists()
    assert Message.objects.get().recipient == ""
