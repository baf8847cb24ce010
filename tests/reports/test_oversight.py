"""督导总览: problems by state and age, honors and commendations of a period, the page."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.honors import services as honors
from chuangkou.reports.oversight import oversight
from chuangkou.supervision.models import Problem

pytestmark = pytest.mark.django_db


def _problem(o, found_on, state="found", deadline=None):
    return Problem.objects.create(
        title="材料清单与网上不一致",
        kind="pain",
        source="manual",
        owner=o.dept_a,
        found_on=found_on,
        deadline=deadline or found_on + dt.timedelta(days=15),
        state=state,
    )


def test_problems_by_state_and_age_and_commendations(org_small):
    today = timezone.localdate()
    _problem(org_small, today - dt.timedelta(days=3))
    _problem(org_small, today - dt.timedelta(days=40), state="coordinating")
    _problem(org_small, today - dt.timedelta(days=50), state="closed")
    honors.record_commendation(
        actor=org_small.admin, kind="banner", received_on=today, window=org_small.w_a01
    )
    data = oversight(
        user=org_small.admin, start=today - dt.timedelta(days=90), end=today, today=today
    )
    states = dict(data.problems_by_state)
    assert (states["发现"], states["正在协调"], states["关闭"]) == (1, 1, 1)
    assert dict(data.open_by_age) == {"7 天内": 1, "8–30 天": 0, "31–90 天": 1, "90 天以上": 0}
    assert data.overdue == 1  # the coordinating one, past its 15 days
    assert data.honors.commendations.banners == 1
    assert data.visits == 0 and data.findings_by_item == []


def test_the_page_is_for_the_center_admin(org_small, client_as):
    page = client_as(org_small.admin).get("/reports/oversight/?start=2018-01-01&end=2018-06-30")
    assert page.status_code == 200 and "督导总览" in page.content.decode()
    wrong = client_as(org_small.admin).get("/reports/oversight/?start=2018-06-30&end=2018-01-01")
    assert wrong.status_code == 400
    assert client_as(org_small.head_a).get("/reports/oversight/").status_code == 403
