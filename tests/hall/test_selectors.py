"""Reads of the hall: place in the queue, visibility, the board, the desk, the figures."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.roles import Role
from chuangkou.hall import hours, metrics, selectors, services
from chuangkou.hall.models import HallSettings, Ticket
from tests.factories import UserFactory, WindowFactory

from .factories import TicketFactory

pytestmark = pytest.mark.django_db


def issue(queue, **kwargs):
    return services.issue_ticket(actor=kwargs.pop("actor", None), queue=queue, **kwargs)


def test_people_ahead_counts_the_green_channel_first(hall):
    first, second = issue(hall.queue_a), issue(hall.queue_a)
    green = issue(hall.queue_a, actor=hall.lobby, channel="lobby", priority_reason="disabled")
    issue(hall.queue_b)
    assert selectors.people_ahead(first) == 1  # the green channel goes first
    assert selectors.people_ahead(second) == 2
    assert selectors.people_ahead(green) == 0


def test_estimated_wait_divides_by_the_active_windows(hall):
    tickets = [issue(hall.queue_a) for _ in range(4)]
    progress = selectors.ticket_progress(tickets[-1])
    # 3 ahead × 10 minutes ÷ 2 windows (A01 and T01)
    assert (progress.ahead, progress.wait_minutes) == (3, 15)
    hall.w_t01.is_active = False
    hall.w_t01.save()
    assert selectors.ticket_progress(tickets[-1]).wait_minutes == 30
    hall.queue_a.windows.clear()
    assert selectors.estimated_wait_minutes(hall.queue_a, 3) == 30  # never divides by zero


def test_public_ticket_handles_unknown_and_malformed_tokens(hall):
    ticket = issue(hall.queue_a)
    assert selectors.public_ticket(ticket.public_token).ticket == ticket
    assert selectors.public_ticket("not-a-uuid") is None
    assert selectors.public_ticket("00000000-0000-4000-8000-000000000000") is None


def test_ticket_visibility_by_role(hall):
    issue(hall.queue_a)
    issue(hall.queue_b)
    issue(hall.queue_s)
    assert selectors.tickets_visible_to(hall.admin).count() == 3
    assert selectors.tickets_visible_to(hall.lobby).count() == 2  # the lobby's own center
    # head of 市场监管 (dept A): the queues served by its windows (A01, T01 serve A and B)
    assert selectors.tickets_visible_to(hall.head_a).count() == 3
    head_b = UserFactory(roles=[Role.DEPT_HEAD])
    hall.dept_b.heads.add(head_b)
    assert {t.queue for t in selectors.tickets_visible_to(head_b)} == {hall.queue_b}
    assert selectors.tickets_visible_to(hall.clerk_a1).count() == 0
    assert selectors.tickets_visible_to(UserFactory()).count() == 0


def test_centers_visible_to(hall):
    assert selectors.hall_centers_visible_to(hall.admin).count() == 2
    assert list(selectors.hall_centers_visible_to(hall.lobby)) == [hall.main]
    assert selectors.default_center(hall.lobby) == hall.main
    assert list(selectors.hall_centers_visible_to(UserFactory())) == []


def call(hall, user=None, window=None, queue=None):
    issue(queue or hall.queue_a)
    return services.call_next_ticket(actor=user or hall.clerk_a1, window=window or hall.w_a01)


def test_board_shows_current_calls_and_announces_the_newest_once(hall):
    first = call(hall)
    second = call(hall, user=hall.clerk_b1, window=hall.w_b01, queue=hall.queue_b)
    issue(hall.queue_a)
    state = selectors.board_state(hall.main)
    assert [t.number for t in state.current] == [first.number, second.number]  # by window
    assert state.announce.number == second.number
    assert state.announce.sentence == "请 B001 号到 B01 号窗口办理"
    recalled = services.recall_ticket(actor=hall.clerk_a1, ticket=first, window=hall.w_a01)
    state = selectors.board_state(hall.main)
    assert state.announce.number == recalled.number and state.announce.recalled
    assert {q.queue.prefix: q.waiting for q in state.queues} == {"A": 1, "B": 0}
    assert selectors.board_state(hall.sub).announce is None


def test_desk_state_tells_which_buttons_apply(hall):
    issue(hall.queue_a)
    state = selectors.desk_state(hall.w_a01)
    assert state.can_call and not (state.can_recall or state.can_finish or state.can_no_show)
    assert state.waiting_total == 1
    ticket = services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    state = selectors.desk_state(hall.w_a01)
    assert state.current == ticket and not state.can_call
    assert state.can_recall and state.can_start and state.can_transfer and not state.can_finish
    HallSettings.objects.create(center=hall.main, max_recalls=1)
    services.recall_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    assert selectors.desk_state(hall.w_a01).can_no_show


def test_today_counts_and_kiosk_queues(hall):
    issue(hall.queue_a)
    issue(hall.queue_a)
    call(hall, user=hall.clerk_b1, window=hall.w_b01, queue=hall.queue_b)
    hall.queue_b.is_active = False
    hall.queue_b.save()
    counts = {
        c.queue.prefix: (c.waiting, c.serving, c.done) for c in selectors.today_counts(hall.main)
    }
    assert counts == {"A": (2, 0, 0), "B": (0, 1, 0)}
    assert [c.queue.prefix for c in selectors.kiosk_queues(hall.main)] == ["A"]


def test_open_hours_and_slots():
    assert hours.OPEN_SECONDS_PER_DAY == 7 * 3600
    assert hours.open_seconds(dt.date(2018, 10, 1), dt.date(2018, 10, 7)) == 0  # 国庆节
    assert hours.open_seconds(dt.date(2018, 10, 8), dt.date(2018, 10, 12)) == 5 * 7 * 3600
    slots = hours.slot_times(30)
    assert slots[0] == (dt.time(8, 30), dt.time(9, 0)) and len(slots) == 14
    assert hours.slot_times(120)[-1] == (dt.time(13, 30), dt.time(15, 30))


def test_percentile_interpolates():
    assert metrics.percentile([], 50) is None
    assert metrics.percentile([4.0], 90) == 4.0
    assert metrics.percentile([1, 2, 3, 4], 50) == 2.5
    assert metrics.percentile(list(range(1, 11)), 90) == pytest.approx(9.1)


def make_served(hall, day, issued_min, wait, service, *, window=None, clerk=None, status="done"):
    base = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    issued = base + dt.timedelta(minutes=issued_min)
    called = issued + dt.timedelta(minutes=wait) if wait is not None else None
    return TicketFactory(
        queue=hall.queue_a,
        service_date=day,
        status=status,
        window=window or hall.w_a01,
        clerk=clerk or hall.a1,
        issued_at=issued,
        called_at=called,
        started_at=called,
        finished_at=called + dt.timedelta(minutes=service or 0) if called else None,
        service_seconds=(service or 0) * 60,
    )


def test_metrics_of_a_period(hall):
    day = dt.date(2018, 10, 9)  # a Tuesday
    for i, (wait, service) in enumerate([(5, 10), (10, 20), (30, 6), (45, 4)]):
        make_served(hall, day, i, wait, service)
    make_served(hall, day, 10, 2, None, status=Ticket.Status.NO_SHOW)
    make_served(hall, day, 11, None, None, status=Ticket.Status.WAITING)
    make_served(hall, day - dt.timedelta(days=30), 0, 99, 99)  # outside the period
    report = metrics.hall_metrics(user=hall.admin, start=day, end=day, center=hall.main)
    f = report.overall
    assert (f.tickets, f.called, f.done, f.no_show) == (6, 5, 4, 1)
    assert f.wait_mean == pytest.approx((5 + 10 + 30 + 45 + 2) / 5)
    assert f.wait_median == 10
    assert f.service_mean == pytest.approx(10) and f.service_median == 8
    assert f.no_show_rate == 20.0
    assert f.over_target_share == 40.0  # 30 and 45 minutes > 20
    window = report.by_window[0]
    assert window.serving_seconds == 40 * 60 and window.open_seconds == 7 * 3600
    assert window.rate == pytest.approx(round(40 * 60 * 100 / (7 * 3600), 1))
    assert report.by_clerk[0].label.startswith("甲一")
    assert [d.tickets for d in report.daily] == [6]


def test_metrics_follow_the_target_and_the_viewer(hall):
    day = dt.date(2018, 10, 9)
    make_served(hall, day, 0, 15, 5)
    HallSettings.objects.create(center=hall.main, target_wait_minutes=10)
    report = metrics.hall_metrics(user=hall.admin, start=day, end=day, center=hall.main)
    assert report.overall.over_target_share == 100.0
    with pytest.raises(PermissionDeniedError):
        metrics.hall_metrics(user=hall.lobby, start=day, end=day)
    with pytest.raises(DomainError):
        metrics.hall_metrics(user=hall.admin, start=day, end=day - dt.timedelta(days=1))
    with pytest.raises(DomainError):
        metrics.hall_metrics(user=hall.admin, start=day, end=day + dt.timedelta(days=400))
    other_head = UserFactory(roles=[Role.DEPT_HEAD])
    assert metrics.hall_metrics(user=other_head, start=day, end=day).overall.tickets == 0


def test_kiosk_matters_group_by_department(hall):
    from chuangkou.catalog.models import Matter

    matter = Matter.objects.create(code="M9", name="企业设立登记", department=hall.dept_a)
    Matter.objects.create(code="M8", name="停用事项", department=hall.dept_a, is_active=False)
    hall.queue_a.matters.add(matter)
    groups = selectors.kiosk_matters(hall.main)
    assert groups == [(hall.dept_a.name, [(matter, hall.queue_a)])]
    assert selectors.kiosk_matters(hall.sub) == []


def test_desk_windows_are_the_active_ones_of_the_center(hall):
    WindowFactory(center=hall.main, department=hall.dept_a, number="Z99", is_active=False)
    numbers = [w.number for w in selectors.desk_windows(hall.a1)]
    assert "Z99" not in numbers and "S01" not in numbers and "A01" in numbers
