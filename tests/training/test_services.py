"""Events, sign-up, rotating-code check-in, absences, corrections, feedback, hours."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry
from chuangkou.org.models import Staff
from chuangkou.training import checkin, selectors, services
from chuangkou.training.models import Attendance, Feedback

from .conftest import START, plan

Status = Attendance.Status


def at(minutes: int) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def code(event, when: dt.datetime) -> str:
    return checkin.checkin_token(event.pk, now=when.timestamp())


def test_token_valid_in_its_window_and_the_next_only():
    token = checkin.checkin_token(7, now=1_000_000 * 30.0)
    assert checkin.event_of(token, now=1_000_000 * 30.0 + 29) == 7
    assert checkin.event_of(token, now=1_000_001 * 30.0 + 5) == 7  # clock slack
    with pytest.raises(DomainError, match="已过期"):
        checkin.event_of(token, now=1_000_002 * 30.0)
    with pytest.raises(DomainError, match="已过期"):  # from the future: not yet valid
        checkin.event_of(token, now=999_999 * 30.0)


@pytest.mark.parametrize("token", ["", "7-1000000", "7-1000000:forged", "x:y:z", "\x00"])
def test_forged_token_refused(token):
    with pytest.raises(DomainError, match="签到码无效"):
        checkin.event_of(token, now=1_000_000 * 30.0)


def test_token_of_one_event_cannot_be_edited_to_another():
    token = checkin.checkin_token(7, now=30.0 * 5)
    forged = "8" + token[1:]
    with pytest.raises(DomainError, match="签到码无效"):
        checkin.event_of(forged, now=30.0 * 5)


def test_create_event_audited_and_audience(tw):
    assert AuditEntry.objects.filter(action="training.event.create").count() == 1
    invited = set(selectors.invited_staff(tw.event))
    assert invited == {tw.a1, tw.a2, tw.a3, tw.s1}
    assert selectors.audience_label(tw.event) == "部门：市场监管局"


def test_audience_by_type_category_and_name(tw):
    event = plan(
        tw, departments=[], employment_types=[Staff.EmploymentType.AGENCY], invitees=[tw.b1]
    )
    assert set(selectors.invited_staff(event)) == {tw.b2, tw.b1}
    everyone = plan(tw, departments=[])
    assert selectors.invited_staff(everyone).count() == 6
    assert event in selectors.my_events(tw.b2) and event not in selectors.my_events(tw.a1)
    assert everyone in selectors.my_events(tw.a1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": " "}, "主题"),
        ({"kind": "party"}, "类型"),
        ({"hours": "abc"}, "学时"),
        ({"hours": "120"}, "学时"),
        ({"capacity": -1}, "名额"),
        ({"employment_types": ["boss"]}, "用工性质"),
        ({"place": "a\x00b"}, "无效字符"),
    ],
)
def test_create_event_bad_input(tw, change, message):
    with pytest.raises(DomainError, match=message):
        plan(tw, **change)


def test_only_organisers_create(tw):
    with pytest.raises(DomainError, match="权限"):
        services.create_event(
            actor=tw.clerk_a1,
            title="x",
            kind="expert",
            starts_at=START,
            ends_at=at(60),
            place="p",
            hours=1,
        )


def test_sign_up_invited_capacity_once(tw):
    event = plan(tw, capacity=1, departments=[], invitees=[tw.a1, tw.b1])
    services.sign_up(actor=tw.clerk_a1, event=event, now=at(-60))
    with pytest.raises(DomainError, match="已报名"):
        services.sign_up(actor=tw.clerk_a1, event=event, now=at(-60))
    with pytest.raises(DomainError, match="名额已满"):
        services.sign_up(actor=tw.clerk_b1, event=event, now=at(-60))
    with pytest.raises(DomainError, match="不在本次培训的参训范围"):
        services.sign_up(actor=tw.clerk_b1, event=tw.event, now=at(-60))


def test_check_in_on_time_late_and_repeat(tw):
    attendance, new = services.check_in(actor=tw.clerk_a1, token=code(tw.event, at(5)), now=at(5))
    assert new and attendance.status == Status.PRESENT
    again, new = services.check_in(actor=tw.clerk_a1, token=code(tw.event, at(40)), now=at(40))
    assert not new and again.status == Status.PRESENT
    event = plan(tw, departments=[], invitees=[tw.a1])
    late, _ = services.check_in(actor=tw.clerk_a1, token=code(event, at(11)), now=at(11))
    assert late.status == Status.LATE


def test_check_in_refusals_record_nothing(tw):
    entries = AuditEntry.objects.count()
    stale = code(tw.event, at(0))
    with pytest.raises(DomainError, match="已过期"):
        services.check_in(actor=tw.clerk_a1, token=stale, now=at(2))
    with pytest.raises(DomainError, match="不在本次培训的参训范围"):
        services.check_in(actor=tw.clerk_b1, token=code(tw.event, at(1)), now=at(1))
    with pytest.raises(DomainError, match="尚未开始"):
        services.check_in(actor=tw.clerk_a1, token=code(tw.event, at(-31)), now=at(-31))
    with pytest.raises(DomainError, match="已结束"):
        services.check_in(actor=tw.clerk_a1, token=code(tw.event, at(121)), now=at(121))
    with pytest.raises(DomainError, match="未关联窗口人员"):
        services.check_in(actor=tw.admin, token=code(tw.event, at(1)), now=at(1))
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_absences_and_correction(tw):
    event = plan(tw, departments=[], invitees=[tw.a1, tw.a2])
    services.sign_up(actor=tw.clerk_a1, event=event, now=at(-60))
    with pytest.raises(DomainError, match="结束后"):
        services.record_absences(actor=tw.admin, event=event, now=at(60))
    assert services.record_absences(actor=tw.admin, event=event, now=at(130)) == 2
    assert set(event.attendances.values_list("status", flat=True)) == {Status.ABSENT}
    with pytest.raises(DomainError, match="更正原因"):
        services.correct_attendance(
            actor=tw.admin, event=event, staff=tw.a1, status=Status.PRESENT, reason=""
        )
    with pytest.raises(DomainError, match="组织者"):
        services.correct_attendance(
            actor=tw.head_a, event=event, staff=tw.a1, status=Status.PRESENT, reason="补签"
        )
    fixed = services.correct_attendance(
        actor=tw.admin, event=event, staff=tw.a1, status=Status.PRESENT, reason="扫码失败，现场核实"
    )
    assert fixed.status == Status.PRESENT
    entry = AuditEntry.objects.get(action="training.attendance.correct")
    assert entry.before == {"status": "absent"}
    assert entry.after["reason"] == "扫码失败，现场核实"


def test_feedback_once_per_attendee_and_average(tw):
    with pytest.raises(DomainError, match="签到参加培训后"):
        services.submit_feedback(actor=tw.clerk_a1, event=tw.event, rating=5, usefulness=4)
    services.check_in(actor=tw.clerk_a1, token=code(tw.event, at(1)), now=at(1))
    with pytest.raises(DomainError, match="1 至 5"):
        services.submit_feedback(actor=tw.clerk_a1, event=tw.event, rating=6, usefulness=4)
    services.submit_feedback(actor=tw.clerk_a1, event=tw.event, rating=5, usefulness=4)
    with pytest.raises(DomainError, match="已评价"):
        services.submit_feedback(actor=tw.clerk_a1, event=tw.event, rating=1, usefulness=1)
    assert Feedback.objects.count() == 1
    assert selectors.feedback_average(tw.event) == {"count": 1, "rating": 5, "usefulness": 4}


def test_hours_per_person_and_department_in_period(tw):
    services.check_in(actor=tw.clerk_a1, token=code(tw.event, at(1)), now=at(1))
    services.correct_attendance(
        actor=tw.admin, event=tw.event, staff=tw.a2, status=Status.LATE, reason="补登"
    )
    services.correct_attendance(
        actor=tw.admin, event=tw.event, staff=tw.a3, status=Status.ABSENT, reason="请假"
    )
    later = plan(tw, starts_at=START + dt.timedelta(days=40), hours="1.5")
    services.correct_attendance(
        actor=tw.admin, event=later, staff=tw.a1, status=Status.PRESENT, reason="补登"
    )
    people = selectors.hours_by_person(user=tw.admin)
    assert [(r.name, r.hours) for r in people] == [("甲一", Decimal("3.5")), ("甲二", 2)]
    june = selectors.hours_by_person(user=tw.admin, end=dt.date(2018, 6, 30))
    assert [(r.name, r.hours) for r in june] == [("甲一", 2), ("甲二", 2)]
    depts = selectors.hours_by_department(user=tw.admin, start=dt.date(2018, 6, 1))
    assert [(r.department, r.events, r.hours) for r in depts] == [("市场监管局", 3, Decimal("5.5"))]
    assert selectors.hours_by_person(user=tw.clerk_b1) == []
