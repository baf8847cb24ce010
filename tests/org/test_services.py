"""Writes to staff data: create, update (field-level permissions), separation, postings."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.core.audit import verify_chain
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.org import services
from chuangkou.org.models import Assignment, Separation, Staff

from ..factories import StaffFactory, make_id_number

D = dt.date
_GOOD_ID = make_id_number(777)
WRONG_CHECK_DIGIT = _GOOD_ID[:17] + ("1" if _GOOD_ID[17] != "1" else "2")


def _create(org, actor=None, **overrides):
    data = {
        "actor": actor or org.admin,
        "name": "钱七",
        "gender": "F",
        "employment_type": "temporary",
        "department": org.dept_a,
        "center": org.main,
        "window": org.w_a01,
        "hire_date": D(2018, 4, 2),
        "phone": "138 0000 1111",
        "id_number": make_id_number(777),
    }
    data.update(overrides)
    return services.create_staff(**data)


def _counts():
    return Staff.objects.count(), AuditEntry.objects.count(), Assignment.objects.count()


# --- create_staff ---------------------------------------------------------------------------


def test_create_staff(org_small):
    staff = _create(org_small)
    assert staff.staff_no == "CK00001"  # the factories' numbers (F…) do not count
    assert staff.phone == "13800001111"
    assert staff.status == Staff.Status.ACTIVE
    posting = staff.assignments.get()
    assert (posting.center, posting.window, posting.start_date, posting.end_date) == (
        org_small.main,
        org_small.w_a01,
        D(2018, 4, 2),
        None,
    )
    entry = AuditEntry.objects.get(action="staff.create")
    assert entry.actor == org_small.admin
    assert entry.object_type == "org.staff" and entry.object_id == str(staff.pk)
    assert entry.before is None
    assert entry.after["name"] == "钱七"
    assert entry.after["staff_no"] == "CK00001"
    assert entry.after["department"] == "市场监管局"
    assert entry.after["hire_date"] == "2018-04-02"
    assert entry.after["id_number"] == make_id_number(777)
    assert entry.after["status"] == "active"
    assert verify_chain().ok


def test_staff_numbers_count_up(org_small):
    assert _create(org_small).staff_no == "CK00001"
    assert _create(org_small, id_number="").staff_no == "CK00002"
    StaffFactory(staff_no="CK00041", department=org_small.dept_a, center=org_small.main)
    assert _create(org_small, id_number="").staff_no == "CK00042"
    assert _create(org_small, id_number="", staff_no=" XC-9 ").staff_no == "XC-9"


def test_a_given_staff_number_must_be_new(org_small):
    before = _counts()
    with pytest.raises(DomainError) as exc:
        _create(org_small, staff_no=org_small.a1.staff_no)
    assert exc.value.field == "staff_no" and "已存在" in exc.value.message
    assert _counts() == before


def test_duplicate_id_number_is_refused(org_small):
    before = _counts()
    with pytest.raises(DomainError) as exc:
        _create(org_small, id_number=org_small.b1.id_number.lower())
    assert exc.value.message == "该身份证号已登记在另一名人员名下。"
    assert exc.value.field == "id_number"
    assert _counts() == before


def test_several_staff_without_id_number(org_small):
    _create(org_small, id_number="")
    _create(org_small, id_number="")
    assert Staff.objects.filter(id_number="").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"id_number": WRONG_CHECK_DIGIT}, "id_number", "校验位"),
        ({"id_number": "33010319800101"}, "id_number", "18 位"),
        ({"phone": "1380000111"}, "phone", "11 位"),
        ({"phone": "02812345678"}, "phone", "11 位"),
        ({"hire_date": "tomorrow"}, "hire_date", "入职日期不能晚于今天"),
        ({"name": "   "}, "name", "请填写姓名"),
        ({"gender": "X"}, "gender", "性别"),
        ({"employment_type": "intern"}, "employment_type", "用工性质"),
        ({"window": "S01"}, "window", "不属于"),
    ],
)
def test_create_staff_refuses_bad_input(org_small, overrides, field, fragment):
    if overrides.get("hire_date") == "tomorrow":
        overrides = {"hire_date": timezone.localdate() + dt.timedelta(days=1)}
    if overrides.get("window") == "S01":
        overrides = {"window": org_small.w_s01}  # a window of the sub-center
    before = _counts()
    with pytest.raises(DomainError) as exc:
        _create(org_small, **overrides)
    assert exc.value.field == field
    assert fragment in exc.value.message
    assert _counts() == before


def test_hire_date_today_is_fine(org_small):
    assert _create(org_small, hire_date=timezone.localdate()).hire_date == timezone.localdate()


def test_who_may_create_staff(org_small, role_user):
    # the head of department A, in A: yes; in B: no
    staff = _create(org_small, actor=org_small.head_a)
    assert staff.department == org_small.dept_a
    with pytest.raises(PermissionDeniedError):
        _create(org_small, actor=org_small.head_a, department=org_small.dept_b, id_number="")
    for role in (Role.CLERK, Role.SYSADMIN, Role.AUDITOR, Role.DEPT_HEAD, Role.LOBBY_MANAGER):
        with pytest.raises(PermissionDeniedError):
            _create(org_small, actor=role_user(role), id_number="")
    assert Staff.objects.count() == 7


# --- update_staff ---------------------------------------------------------------------------


def test_a_clerk_changes_their_own_phone(org_small):
    staff = services.update_staff(
        actor=org_small.clerk_a1, staff=org_small.a1, changes={"phone": "13512345678"}
    )
    assert staff.phone == "13512345678"
    entry = AuditEntry.objects.get(action="staff.update")
    assert entry.before == {"phone": org_small.a1.phone}
    assert entry.after == {"phone": "13512345678"}
    assert entry.actor == org_small.clerk_a1


def test_a_clerk_may_change_only_their_phone(org_small):
    with pytest.raises(PermissionDeniedError) as exc:
        services.update_staff(
            actor=org_small.clerk_a1,
            staff=org_small.a1,
            changes={"name": "改名", "department": org_small.dept_b, "phone": "13512345678"},
        )
    assert exc.value.message == "您不能修改：姓名、部门。"
    assert exc.value.status == 403
    org_small.a1.refresh_from_db()
    assert org_small.a1.name == "甲一" and org_small.a1.phone != "13512345678"
    assert not AuditEntry.objects.filter(action="staff.update").exists()


def test_a_clerk_cannot_change_someone_else(org_small):
    with pytest.raises(PermissionDeniedError) as exc:
        services.update_staff(
            actor=org_small.clerk_a1, staff=org_small.a2, changes={"phone": "13512345678"}
        )
    assert exc.value.message == "您不能修改该人员的信息。"


def test_a_dept_head_cannot_change_the_department(org_small):
    with pytest.raises(PermissionDeniedError) as exc:
        services.update_staff(
            actor=org_small.head_a, staff=org_small.a2, changes={"department": org_small.dept_b}
        )
    assert "部门" in exc.value.message
    org_small.a2.refresh_from_db()
    assert org_small.a2.department == org_small.dept_a


def test_a_dept_head_edits_their_staff_but_not_others(org_small):
    staff = services.update_staff(
        actor=org_small.head_a,
        staff=org_small.a3,
        changes={"window": org_small.w_a01, "employment_type": "regular"},
    )
    assert staff.window == org_small.w_a01 and staff.employment_type == "regular"
    with pytest.raises(PermissionDeniedError):
        services.update_staff(actor=org_small.head_a, staff=org_small.b2, changes={"phone": ""})


def test_the_admin_changes_the_department(org_small):
    services.update_staff(
        actor=org_small.admin,
        staff=org_small.a2,
        changes={"department": org_small.dept_b, "window": org_small.w_b01},
    )
    entry = AuditEntry.objects.get(action="staff.update")
    assert entry.before == {"department": "市场监管局", "window": "A01 商事登记"}
    assert entry.after == {"department": "人力社保局", "window": "B01 社保办理"}


def test_audit_holds_only_the_changed_fields(org_small):
    services.update_staff(
        actor=org_small.admin,
        staff=org_small.a2,
        changes={"name": "甲二", "gender": "F", "hire_date": D(2017, 9, 1)},
    )
    entry = AuditEntry.objects.get(action="staff.update")
    assert entry.before == {"hire_date": "2018-03-01"}
    assert entry.after == {"hire_date": "2017-09-01"}


def test_no_change_no_audit(org_small):
    services.update_staff(
        actor=org_small.admin,
        staff=org_small.a2,
        changes={"name": " 甲二 ", "phone": org_small.a2.phone},
    )
    assert not AuditEntry.objects.filter(action="staff.update").exists()


def test_update_checks_the_values(org_small):
    with pytest.raises(DomainError) as exc:
        services.update_staff(actor=org_small.admin, staff=org_small.a2, changes={"phone": "123"})
    assert exc.value.field == "phone"
    with pytest.raises(DomainError) as exc:
        services.update_staff(
            actor=org_small.admin,
            staff=org_small.a2,
            changes={"id_number": org_small.b1.id_number},
        )
    assert exc.value.field == "id_number"
    # its own ID number again is fine
    services.update_staff(
        actor=org_small.admin, staff=org_small.a2, changes={"id_number": org_small.a2.id_number}
    )


def test_a_new_window_must_be_in_the_staff_members_center(org_small):
    with pytest.raises(DomainError) as exc:
        services.update_staff(
            actor=org_small.admin, staff=org_small.a2, changes={"window": org_small.w_s01}
        )
    assert exc.value.field == "window" and "不属于" in exc.value.message
    services.update_staff(
        actor=org_small.admin,
        staff=org_small.a2,
        changes={"window": org_small.w_s01, "center": org_small.sub},
    )


def test_a_new_center_must_fit_the_current_window(org_small):
    """Moving a1 to the sub-center while keeping window A01 (of the main center) is refused."""
    with pytest.raises(DomainError) as exc:
        services.update_staff(
            actor=org_small.admin, staff=org_small.a2, changes={"center": org_small.sub}
        )
    assert exc.value.field == "window"
    org_small.a2.refresh_from_db()
    assert org_small.a2.center == org_small.main


@pytest.mark.parametrize("field", ["hire_date", "department", "center", "gender", "name"])
def test_required_fields_cannot_be_emptied(org_small, field):
    with pytest.raises(DomainError) as exc:
        services.update_staff(actor=org_small.admin, staff=org_small.a3, changes={field: None})
    assert exc.value.field == field


# --- record_separation ----------------------------------------------------------------------


def test_record_separation(org_small):
    separation = services.record_separation(
        actor=org_small.admin,
        staff=org_small.a2,
        date=D(2018, 9, 30),
        reason="pay",
        note="转入企业",
    )
    assert separation.staff == org_small.a2
    staff = Staff.objects.get(pk=org_small.a2.pk)
    assert staff.status == Staff.Status.LEFT and staff.window is None
    assert list(staff.assignments.values_list("end_date", flat=True)) == [D(2018, 9, 30)]
    entry = AuditEntry.objects.get(action="staff.separate")
    assert entry.before == {"status": "active"}
    assert entry.after == {
        "status": "left",
        "date": "2018-09-30",
        "reason": "pay",
        "note": "转入企业",
    }


def test_cannot_separate_twice(org_small):
    services.record_separation(
        actor=org_small.admin, staff=org_small.a2, date=D(2018, 9, 30), reason="pay"
    )
    with pytest.raises(DomainError) as exc:
        services.record_separation(
            actor=org_small.admin, staff=org_small.a2, date=D(2018, 10, 30), reason="other"
        )
    assert "已登记离职" in exc.value.message
    assert Separation.objects.get().date == D(2018, 9, 30)
    assert AuditEntry.objects.filter(action="staff.separate").count() == 1


@pytest.mark.parametrize(
    ("date", "reason", "field", "fragment"),
    [
        (D(2018, 2, 28), "pay", "date", "不能早于入职日期"),  # hired 2018-03-01
        ("tomorrow", "pay", "date", "不能晚于今天"),
        (D(2018, 9, 30), "boredom", "reason", "请选择离职原因"),
    ],
)
def test_separation_refuses_bad_input(org_small, date, reason, field, fragment):
    if date == "tomorrow":
        date = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        services.record_separation(
            actor=org_small.admin, staff=org_small.a2, date=date, reason=reason
        )
    assert exc.value.field == field and fragment in exc.value.message
    assert not Separation.objects.exists()
    assert Staff.objects.get(pk=org_small.a2.pk).status == Staff.Status.ACTIVE


def test_separation_on_the_hire_day_and_today(org_small):
    services.record_separation(
        actor=org_small.admin, staff=org_small.a2, date=org_small.a2.hire_date, reason="other"
    )
    today = timezone.localdate()
    services.record_separation(actor=org_small.admin, staff=org_small.a3, date=today, reason="pay")
    assert Separation.objects.count() == 2


def test_who_may_record_a_separation(org_small, role_user):
    with pytest.raises(PermissionDeniedError):
        services.record_separation(
            actor=org_small.clerk_a1, staff=org_small.a1, date=D(2018, 9, 30), reason="pay"
        )
    with pytest.raises(PermissionDeniedError):
        services.record_separation(
            actor=org_small.head_a, staff=org_small.b2, date=D(2018, 9, 30), reason="pay"
        )
    with pytest.raises(PermissionDeniedError):
        services.record_separation(
            actor=role_user(Role.SYSADMIN), staff=org_small.b2, date=D(2018, 9, 30), reason="pay"
        )
    services.record_separation(
        actor=org_small.head_a, staff=org_small.a3, date=D(2018, 9, 30), reason="family"
    )
    assert Separation.objects.get().staff == org_small.a3


# --- assign_staff ---------------------------------------------------------------------------


def test_a_regular_posting_closes_the_previous_one(org_small):
    posting = services.assign_staff(
        actor=org_small.admin,
        staff=org_small.a2,
        center=org_small.sub,
        window=org_small.w_s01,
        start_date=D(2019, 1, 1),
        note="调往分中心",
    )
    postings = list(org_small.a2.assignments.order_by("start_date"))
    assert [(p.start_date, p.end_date) for p in postings] == [
        (D(2018, 3, 1), D(2018, 12, 31)),
        (D(2019, 1, 1), None),
    ]
    assert postings[1] == posting
    staff = Staff.objects.get(pk=org_small.a2.pk)
    assert (staff.center, staff.window, staff.status) == (org_small.sub, org_small.w_s01, "active")
    entry = AuditEntry.objects.get(action="staff.assign")
    assert entry.after == {
        "center": "武林街道分中心",
        "window": "S01",
        "kind": "regular",
        "start_date": "2019-01-01",
        "end_date": None,
    }


def test_a_regular_posting_must_start_after_the_current_one(org_small):
    """A posting from the day the current one starts would have to end before it started."""
    with pytest.raises(DomainError) as exc:
        services.assign_staff(
            actor=org_small.admin,
            staff=org_small.a2,
            center=org_small.main,
            window=org_small.w_a01,
            start_date=org_small.a2.hire_date,
        )
    assert exc.value.field == "start_date"
    assert org_small.a2.assignments.count() == 1


def test_an_exchange_needs_an_end_date(org_small):
    with pytest.raises(DomainError) as exc:
        services.assign_staff(
            actor=org_small.admin,
            staff=org_small.a2,
            center=org_small.sub,
            kind=Assignment.Kind.EXCHANGE,
            start_date=D(2019, 3, 1),
        )
    assert exc.value.field == "end_date" and "结束日期" in exc.value.message
    assert org_small.a2.assignments.count() == 1


def test_a_current_exchange_keeps_the_home_posting_open(org_small):
    today = timezone.localdate()
    services.assign_staff(
        actor=org_small.admin,
        staff=org_small.a2,
        center=org_small.sub,
        kind=Assignment.Kind.EXCHANGE,
        start_date=today - dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=20),
    )
    staff = Staff.objects.get(pk=org_small.a2.pk)
    assert staff.current_status == Staff.Status.EXCHANGE  # derived from the posting's dates
    assert staff.center == org_small.main  # home center unchanged
    assert staff.assignments.filter(kind="regular", end_date__isnull=True).count() == 1


def test_a_past_exchange_leaves_the_status_active(org_small):
    services.assign_staff(
        actor=org_small.admin,
        staff=org_small.a2,
        center=org_small.sub,
        kind=Assignment.Kind.EXCHANGE,
        start_date=D(2019, 3, 1),
        end_date=D(2019, 8, 31),
    )
    assert Staff.objects.get(pk=org_small.a2.pk).status == Staff.Status.ACTIVE


def test_staff_who_left_cannot_be_assigned(org_small):
    services.record_separation(
        actor=org_small.admin, staff=org_small.a2, date=D(2018, 9, 30), reason="pay"
    )
    with pytest.raises(DomainError) as exc:
        services.assign_staff(
            actor=org_small.admin,
            staff=org_small.a2,
            center=org_small.main,
            start_date=D(2019, 1, 1),
        )
    assert "已离职" in exc.value.message


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"window": "S01", "start_date": D(2019, 1, 1)}, "window"),
        ({"start_date": D(2018, 2, 1)}, "start_date"),
        (
            {"kind": "exchange", "start_date": D(2019, 3, 1), "end_date": D(2019, 2, 1)},
            "end_date",
        ),
    ],
)
def test_assign_refuses_bad_input(org_small, kwargs, field):
    if kwargs.get("window") == "S01":
        kwargs = {**kwargs, "window": org_small.w_s01}  # not a window of the main center
    with pytest.raises(DomainError) as exc:
        services.assign_staff(
            actor=org_small.admin, staff=org_small.a2, center=org_small.main, **kwargs
        )
    assert exc.value.field == field
    assert org_small.a2.assignments.count() == 1


def test_who_may_assign(org_small):
    with pytest.raises(PermissionDeniedError):
        services.assign_staff(
            actor=org_small.clerk_a1,
            staff=org_small.a1,
            center=org_small.main,
            start_date=D(2019, 1, 1),
        )
    with pytest.raises(PermissionDeniedError):
        services.assign_staff(
            actor=org_small.head_a,
            staff=org_small.b1,
            center=org_small.main,
            start_date=D(2019, 1, 1),
        )
    services.assign_staff(
        actor=org_small.head_a, staff=org_small.a1, center=org_small.sub, start_date=D(2019, 1, 1)
    )
