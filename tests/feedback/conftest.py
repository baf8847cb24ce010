"""The small world the feedback tests rate: finished tickets and completed cases on org_small."""

import datetime as dt
import random
from types import SimpleNamespace

import pytest

from chuangkou.cases.models import Case
from chuangkou.core.roles import Role
from chuangkou.hall.models import Ticket
from tests.factories import DepartmentFactory, UserFactory

from .factories import CaseFactory, MatterFactory, QueueFactory, TicketFactory, local


@pytest.fixture
def fb(org_small):
    return build_fb(org_small)


def build_fb(org_small) -> SimpleNamespace:
    """org_small plus: matters of departments A and B, a queue at the main center, a finished
    ticket at A01 served by a1 (clerk01) and one at B01 by b1, a waiting ticket, completed cases
    of A and B, an open case; a lobby manager account."""
    o = org_small
    matter_a = MatterFactory(department=o.dept_a, name="个体工商户设立登记")
    matter_b = MatterFactory(department=o.dept_b, name="社保参保登记")
    queue = QueueFactory(center=o.main, prefix="A", name="商事登记")
    ticket_a = TicketFactory(queue=queue, window=o.w_a01, clerk=o.a1)
    ticket_b = TicketFactory(queue=queue, window=o.w_b01, clerk=o.b1)
    waiting = TicketFactory(
        queue=queue, status=Ticket.Status.WAITING, finished_at=None, window=None, clerk=None
    )
    case_a = CaseFactory(matter=matter_a, center=o.main, window=o.w_a01, clerk=o.a1)
    case_b = CaseFactory(matter=matter_b, center=o.main, window=o.w_b01, clerk=o.b1)
    open_case = CaseFactory(matter=matter_a, center=o.main, status=Case.Status.ACCEPTED)
    lobby = UserFactory(username="lobby01", display_name="大堂", roles=[Role.LOBBY_MANAGER])
    return SimpleNamespace(
        **vars(o),
        matter_a=matter_a,
        matter_b=matter_b,
        queue=queue,
        ticket_a=ticket_a,
        ticket_b=ticket_b,
        waiting=waiting,
        case_a=case_a,
        case_b=case_b,
        open_case=open_case,
        lobby=lobby,
    )


@pytest.fixture
def demo_world(fb):
    """Completed cases of four departments in January–May 2017 and 2018 and in the last weeks,
    and finished tickets; depthead01 (fb.head_a) heads department A."""
    rng = random.Random(1)
    matters = [fb.matter_a, fb.matter_b]
    matters += [MatterFactory(department=DepartmentFactory(region=fb.region)) for _ in range(2)]
    weights = [50, 25, 15, 10]
    cases = []
    for year, count in ((2017, 500), (2018, 700)):
        for i in range(count):
            matter = rng.choices(matters, weights)[0]
            day = dt.date(year, 1, 2) + dt.timedelta(days=rng.randrange(145))
            accepted = local(day.year, day.month, day.day, 9)
            cases.append(
                CaseFactory.build(
                    number=f"{year}{i:05d}",
                    matter=matter,
                    department=matter.department,
                    center=fb.main,
                    accepted_at=accepted,
                    completed_at=accepted + dt.timedelta(hours=30),
                )
            )
    Case.objects.bulk_create(cases)
    for i in range(12):
        CaseFactory(number=f"RECENT{i:03d}", matter=matters[i % 2], center=fb.main)
    for _ in range(10):
        TicketFactory(queue=fb.queue, window=fb.w_a01, clerk=fb.a1)
    return fb
