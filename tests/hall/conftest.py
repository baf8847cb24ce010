"""The hall on top of the small organisation: two queues at the main center, one at the
sub-center, a 通办 window serving both main queues, a lobby manager, and clerks at windows."""

from types import SimpleNamespace

import pytest

from chuangkou.core.roles import Role
from tests.factories import StaffFactory, UserFactory, WindowFactory

from .factories import ServiceQueueFactory


@pytest.fixture
def hall(org_small):
    o = org_small
    w_t01 = WindowFactory(center=o.main, department=o.dept_a, number="T01", name="综合通办")
    queue_a = ServiceQueueFactory(
        center=o.main, prefix="A", name="市场监管", windows=[o.w_a01, w_t01]
    )
    queue_b = ServiceQueueFactory(
        center=o.main,
        prefix="B",
        name="人力社保",
        windows=[o.w_b01, w_t01],
        average_service_minutes=6,
    )
    queue_s = ServiceQueueFactory(center=o.sub, prefix="A", name="便民服务", windows=[o.w_s01])
    lobby = UserFactory(username="lobby01", display_name="大堂", roles=[Role.LOBBY_MANAGER])
    StaffFactory(name="大堂", department=o.dept_a, center=o.main, user=lobby)
    clerk_t = UserFactory(username="clerk_t", display_name="通办", roles=[Role.CLERK])
    staff_t = StaffFactory(
        name="通办", department=o.dept_a, center=o.main, window=w_t01, user=clerk_t
    )
    return SimpleNamespace(
        **vars(o),
        w_t01=w_t01,
        queue_a=queue_a,
        queue_b=queue_b,
        queue_s=queue_s,
        lobby=lobby,
        clerk_t=clerk_t,
        staff_t=staff_t,
    )


@pytest.fixture
def make_desks(org_small):
    """`make_desks(queue, n)`: n windows serving `queue`, each with a clerk account and staff."""

    def make(queue, n: int, prefix: str = "X"):
        desks = []
        for i in range(n):
            window = WindowFactory(
                center=queue.center, department=org_small.dept_a, number=f"{prefix}{i:02d}"
            )
            queue.windows.add(window)
            user = UserFactory(username=f"desk_{prefix}{i:02d}", roles=[Role.CLERK])
            StaffFactory(department=org_small.dept_a, center=queue.center, window=window, user=user)
            desks.append((user, window))
        return desks

    return make
