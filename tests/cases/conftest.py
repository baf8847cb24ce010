"""Fixtures of the cases tests: the small organisation of tests/conftest.py with matters, a
queue and tickets, and helpers to make cases at a given moment through the services."""

import datetime as dt
import zoneinfo

import pytest

from chuangkou.cases import services
from chuangkou.core.validators import id_check_digit

from .factories import MatterFactory, QueueFactory, TicketFactory

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment in Beijing time: at("2018-02-12", 9) is 09:00 on that day."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=TZ)


def person_id(n: int) -> str:
    first17 = f"33010319850101{n % 1000:03d}"
    return first17 + id_check_digit(first17)


@pytest.fixture
def hall(org_small):
    """org_small plus: matter_a (dept A, 1 working day, 1 visit, online), matter_b (dept B,
    20 working days, 1 visit, window only), a queue with windows A01 and B01."""
    o = org_small
    o.matter_a = MatterFactory(
        code="A-001", name="食品经营许可", department=o.dept_a, promised_days=1, online=True
    )
    o.matter_b = MatterFactory(
        code="B-001", name="社保关系转移", department=o.dept_b, promised_days=20, online=False
    )
    o.queue = QueueFactory(center=o.main, prefix="A", name="综合受理")
    o.queue.windows.set([o.w_a01, o.w_b01])
    o.queue.matters.set([o.matter_a, o.matter_b])
    return o


@pytest.fixture
def ticket(hall):
    """A ticket being served by clerk a1 at A01 for matter_a."""
    return TicketFactory(queue=hall.queue, window=hall.w_a01, clerk=hall.a1, matter=hall.matter_a)


APPLICANT = {
    "applicant_kind": "person",
    "applicant_name": "张三",
    "applicant_id": person_id(1),
    "applicant_phone": "13812345678",
}


def accept_at_window(hall, moment: dt.datetime, *, clerk=None, matter=None, window=None, **kw):
    """A direct window acceptance (no ticket) at `moment` by clerk a1 unless told otherwise."""
    return services.accept_case(
        actor=clerk or hall.clerk_a1,
        matter=matter or hall.matter_a,
        window=window,
        accepted_at=moment,
        **{**APPLICANT, **kw},
    )


def accept_online(hall, moment: dt.datetime, *, matter=None, **kw):
    return services.accept_online_case(
        actor=hall.admin,
        matter=matter or hall.matter_a,
        center=hall.main,
        accepted_at=moment,
        **{**APPLICANT, **kw},
    )
