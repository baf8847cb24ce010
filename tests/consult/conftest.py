"""The 1call world: org_small and the test catalog; clerk01 (a1, department A) and a second
clerk of A (clerk03, a2) on duty for department A, clerk02 (b1) for department B and 综合."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.consult import search, services
from chuangkou.core.roles import Role
from tests.catalog.conftest import build_catalog
from tests.conftest import build_org_small
from tests.factories import UserFactory

PHONE = "13812345678"


def build_consult(w=None):
    w = w or build_org_small()
    if not hasattr(w, "catalog"):
        w.catalog = build_catalog(w)
    w.clerk_a2 = UserFactory(username="clerk03", roles=[Role.CLERK])
    w.a2.user = w.clerk_a2
    w.a2.save(update_fields=["user"])
    today = timezone.localdate()
    for staff, dept in ((w.a1, w.dept_a), (w.a2, w.dept_a), (w.b1, w.dept_b)):
        for shift in ("am", "pm"):
            services.add_duty(actor=w.admin, staff=staff, department=dept, date=today, shift=shift)
    services.add_duty(
        actor=w.admin, staff=w.b1, department=None, date=today + dt.timedelta(days=1), shift="am"
    )
    search.reset()
    return w


def ask_about(w, matter=None, question="开个体工商户需要带什么材料？", phone=PHONE, **kw):
    return services.ask(question=question, phone=phone, matter=matter, **kw)


@pytest.fixture
def cw(db):
    return build_consult()
