"""The hall services: issuing, the window actions, transfers, appointments, settings."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.catalog.models import Matter
from chuangkou.core.calendar import is_working_day
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.hall import selectors, services
from chuangkou.hall.models import (
    Appointment,
    AppointmentSlot,
    HallSettings,
    QueueCounter,
    ServiceQueue,
    Ticket,
    TicketEvent,
)
from tests.factories import UserFactory

from .factories import AppointmentFactory, AppointmentSlotFactory, TicketFactory

pytestmark = pytest.mark.django_db

KIOSK = Ticket.Channel.KIOSK
LOBBY = Ticket.Channel.LOBBY


def issue(queue, **kwargs):
    kwargs.setdefault("actor", None)
    return services.issue_ticket(queue=queue, **kwargs)


def kinds(ticket):
    return list(ticket.events.order_by("id").values_list("kind", flat=True))


# -- issuing ----------------------------------------------------------------------------------


def test_numbers_run_per_queue_and_restart_every_day(hall):
    TicketFactory(
        queue=hall.queue_a, service_date=timezone.localdate() - dt.timedelta(days=1), seq=1
    )
    numbers = [issue(hall.queue_a).number for _ in range(3)] + [issue(hall.queue_b).number]
    assert numbers == ["A001", "A002", "A003", "B001"]
    counter = QueueCounter.objects.get(queue=hall.queue_a, service_date=timezone.localdate())
    assert counter.last_seq == 3


def test_kiosk_ticket_has_no_issuer_and_an_issue_event(hall):
    ticket = issue(hall.queue_a)
    assert ticket.channel == KIOSK and ticket.issued_by is None and not ticket.priority
    assert kinds(ticket) == [TicketEvent.Kind.ISSUED]
    assert ticket.status == Ticket.Status.WAITING


def test_lobby_manager_issues_on_behalf_with_green_channel(hall):
    ticket = issue(hall.queue_a, actor=hall.lobby, channel=LOBBY, priority_reason="elderly")
    assert ticket.issued_by == hall.lobby
    assert ticket.priority and ticket.priority_reason == "elderly"
    assert ticket.events.get().actor == hall.lobby
    entry = AuditEntry.objects.get(action="hall.ticket_priority")
    assert entry.after["reason"] == "elderly" and entry.actor == hall.lobby


def test_green_channel_only_through_the_lobby_manager(hall):
    with pytest.raises(PermissionDeniedError, match="绿色通道"):
        issue(hall.queue_a, priority_reason="elderly")
    with pytest.raises(DomainError, match="绿色通道原因") as exc:
        issue(hall.queue_a, actor=hall.lobby, channel=LOBBY, priority_reason="vip")
    assert exc.value.field == "priority_reason"


def test_lobby_issuing_needs_the_role_and_the_center(hall):
    with pytest.raises(PermissionDeniedError):
        issue(hall.queue_a, actor=hall.clerk_a1, channel=LOBBY)
    with pytest.raises(PermissionDeniedError):
        issue(hall.queue_s, actor=hall.lobby, channel=LOBBY)  # lobby01 works at the main center
    assert issue(hall.queue_s, actor=hall.admin, channel=LOBBY).number == "A001"


def test_deactivated_queue_and_bad_input_are_refused(hall):
    hall.queue_a.is_active = False
    hall.queue_a.save()
    with pytest.raises(DomainError, match="暂停取号") as exc:
        issue(hall.queue_a)
    assert exc.value.field == "queue"
    with pytest.raises(DomainError, match="手机号"):
        issue(hall.queue_b, phone="12345")
    with pytest.raises(DomainError, match="取号方式"):
        issue(hall.queue_b, channel="appointment")
    assert not Ticket.objects.exists()


def test_matter_must_be_served_by_the_queue(hall):
    matter = Matter.objects.create(code="M1", name="食品经营许可", department=hall.dept_a)
    with pytest.raises(DomainError, match="不办理") as exc:
        issue(hall.queue_a, matter=matter)
    assert exc.value.field == "matter"
    hall.queue_a.matters.add(matter)
    assert issue(hall.queue_a, matter=matter).matter == matter


def test_a_counter_behind_its_tickets_is_caught_up(hall):
    today = timezone.localdate()
    TicketFactory(queue=hall.queue_a, service_date=today, seq=1, number="A001")
    TicketFactory(queue=hall.queue_a, service_date=today, seq=2, number="A002")
    assert issue(hall.queue_a).number == "A003"


# -- call next and the window actions ---------------------------------------------------------


def test_call_next_takes_priority_first_then_the_oldest_of_the_windows_queues(hall):
    a1 = issue(hall.queue_a)
    b1 = issue(hall.queue_b)
    green = issue(hall.queue_b, actor=hall.lobby, channel=LOBBY, priority_reason="pregnant")
    issue(hall.queue_s)
    order = []
    for _ in range(3):
        ticket = services.call_next_ticket(actor=hall.clerk_t, window=hall.w_t01)
        order.append(ticket.number)
        services.start_ticket(actor=hall.clerk_t, ticket=ticket, window=hall.w_t01)
        services.finish_ticket(actor=hall.clerk_t, ticket=ticket, window=hall.w_t01)
    assert order == [green.number, a1.number, b1.number]
    assert services.call_next_ticket(actor=hall.clerk_t, window=hall.w_t01) is None


def test_call_next_records_window_clerk_time_and_event(hall):
    issue(hall.queue_a)
    ticket = services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    assert ticket.status == Ticket.Status.CALLED
    assert ticket.window == hall.w_a01 and ticket.clerk == hall.a1 and ticket.called_at
    event = ticket.events.get(kind=TicketEvent.Kind.CALLED)
    assert event.window == hall.w_a01 and event.actor == hall.clerk_a1


def test_call_next_only_serves_the_windows_queues_and_today(hall):
    issue(hall.queue_b)
    TicketFactory(queue=hall.queue_a, service_date=timezone.localdate() - dt.timedelta(days=1))
    assert services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01) is None


def test_call_next_at_a_window_that_serves_no_queue_finds_nobody(hall):
    issue(hall.queue_a)
    for queue in ServiceQueue.objects.filter(windows=hall.w_a01):
        queue.windows.remove(hall.w_a01)
    assert services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01) is None


def test_call_next_refuses_while_the_window_has_a_current_ticket(hall):
    issue(hall.queue_a)
    issue(hall.queue_a)
    first = services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    with pytest.raises(DomainError, match=first.number):
        services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)


def test_only_a_clerk_with_a_staff_record_works_a_window_of_their_center(hall, role_user):
    issue(hall.queue_a)
    no_staff = role_user(Role.CLERK)
    with pytest.raises(PermissionDeniedError, match="没有关联窗口人员档案"):
        services.call_next_ticket(actor=no_staff, window=hall.w_a01)
    with pytest.raises(PermissionDeniedError, match="S01"):
        services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_s01)
    with pytest.raises(PermissionDeniedError):
        services.call_next_ticket(actor=hall.admin, window=hall.w_a01)
    hall.w_a01.is_active = False
    hall.w_a01.save()
    with pytest.raises(PermissionDeniedError):
        services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)


def called(hall, queue=None, window=None, user=None):
    issue(queue or hall.queue_a)
    return services.call_next_ticket(actor=user or hall.clerk_a1, window=window or hall.w_a01)


def test_recall_then_no_show_after_the_configured_recalls(hall):
    ticket = called(hall)
    with pytest.raises(DomainError, match="重呼 3 次后") as exc:
        services.mark_no_show(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert exc.value.field == "recall_count"
    for n in (1, 2, 3):
        ticket = services.recall_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
        assert ticket.recall_count == n
    ticket = services.mark_no_show(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert ticket.status == Ticket.Status.NO_SHOW and ticket.finished_at
    assert kinds(ticket)[-1] == TicketEvent.Kind.NO_SHOW


def test_recalls_needed_follow_the_center_settings(hall):
    HallSettings.objects.create(center=hall.main, max_recalls=1)
    ticket = called(hall)
    ticket = services.recall_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    ticket = services.mark_no_show(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert ticket.status == Ticket.Status.NO_SHOW


def test_start_and_finish_and_the_wrong_states(hall):
    ticket = called(hall)
    with pytest.raises(DomainError, match="不能办结"):
        services.finish_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    ticket = services.start_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert ticket.status == Ticket.Status.SERVING and ticket.started_at
    ticket = services.finish_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert ticket.status == Ticket.Status.DONE
    with pytest.raises(DomainError, match="已办结"):
        services.finish_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    with pytest.raises(DomainError, match="不能重呼"):
        services.recall_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert kinds(ticket) == ["issued", "called", "started", "finished"]


def test_a_ticket_of_another_window_cannot_be_finished(hall):
    ticket = called(hall, queue=hall.queue_b, window=hall.w_t01, user=hall.clerk_t)
    services.start_ticket(actor=hall.clerk_t, ticket=ticket, window=hall.w_t01)
    with pytest.raises(DomainError, match="不在 B01 号窗口"):
        services.finish_ticket(actor=hall.clerk_b1, ticket=ticket, window=hall.w_b01)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SERVING


def test_a_ticket_of_another_day_cannot_be_called_or_finished(hall):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    old = TicketFactory(
        queue=hall.queue_a,
        service_date=yesterday,
        status=Ticket.Status.SERVING,
        window=hall.w_a01,
        clerk=hall.a1,
    )
    with pytest.raises(DomainError, match="已失效"):
        services.finish_ticket(actor=hall.clerk_a1, ticket=old, window=hall.w_a01)
    waiting = TicketFactory(queue=hall.queue_a, service_date=yesterday)
    assert services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01) is None
    waiting.refresh_from_db()
    assert waiting.status == Ticket.Status.WAITING
    # yesterday's stale serving ticket does not block today's calls
    today = issue(hall.queue_a)
    assert services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01) == today


def backdate_last(ticket, kind, minutes):
    event = ticket.events.filter(kind=kind).order_by("-id").first()
    TicketEvent.objects.filter(pk=event.pk).update(at=event.at - dt.timedelta(minutes=minutes))


def test_service_time_leaves_out_the_parked_stretch(hall):
    ticket = called(hall)
    ticket = services.start_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    backdate_last(ticket, TicketEvent.Kind.STARTED, 5)
    ticket = services.park_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert ticket.status == Ticket.Status.PARKED and 295 <= ticket.service_seconds <= 305
    # the window is free while the ticket is parked
    other = called(hall)
    assert other.number == "A002"
    with pytest.raises(DomainError, match="请先处理当前的 A002"):
        services.resume_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    services.start_ticket(actor=hall.clerk_a1, ticket=other, window=hall.w_a01)
    services.finish_ticket(actor=hall.clerk_a1, ticket=other, window=hall.w_a01)
    ticket = services.resume_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    backdate_last(ticket, TicketEvent.Kind.RESUMED, 2)
    ticket = services.finish_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert 415 <= ticket.service_seconds <= 425
    assert kinds(ticket) == ["issued", "called", "started", "parked", "resumed", "finished"]


def test_transfer_gives_a_priority_number_in_the_other_queue(hall):
    ticket = called(hall, window=hall.w_t01, user=hall.clerk_t)
    new = services.transfer_ticket(
        actor=hall.clerk_t, ticket=ticket, window=hall.w_t01, target_queue=hall.queue_b
    )
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.TRANSFERRED and ticket.finished_at
    assert new.queue == hall.queue_b and new.number == "B001" and new.transferred_from == ticket
    assert new.priority and new.priority_reason == Ticket.PriorityReason.TRANSFER
    progress = selectors.public_ticket(ticket.public_token)
    assert progress.ticket == new and progress.transferred_from == ticket.number
    assert services.call_next_ticket(actor=hall.clerk_b1, window=hall.w_b01) == new


def test_transfer_targets_must_be_other_active_queues_of_the_center(hall):
    ticket = called(hall)
    for target, message in ((hall.queue_a, "另一个队列"), (hall.queue_s, "本中心")):
        with pytest.raises(DomainError, match=message) as exc:
            services.transfer_ticket(
                actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01, target_queue=target
            )
        assert exc.value.field == "target_queue"


def test_lobby_manager_cancels_a_waiting_ticket_only(hall):
    waiting = issue(hall.queue_a)
    ticket = services.cancel_ticket(actor=hall.lobby, ticket=waiting, reason="离开")
    assert ticket.status == Ticket.Status.CANCELLED
    assert AuditEntry.objects.filter(action="hall.ticket_cancel").count() == 1
    current = called(hall)
    with pytest.raises(DomainError, match="不能取消"):
        services.cancel_ticket(actor=hall.lobby, ticket=current)
    with pytest.raises(PermissionDeniedError):
        services.cancel_ticket(actor=hall.clerk_a1, ticket=issue(hall.queue_a))


# -- appointments ------------------------------------------------------------------------------


def slot_at(queue, minutes_from_now: int, length: int = 30, capacity: int = 2):
    start = timezone.localtime() + dt.timedelta(minutes=minutes_from_now)
    end = start + dt.timedelta(minutes=length)
    if end.date() != start.date() or start.date() != timezone.localdate():
        pytest.skip("the slot would cross midnight")
    return AppointmentSlot.objects.create(
        queue=queue, date=start.date(), start=start.time(), end=end.time(), capacity=capacity
    )


def test_create_slots_on_working_days_and_skip_existing(hall):
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    while not is_working_day(monday):
        monday += dt.timedelta(days=7)
    args = dict(queue=hall.queue_a, start_date=monday, end_date=monday + dt.timedelta(days=6))
    created = services.create_slots(actor=hall.admin, slot_minutes=30, capacity=3, **args)
    days = set(AppointmentSlot.objects.values_list("date", flat=True))
    assert all(d.weekday() < 5 or is_working_day(d) for d in days)
    assert created == len(days) * 14  # 7 slots in the morning, 7 in the afternoon
    assert services.create_slots(actor=hall.admin, slot_minutes=30, capacity=3, **args) == 0
    with pytest.raises(PermissionDeniedError):
        services.create_slots(actor=hall.lobby, slot_minutes=30, capacity=3, **args)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": dt.date(2000, 1, 1)}, "start_date"),
        ({"end_date": "before"}, "end_date"),
        ({"end_date": "far"}, "end_date"),
        ({"slot_minutes": 5}, "slot_minutes"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_create_slots_refuses_bad_input(hall, change, field):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    args = dict(start_date=tomorrow, end_date=tomorrow, slot_minutes=30, capacity=2)
    args.update(change)
    if args["end_date"] == "before":
        args["end_date"] = tomorrow - dt.timedelta(days=1)
    if args["end_date"] == "far":
        args["end_date"] = tomorrow + dt.timedelta(days=90)
    with pytest.raises(DomainError) as exc:
        services.create_slots(actor=hall.admin, queue=hall.queue_a, **args)
    assert exc.value.field == field


def test_booking_counts_capacity_and_refuses_duplicates(hall):
    slot = AppointmentSlotFactory(queue=hall.queue_a, capacity=2)
    first = services.book_appointment(slot=slot, phone="13800000001")
    assert first.status == Appointment.Status.BOOKED and len(first.code) == 6
    with pytest.raises(DomainError, match="重复预约"):
        services.book_appointment(slot=slot, phone="138 0000 0001")
    services.book_appointment(slot=slot, phone="13800000002")
    with pytest.raises(DomainError, match="约满"):
        services.book_appointment(slot=slot, phone="13800000003")
    services.cancel_appointment(appointment=first)
    assert services.book_appointment(slot=slot, phone="13800000003").pk


@pytest.mark.parametrize("phone", ["", "12345", "abc"])
def test_booking_needs_a_mobile_number(hall, phone):
    slot = AppointmentSlotFactory(queue=hall.queue_a)
    with pytest.raises(DomainError) as exc:
        services.book_appointment(slot=slot, phone=phone)
    assert exc.value.field == "phone"


def test_booking_refuses_started_far_and_inactive(hall):
    started = AppointmentSlotFactory(
        queue=hall.queue_a, date=timezone.localdate() - dt.timedelta(days=1)
    )
    far = AppointmentSlotFactory(queue=hall.queue_a, date=timezone.localdate() + dt.timedelta(60))
    for slot, message in ((started, "已开始"), (far, "14 天")):
        with pytest.raises(DomainError, match=message):
            services.book_appointment(slot=slot, phone="13800000001")
    hall.queue_b.is_active = False
    hall.queue_b.save()
    with pytest.raises(DomainError, match="暂停"):
        services.book_appointment(
            slot=AppointmentSlotFactory(queue=hall.queue_b), phone="13800000001"
        )


def test_check_in_on_time_gives_a_priority_ticket(hall):
    appointment = AppointmentFactory(slot=slot_at(hall.queue_a, 10), phone="13900000001")
    checked = services.check_in_appointment(
        actor=None, center=hall.main, phone="13900000001", code=appointment.code
    )
    assert checked.status == Appointment.Status.CHECKED_IN and checked.checked_in_at
    ticket = checked.ticket
    assert ticket.channel == Ticket.Channel.APPOINTMENT and ticket.priority
    assert ticket.priority_reason == Ticket.PriorityReason.APPOINTMENT
    with pytest.raises(DomainError, match="已签到"):
        services.check_in_appointment(
            actor=None, center=hall.main, phone="13900000001", code=appointment.code
        )


def test_check_in_too_early_is_refused(hall):
    appointment = AppointmentFactory(slot=slot_at(hall.queue_a, 90), phone="13900000001")
    with pytest.raises(DomainError, match="后签到"):
        services.check_in_appointment(
            actor=None, center=hall.main, phone="13900000001", code=appointment.code
        )


def test_late_arrival_falls_back_to_an_ordinary_ticket(hall):
    appointment = AppointmentFactory(
        slot=slot_at(hall.queue_a, -20, length=60), phone="13900000001"
    )
    checked = services.check_in_appointment(
        actor=None, center=hall.main, phone="13900000001", code=appointment.code
    )
    assert checked.status == Appointment.Status.LATE and not checked.ticket.priority


def test_check_in_after_the_slot_closed_or_elsewhere_is_refused(hall):
    closed = AppointmentFactory(slot=slot_at(hall.queue_a, -80, length=30), phone="13900000001")
    with pytest.raises(DomainError, match="超过签到时间"):
        services.check_in_appointment(
            actor=None, center=hall.main, phone="13900000001", code=closed.code
        )
    here = AppointmentFactory(slot=slot_at(hall.queue_a, 5), phone="13900000002")
    for center, phone, code in (
        (hall.sub, "13900000002", here.code),
        (hall.main, "13900000002", "000000" if here.code != "000000" else "111111"),
        (hall.main, "bad", here.code),
    ):
        with pytest.raises(DomainError):
            services.check_in_appointment(actor=None, center=center, phone=phone, code=code)


def test_no_shows_are_recorded_once_check_in_closed(hall):
    gone = AppointmentFactory(slot=slot_at(hall.queue_a, -80, length=30))
    coming = AppointmentFactory(slot=slot_at(hall.queue_a, 30))
    assert services.record_appointment_no_shows(actor=hall.lobby, center=hall.main) == 1
    gone.refresh_from_db()
    coming.refresh_from_db()
    assert gone.status == Appointment.Status.NO_SHOW
    assert coming.status == Appointment.Status.BOOKED
    with pytest.raises(PermissionDeniedError):
        services.record_appointment_no_shows(actor=hall.clerk_a1, center=hall.main)


def test_delete_slot_only_without_bookings(hall):
    slot = AppointmentSlotFactory(queue=hall.queue_a)
    AppointmentFactory(slot=slot)
    with pytest.raises(DomainError, match="已有预约"):
        services.delete_slot(actor=hall.admin, slot=slot)
    empty = AppointmentSlotFactory(queue=hall.queue_a, start=dt.time(10, 0), end=dt.time(10, 30))
    services.delete_slot(actor=hall.admin, slot=empty)
    assert not AppointmentSlot.objects.filter(pk=empty.pk).exists()


# -- queues and settings -----------------------------------------------------------------------


def test_save_queue_creates_and_updates_with_audit(hall):
    queue = services.save_queue(
        actor=hall.admin, center=hall.main, prefix="c", name="综合", windows=[hall.w_a01]
    )
    assert queue.prefix == "C" and list(queue.windows.all()) == [hall.w_a01]
    services.save_queue(
        actor=hall.admin, center=hall.main, queue=queue, prefix="C", name="综合通办", windows=[]
    )
    entries = AuditEntry.objects.filter(object_type="hall.servicequeue")
    assert sorted(e.action for e in entries) == ["hall.queue_create", "hall.queue_update"]


@pytest.mark.parametrize(
    ("prefix", "name", "minutes", "field"),
    [("A", "重复", 8, "prefix"), ("1", "数字", 8, "prefix"), ("ABC", "太长", 8, "prefix"),
     ("Z", " ", 8, "name"), ("Z", "时长", 0, "average_service_minutes")],
)  # fmt: skip
def test_save_queue_refuses_bad_input(hall, prefix, name, minutes, field):
    with pytest.raises(DomainError) as exc:
        services.save_queue(
            actor=hall.admin,
            center=hall.main,
            prefix=prefix,
            name=name,
            average_service_minutes=minutes,
        )
    assert exc.value.field == field


def test_save_queue_keeps_windows_in_the_center_and_needs_the_admin(hall):
    with pytest.raises(DomainError, match="S01") as exc:
        services.save_queue(
            actor=hall.admin, center=hall.main, prefix="Z", name="x", windows=[hall.w_s01]
        )
    assert exc.value.field == "windows"
    with pytest.raises(PermissionDeniedError):
        services.save_queue(actor=hall.lobby, center=hall.main, prefix="Z", name="x")


def test_update_settings_checks_ranges_and_audits(hall):
    rules = services.update_hall_settings(actor=hall.admin, center=hall.main, max_recalls=2)
    assert rules.max_recalls == 2 and rules.target_wait_minutes == 20
    assert AuditEntry.objects.filter(action="hall.settings_update").exists()
    with pytest.raises(DomainError) as exc:
        services.update_hall_settings(actor=hall.admin, center=hall.main, max_recalls=0)
    assert exc.value.field == "max_recalls"
    with pytest.raises(DomainError, match="未知"):
        services.update_hall_settings(actor=hall.admin, center=hall.main, colour=1)
    with pytest.raises(PermissionDeniedError):
        services.update_hall_settings(
            actor=UserFactory(roles=[Role.DEPT_HEAD]), center=hall.main, max_recalls=2
        )


def test_a_ticket_gets_a_time_ordered_public_token(hall):
    """core.ids.time_ordered_uuid: the QR link's token of a later ticket sorts after an earlier
    one's (its unique index grows at its end)."""
    first, second = issue(hall.queue_a), issue(hall.queue_a)
    assert first.public_token.version == 7
    assert first.public_token.int >> 80 <= second.public_token.int >> 80
