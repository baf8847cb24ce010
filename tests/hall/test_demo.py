"""The hall demo: queues on the main center's windows, a live today, weeks of history, fast
and the same for the same date."""

import datetime as dt
import time

import pytest
from django.db.models import Count
from django.utils import timezone

from chuangkou.core import demo as core_demo
from chuangkou.core.models import User
from chuangkou.hall import demo, metrics, selectors, services
from chuangkou.hall.models import (
    Appointment,
    AppointmentSlot,
    HallSettings,
    QueueCounter,
    ServiceQueue,
    Ticket,
    TicketEvent,
)
from chuangkou.org import demo as org_demo
from chuangkou.org.models import Center, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    core_demo.load()
    org_demo.load()
    return Center.objects.get(kind=Center.Kind.MAIN)


def snapshot():
    """The rows of the demo; today's clock times move back when it is loaded before 10:10."""
    rows = Ticket.objects.order_by("service_date", "queue__prefix", "seq").values_list(
        "service_date", "number", "status", "window__number", "issued_at", "service_seconds"
    )
    today = timezone.localdate()
    return [row if row[0] != today else row[:4] for row in rows]


def wipe():
    Appointment.objects.all().delete()
    AppointmentSlot.objects.all().delete()
    TicketEvent.objects.all().delete()
    Ticket.objects.all().delete()
    QueueCounter.objects.all().delete()
    ServiceQueue.objects.all().delete()
    HallSettings.objects.all().delete()


def test_demo_is_fast_alive_and_deterministic(org):
    # CPU time of this process: wall time depends on whatever else the machine is running
    started = time.process_time()
    demo.load()
    elapsed = time.process_time() - started
    assert elapsed < 3, f"the hall demo took {elapsed:.1f} s of CPU"

    main_queues = ServiceQueue.objects.filter(center=org).order_by("prefix")
    assert [q.prefix for q in main_queues] == ["A", "B", "C", "D", "E", "F"]
    assert all(q.windows.exists() for q in main_queues)
    assert ServiceQueue.objects.filter(center__kind=Center.Kind.SUB).count() >= 6
    # 通办: the C windows also serve F
    c_windows = set(main_queues.get(prefix="C").windows.values_list("pk", flat=True))
    assert c_windows <= set(main_queues.get(prefix="F").windows.values_list("pk", flat=True))

    today = timezone.localdate()
    states = dict(
        Ticket.objects.filter(service_date=today).values_list("status").annotate(n=Count("id"))
    )
    for status in (Ticket.Status.WAITING, Ticket.Status.DONE):
        assert states.get(status, 0) > 0, states
    assert states.get(Ticket.Status.CALLED, 0) + states.get(Ticket.Status.SERVING, 0) > 0
    assert 2500 <= Ticket.objects.count() <= 6000
    assert TicketEvent.objects.count() > 3 * Ticket.objects.count()
    assert Ticket.objects.filter(issued_at__gt=timezone.now()).count() == 0

    first = snapshot()
    wipe()
    demo.load()
    assert snapshot() == first


def test_demo_figures_and_the_clerks_desk(org):
    demo.load()
    admin = User.objects.get(username="admin")
    end = timezone.localdate() - dt.timedelta(days=1)
    report = metrics.hall_metrics(
        user=admin, start=end - dt.timedelta(days=40), end=end, center=org
    )
    f = report.overall
    assert f.tickets > 2000 and 2 < f.wait_mean < 40 and 5 < f.service_mean < 15
    assert 1 < f.no_show_rate < 8 and f.over_target_share is not None
    assert report.by_window and report.by_clerk and 0 < report.by_window[0].rate < 100

    clerk = User.objects.get(username="clerk01")
    staff = Staff.objects.get(user=clerk)
    state = selectors.desk_state(staff.window)
    assert state.current is None and state.waiting_total > 0
    ticket = services.call_next_ticket(actor=clerk, window=staff.window)
    assert ticket is not None and ticket.service_date == timezone.localdate()
    # numbers go on from the demo's counters
    queue = ServiceQueue.objects.get(center=org, prefix="A")
    issued = services.issue_ticket(actor=None, queue=queue)
    assert (
        issued.seq == Ticket.objects.filter(queue=queue, service_date=issued.service_date).count()
    )
