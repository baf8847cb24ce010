"""The care world: org_small plus a counselor (counselor01) with slots to come, a lobby manager
with a staff record, and helpers to find working and rest days in the open months."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.care import services
from chuangkou.core.calendar import is_working_day
from chuangkou.core.roles import Role
from tests.factories import UserFactory


def next_month_start(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def working_days(start: dt.date, count: int, *, working: bool = True) -> list[dt.date]:
    """The first `count` working days (or rest days) from `start` within its month."""
    found, day = [], start
    while len(found) < count and day.month == start.month:
        if is_working_day(day) == working:
            found.append(day)
        day += dt.timedelta(days=1)
    assert len(found) == count, "the month has too few such days"
    return found


def in_hours(hours: int) -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(hours=hours)


def build_care(w):
    w.counselor = UserFactory(username="counselor01", roles=[Role.COUNSELOR])
    w.slots = [
        services.publish_slot(actor=w.counselor, starts_at=in_hours(24 * d), mode=mode)
        for d, mode in ((1, "onsite"), (2, "phone"), (3, "onsite"))
    ]
    return w


@pytest.fixture
def care(org_small):
    return build_care(org_small)
