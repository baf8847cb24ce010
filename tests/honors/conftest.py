"""The honors world: org_small with a queue and served tickets, and a campaign over the last
60 days whose vote runs today, nominating windows A01, B01 and staff a1, a2, b1."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from chuangkou.core.roles import Role
from chuangkou.honors import services
from chuangkou.honors.models import Kind
from tests.factories import UserFactory
from tests.feedback.factories import QueueFactory, TicketFactory

DEEDS = "服务热情周到，业务熟练，全年零差评，多次获得群众书面表扬。"


def nominate_all(w) -> dict:
    c = w.campaign
    nominations = {
        "A01": services.nominate(
            actor=w.head_a, campaign=c, kind=Kind.WINDOW, window=w.w_a01, deeds=DEEDS
        ),
        "B01": services.nominate(
            actor=w.admin, campaign=c, kind=Kind.WINDOW, window=w.w_b01, deeds=DEEDS
        ),
        "a1": services.nominate(
            actor=w.head_a, campaign=c, kind=Kind.STAFF, staff=w.a1, deeds=DEEDS
        ),
        "a2": services.nominate(
            actor=w.head_a, campaign=c, kind=Kind.STAFF, staff=w.a2, deeds=DEEDS
        ),
        "b1": services.nominate(
            actor=w.admin, campaign=c, kind=Kind.STAFF, staff=w.b1, deeds=DEEDS
        ),
    }
    return nominations


def build_honors(o) -> SimpleNamespace:
    today = timezone.localdate()
    w = SimpleNamespace(**vars(o))
    w.today = today
    w.queue = QueueFactory(center=o.main, prefix="H", name="综合")
    w.judges = [UserFactory(username=f"judge{n}", roles=[Role.GRADER]) for n in (1, 2)]
    w.campaign = services.create_campaign(
        actor=o.admin,
        name="2018 年度最美办事窗口和最美办事员评选",
        period_start=today - dt.timedelta(days=60),
        period_end=today,
        vote_start=today - dt.timedelta(days=3),
        vote_end=today + dt.timedelta(days=7),
        window_quota=1,
        staff_quota=2,
        vote_weight=30,
    )
    services.set_panel(actor=o.admin, campaign=w.campaign, users=w.judges)
    w.n = nominate_all(w)
    return w


def served(w, n: int = 1, **kwargs):
    """`n` tickets served (已办结) today at A01."""
    tickets = [TicketFactory(queue=w.queue, window=w.w_a01, clerk=w.a1, **kwargs) for _ in range(n)]
    return tickets if n > 1 else tickets[0]


@pytest.fixture
def hw(org_small):
    """The honors world, still taking nominations."""
    return build_honors(org_small)


@pytest.fixture
def voting(hw):
    """The honors world with the vote open."""
    services.open_voting(actor=hw.admin, campaign=hw.campaign)
    hw.campaign.refresh_from_db()
    return hw
