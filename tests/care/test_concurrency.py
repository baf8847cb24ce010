"""Real threads, each with its own connection, on whichever database the run uses: clerks
booking one slot at once get exactly one appointment; two leave days of one person in one month
at once give exactly one."""

import threading

import pytest
from django.db import connection

from chuangkou.care import services
from chuangkou.care.models import Appointment, PsychLeave
from chuangkou.core.errors import DomainError
from chuangkou.core.roles import Role
from tests.conftest import build_org_small
from tests.factories import StaffFactory, UserFactory

from .conftest import build_care, next_month_start, working_days

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def _race(calls) -> tuple[int, list[str]]:
    barrier = threading.Barrier(len(calls))
    done, refused, lock = [], [], threading.Lock()

    def run(call):
        try:
            barrier.wait()
            call()
            with lock:
                done.append(1)
        except DomainError as exc:
            with lock:
                refused.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return len(done), refused


def test_clerks_booking_one_slot_at_once_exactly_one_wins():
    w = build_care(build_org_small())
    clerks = [UserFactory(roles=[Role.CLERK]) for _ in range(THREADS)]
    for clerk in clerks:
        StaffFactory(department=w.dept_a, center=w.main, user=clerk)
    slot = w.slots[0]
    done, refused = _race([lambda c=c: services.book_slot(actor=c, slot=slot) for c in clerks])
    assert done == 1
    assert refused == ["该时段已被他人预约，请选择其他时段。"] * (THREADS - 1)
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_two_days_of_one_month_at_once_exactly_one():
    w = build_org_small()
    days = working_days(next_month_start(), 2)
    done, refused = _race(
        [lambda d=d: services.take_leave(actor=w.clerk_a1, date=d) for d in days * 2]
    )
    assert done == 1 and len(refused) == 3
    assert all("每月只能休 1 天" in m for m in refused)
    assert PsychLeave.objects.filter(staff=w.a1).count() == 1
