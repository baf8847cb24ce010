"""Training fixtures: the small organisation with one event today (09:00–11:00) for
department A, and helpers to plan more."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from chuangkou.training import services
from chuangkou.training.models import Kind
from tests.conftest import build_org_small

START = dt.datetime(2018, 6, 12, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def plan(w, *, starts_at=START, hours="2", **kwargs):
    values = {
        "title": "一窗受理业务操作",
        "kind": Kind.OPERATION,
        "place": "三楼培训室",
        "speaker": "甲二",
        "departments": [w.dept_a],
    } | kwargs
    return services.create_event(
        actor=w.admin,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        hours=hours,
        **values,
    )


def build_training(w) -> SimpleNamespace:
    w.event = plan(w)
    return w


@pytest.fixture
def tw(db):
    return build_training(build_org_small())
