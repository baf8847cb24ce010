"""Who sees which staff, and the turnover (流失率) figures, computed by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangkou.core.roles import Role
from chuangkou.org import selectors
from chuangkou.org.filters import StaffFilter
from chuangkou.org.models import Separation, Staff

from ..factories import DepartmentFactory, SeparationFactory, StaffFactory

D = dt.date
START, END = D(2018, 1, 1), D(2018, 12, 31)
REGULAR, TEMPORARY = Staff.EmploymentType.REGULAR, Staff.EmploymentType.TEMPORARY


@pytest.fixture
def ten(db):
    """Ten staff around the 2018 period; comments: in post at the end of 2017-12-31 (opening),
    at the end of 2018-12-31 (closing), and whether the separation falls in the period."""
    dept_x = DepartmentFactory(name="部门X")
    dept_y = DepartmentFactory(name="部门Y")

    def person(label, hired, dept, kind=REGULAR, left=None, reason=Separation.Reason.PAY):
        staff = StaffFactory(name=label, hire_date=hired, department=dept, employment_type=kind)
        if left:
            SeparationFactory(staff=staff, date=left, reason=reason)
        return staff

    people = {
        # opening, closing, counted
        "s1": person("s1", D(2016, 1, 1), dept_x),  # yes, yes, -
        "s2": person("s2", D(2017, 6, 1), dept_y, TEMPORARY),  # yes, yes, -
        "s3": person("s3", D(2017, 3, 1), dept_x, TEMPORARY, D(2018, 5, 15)),  # yes, no, yes
        "s4": person("s4", START, dept_x, TEMPORARY),  # hired on the start day: no, yes, -
        # left on the start day: yes, no, yes
        "s5": person("s5", D(2016, 5, 1), dept_y, REGULAR, START, Separation.Reason.FAMILY),
        "s6": person("s6", D(2016, 5, 1), dept_x, TEMPORARY, END),  # left on the end day
        "s7": person("s7", D(2016, 5, 1), dept_y, REGULAR, D(2019, 1, 1)),  # day after: yes, yes
        "s8": person("s8", D(2016, 5, 1), dept_x, REGULAR, D(2017, 12, 31)),  # day before: no
        # hired and gone within the period: no, no, yes
        "s9": person("s9", D(2018, 7, 1), dept_y, TEMPORARY, D(2018, 10, 1), "pressure"),
        "s10": person("s10", D(2019, 2, 1), dept_x),  # hired after the period: no, no, -
    }
    return dept_x, dept_y, people


def test_turnover_hand_computed(ten):
    report = selectors.turnover(start=START, end=END)
    assert report.opening == 6  # s1 s2 s3 s5 s6 s7
    assert report.closing == 4  # s1 s2 s4 s7
    assert report.separations == 4  # s3 s5 s6 s9
    assert report.average_headcount == Decimal(5)
    assert report.rate == Decimal("80.0")
    assert list(report.by_reason.items()) == [("待遇低", 2), ("家庭原因", 1), ("压力大", 1)]


def test_turnover_edges_one_by_one(ten):
    _, _, people = ten

    def figures(name, start=START, end=END):
        r = selectors.turnover(start=start, end=end, staff=Staff.objects.filter(name=name))
        return r.opening, r.closing, r.separations

    assert figures("s4") == (0, 1, 0)  # hired on the start day: not in the opening headcount
    assert figures("s5") == (1, 0, 1)  # left on the start day: opening yes, counted
    assert figures("s6") == (1, 0, 1)  # left on the end day: counted, not in the closing
    assert figures("s7") == (1, 1, 0)  # left the day after the end: not counted
    assert figures("s8") == (0, 0, 0)  # left the day before the start
    # the same person over the next year: s7's separation on 2019-01-01 is that year's
    assert figures("s7", D(2019, 1, 1), D(2019, 12, 31)) == (1, 0, 1)
    # a one-day period on the separation day
    assert figures("s3", D(2018, 5, 15), D(2018, 5, 15)) == (1, 0, 1)


def test_in_post_on(ten):
    names = set(selectors.in_post_on(D(2018, 1, 1)).values_list("name", flat=True))
    assert names == {"s1", "s2", "s3", "s4", "s6", "s7"}  # s5 left that day


def test_rate_is_none_with_nobody_in_post(db):
    report = selectors.turnover(start=START, end=END)
    assert (report.opening, report.closing, report.separations) == (0, 0, 0)
    assert report.rate is None
    assert report.by_reason == {}


def test_rate_is_none_when_the_only_person_came_and_went_within_the_period(ten):
    report = selectors.turnover(start=START, end=END, staff=Staff.objects.filter(name="s9"))
    assert report.separations == 1 and report.average_headcount == 0
    assert report.rate is None


@pytest.mark.parametrize(
    ("opening", "closing", "separations", "rate"),
    [
        (3, 3, 1, Decimal("33.3")),
        (1, 2, 1, Decimal("66.7")),
        (16, 16, 1, Decimal("6.3")),  # 6.25 rounds half up, not to even
        (40, 38, 0, Decimal("0.0")),
        (100, 0, 100, Decimal("200.0")),
    ],
)
def test_rate_rounding(opening, closing, separations, rate):
    report = selectors.TurnoverReport(START, END, opening, closing, separations)
    assert report.rate == rate


def test_turnover_refuses_end_before_start(db):
    with pytest.raises(ValueError):
        selectors.turnover(start=END, end=START)


def test_narrowed_by_employment_type(ten):
    report = selectors.turnover(
        start=START, end=END, staff=selectors.narrowed(employment_type=TEMPORARY)
    )
    # temporary: s2 s3 s4 s6 s9 -> opening s2 s3 s6; closing s2 s4; gone s3 s6 s9
    assert (report.opening, report.closing, report.separations) == (3, 2, 3)
    assert report.rate == Decimal("120.0")
    assert report.by_reason == {"待遇低": 2, "压力大": 1}


def test_narrowed_by_department(ten):
    dept_x, dept_y, _ = ten
    report = selectors.turnover(
        start=START, end=END, staff=selectors.narrowed(department_id=dept_y.pk)
    )
    # Y: s2 s5 s7 s9 -> opening s2 s5 s7; closing s2 s7; gone s5 s9
    assert (report.opening, report.closing, report.separations) == (3, 2, 2)
    assert report.rate == Decimal("80.0")
    both = selectors.narrowed(Staff.objects.all(), employment_type=REGULAR, department_id=dept_x.pk)
    assert set(both.values_list("name", flat=True)) == {"s1", "s8", "s10"}
    assert selectors.narrowed(employment_type="", department_id=None).count() == 10


def test_yearly_turnover(ten):
    reports = selectors.yearly_turnover(years=[2017, 2018], employment_type=TEMPORARY)
    assert [r.start for r in reports] == [D(2017, 1, 1), D(2018, 1, 1)]
    # 2017, temporary: opening s6; closing s2 s3 s6; nobody left
    assert (reports[0].opening, reports[0].closing, reports[0].separations) == (1, 3, 0)
    assert reports[1].rate == Decimal("120.0")


def test_headcount_by(ten):
    by_type = selectors.headcount_by(D(2018, 6, 1), "employment_type")
    # in post on 2018-06-01: s1 s2 s4 s6 s7 (s3 left 05-15, s5 left 01-01, s9 not yet)
    assert dict(by_type) == {"在编": 2, "临编": 3}
    by_dept = selectors.headcount_by(D(2018, 6, 1), "department")
    assert by_dept == [("部门X", 3), ("部门Y", 2)]
    with pytest.raises(ValueError):
        selectors.headcount_by(D(2018, 6, 1), "gender")


def test_separations_in(ten):
    rows = selectors.separations_in(start=START, end=END)
    assert [s.staff.name for s in rows] == ["s5", "s3", "s9", "s6"]


# --- visibility -----------------------------------------------------------------------------


def _visible(user) -> set[str]:
    return set(selectors.staff_visible_to(user).values_list("name", flat=True))


ALL = {"甲一", "甲二", "甲三", "乙一", "乙二", "丙一"}
DEPT_A = {"甲一", "甲二", "甲三", "丙一"}


@pytest.mark.parametrize("role", [Role.CENTER_ADMIN, Role.SYSADMIN, Role.AUDITOR])
def test_whole_center_roles_see_everyone(org_small, role_user, role):
    assert _visible(role_user(role)) == ALL


def test_a_dept_head_sees_their_department(org_small):
    assert _visible(org_small.head_a) == DEPT_A


def test_a_dept_head_of_two_departments_also_sees_their_own_record(org_small, role_user):
    head = role_user(Role.DEPT_HEAD, Role.CLERK)
    org_small.dept_b.heads.add(head)
    org_small.a2.user = head
    org_small.a2.save()
    assert _visible(head) == {"乙一", "乙二", "甲二"}


def test_the_dept_head_role_alone_shows_nothing(org_small, role_user):
    assert _visible(role_user(Role.DEPT_HEAD)) == set()


def test_heading_a_department_without_the_role_shows_only_own(org_small, role_user):
    user = role_user(Role.CLERK)
    org_small.dept_b.heads.add(user)
    assert _visible(user) == set()


@pytest.mark.parametrize(
    "role",
    [Role.CLERK, Role.LOBBY_MANAGER, Role.GRADER, Role.SUPERVISOR, Role.COUNSELOR, Role.SECADMIN],
)
def test_other_roles_see_only_their_own_record(org_small, role_user, role):
    user = role_user(role)
    assert _visible(user) == set()
    org_small.b2.user = user
    org_small.b2.save()
    assert _visible(user) == {"乙二"}


def test_anonymous_sees_nothing(org_small):
    from django.contrib.auth.models import AnonymousUser

    assert _visible(AnonymousUser()) == set()


def test_staff_list_filters(org_small):
    admin = org_small.admin

    def names(**kw):
        return [s.name for s in selectors.staff_list(user=admin, filters=StaffFilter(**kw))]

    assert names(q="甲") == ["甲一", "甲二", "甲三"]
    assert names(q=org_small.b2.staff_no) == ["乙二"]
    assert names(q=org_small.b1.phone[-4:]) == ["乙一"]
    assert names(employment_type=REGULAR) == ["甲二"]
    assert set(names(department=org_small.dept_b.pk)) == {"乙一", "乙二"}
    assert names(center=org_small.sub.pk) == ["丙一"]
    assert len(names(status="active")) == 6 and names(status="left") == []
    # the dept head's list is their department only, whatever the filter says
    head_list = selectors.staff_list(
        user=org_small.head_a, filters=StaffFilter(department=org_small.dept_b.pk)
    )
    assert list(head_list) == []


# --- the staff record behind an account (one rule for every app) -----------------------------


def test_a_departed_clerk_acts_as_no_staff_in_any_app(org_small):
    """离职: an account still active after the separation is refused at the desk, for case
    acceptance, in 1call and for training, because every app asks `org.selectors.staff_of`."""
    from django.contrib.auth.models import AnonymousUser

    from chuangkou.cases import permissions as cases
    from chuangkou.consult import permissions as consult
    from chuangkou.core.errors import PermissionDeniedError
    from chuangkou.hall import permissions as hall
    from chuangkou.prereview import permissions as prereview
    from chuangkou.training.services import events as training

    clerk = org_small.clerk_a1
    assert selectors.staff_of(clerk) == org_small.a1
    assert cases.can_accept_at_window(clerk)
    assert selectors.staff_of(AnonymousUser()) is None
    SeparationFactory(staff=org_small.a1, date=dt.date(2018, 6, 30))
    clerk.refresh_from_db()
    assert clerk.is_active  # the account was not closed with the separation
    assert selectors.staff_of(clerk) is None
    assert not cases.can_accept_at_window(clerk)
    assert cases.staff_of(clerk) is None and hall.staff_of(clerk) is None
    assert prereview.staff_of(clerk) is None and consult.staff_of(clerk) is None
    with pytest.raises(PermissionDeniedError):
        training.staff_of(clerk)
