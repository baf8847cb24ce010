"""心理假: one working day a month, not in the past, not on a rest day, not in a month not yet
open; a second day in a month is refused; cancel before the day; the head's staffing view; the
figures without names."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.care import selectors, services
from chuangkou.care.models import PsychLeave
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from tests.factories import StaffFactory

from .conftest import next_month_start, working_days

pytestmark = pytest.mark.django_db


def test_take_a_working_day_next_month(org_small):
    w = org_small
    day = working_days(next_month_start(), 1)[0]
    leave = services.take_leave(actor=w.clerk_a1, date=day)
    assert (leave.staff, leave.date, leave.month) == (w.a1, day, day.replace(day=1))
    entry = AuditEntry.objects.get(action="care.leave.take")
    assert entry.object_id == str(leave.pk)


def test_second_day_in_the_same_month_is_refused(org_small):
    w = org_small
    first, second = working_days(next_month_start(), 2)
    services.take_leave(actor=w.clerk_a1, date=first)
    with pytest.raises(DomainError, match="每月只能休 1 天"):
        services.take_leave(actor=w.clerk_a1, date=second)
    assert PsychLeave.objects.count() == 1


def test_rest_day_is_refused(org_small):
    rest = working_days(next_month_start(), 1, working=False)[0]
    with pytest.raises(DomainError, match="不是工作日"):
        services.take_leave(actor=org_small.clerk_a1, date=rest)
    assert not PsychLeave.objects.exists()


def test_a_holiday_the_center_entered_is_refused(org_small):
    """A day off the center admin entered (节假日设置) counts like an official holiday; an
    entered make-up working day (调休上班) on a weekend may be taken."""
    from chuangkou.core.calendar import forget_entered_days
    from chuangkou.core.holidays import OfficialDay

    start = next_month_start()
    holiday = working_days(start, 1)[0]
    makeup = working_days(start, 1, working=False)[0]
    OfficialDay.objects.create(date=holiday, is_working_day=False, name="测试假日")
    OfficialDay.objects.create(date=makeup, is_working_day=True, name="调休")
    forget_entered_days()
    try:
        with pytest.raises(DomainError, match="不是工作日"):
            services.take_leave(actor=org_small.clerk_a1, date=holiday)
        assert services.take_leave(actor=org_small.clerk_a1, date=makeup).date == makeup
    finally:
        OfficialDay.objects.all().delete()
        forget_entered_days()


def test_past_day_and_unopened_month_are_refused(org_small):
    w = org_small
    today = timezone.localdate()
    with pytest.raises(DomainError, match="已经过去"):
        services.take_leave(actor=w.clerk_a1, date=today - dt.timedelta(days=1))
    later = next_month_start(next_month_start())
    with pytest.raises(DomainError, match="尚未开放"):
        services.take_leave(actor=w.clerk_a1, date=working_days(later, 1)[0])
    assert not PsychLeave.objects.exists()


def test_quota_is_per_month_and_does_not_carry_over(org_small):
    w = org_small
    today = timezone.localdate()
    this_month = [d for d in working_days(today.replace(day=1), 1) if d >= today]
    next_day = working_days(next_month_start(), 1)[0]
    services.take_leave(actor=w.clerk_a1, date=next_day)
    if this_month:  # the current month may have no working day left
        services.take_leave(actor=w.clerk_a1, date=this_month[0])
    assert PsychLeave.objects.filter(staff=w.a1).count() == 1 + len(this_month)


def test_account_without_staff_or_role_is_refused(org_small, role_user):
    from chuangkou.core.roles import Role

    day = working_days(next_month_start(), 1)[0]
    with pytest.raises(DomainError, match="未关联"):
        services.take_leave(actor=role_user(Role.CLERK), date=day)
    with pytest.raises(PermissionDeniedError):
        services.take_leave(actor=org_small.admin, date=day)


def test_cancel_before_the_day_frees_the_month(org_small):
    w = org_small
    first, second = working_days(next_month_start(), 2)
    leave = services.take_leave(actor=w.clerk_a1, date=first)
    with pytest.raises(PermissionDeniedError):
        services.cancel_leave(actor=w.clerk_b1, leave=leave)
    services.cancel_leave(actor=w.clerk_a1, leave=leave)
    assert services.take_leave(actor=w.clerk_a1, date=second).date == second
    assert AuditEntry.objects.filter(action="care.leave.cancel").count() == 1


def test_cancel_on_the_day_is_refused(org_small):
    w = org_small
    today = timezone.localdate()
    leave = PsychLeave.objects.create(staff=w.a1, date=today, month=today.replace(day=1))
    with pytest.raises(DomainError, match="不能撤销"):
        services.cancel_leave(actor=w.clerk_a1, leave=leave)


def test_staffing_view_shows_the_heads_departments_only(org_small):
    w = org_small
    day = working_days(next_month_start(), 1)[0]
    services.take_leave(actor=w.clerk_a1, date=day)
    services.take_leave(actor=w.clerk_b1, date=day)
    away = selectors.staffing(w.head_a, day, day)
    assert [(a.date, a.name) for a in away] == [(day, "甲一")]
    assert selectors.staffing(w.clerk_a1, day, day) == []


def _leave(staff, day):
    return PsychLeave.objects.create(staff=staff, date=day, month=day.replace(day=1))


def test_figures_suppress_groups_under_five(org_small):
    w = org_small
    for n in range(3):  # department A: a1..a3, s1 and three more = 7 people
        StaffFactory(name=f"甲补{n}", department=w.dept_a, center=w.main)
    _leave(w.a1, dt.date(2026, 3, 2))
    _leave(w.a2, dt.date(2026, 3, 3))
    _leave(w.b1, dt.date(2026, 3, 4))  # department B has 2 people
    figures = selectors.leave_figures(2026)
    rows = {r.label: r for r in figures.rows}
    a = rows[w.dept_a.name]
    assert (a.headcount, a.months[2], a.total) == (7, 2, 2)
    assert w.dept_b.name not in rows
    small = rows["人数不足 5 人的部门（合并）"]
    assert small.months == ["<5"] * 12 and small.total == "<5"
