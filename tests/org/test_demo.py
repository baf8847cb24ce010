"""The demo data: the briefing's figures come out of it; it loads once and is always the same."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from chuangkou.core import demo as core_demo
from chuangkou.core.demo import ACCOUNTS
from chuangkou.core.models import AuditEntry
from chuangkou.core.validators import validate_id_number
from chuangkou.demo import DEMO_PASSWORD, DEMO_URL, load_demo, print_accounts
from chuangkou.org import demo as org_demo
from chuangkou.org import selectors
from chuangkou.org.models import (
    Assignment,
    Center,
    Department,
    Separation,
    Staff,
    Window,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    """Only the core and org parts: the other apps' demos are tested in their own folders."""
    core_demo.load()
    org_demo.load()


def temporary_turnover(start: dt.date, end: dt.date) -> selectors.TurnoverReport:
    return selectors.turnover(
        start=start, end=end, staff=selectors.narrowed(employment_type="temporary")
    )


def test_the_briefing_turnover_figures_come_out_of_the_dates(demo):
    year_2017 = temporary_turnover(dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    after_reform = temporary_turnover(dt.date(2017, 7, 1), dt.date(2018, 6, 30))

    assert year_2017.rate == Decimal("18.4")
    assert after_reform.rate == Decimal("9.7")
    # 待遇低 and 压力大 were why people left in 2017
    reasons = year_2017.by_reason
    assert reasons.get("待遇低", 0) + reasons.get("压力大", 0) > year_2017.separations / 2


def test_turnover_of_other_periods_is_plausible(demo):
    assert 15 <= temporary_turnover(dt.date(2016, 1, 1), dt.date(2016, 12, 31)).rate <= 25
    for year in range(2019, 2026):
        assert temporary_turnover(dt.date(year, 1, 1), dt.date(year, 12, 31)).rate < 10
    for report in selectors.yearly_turnover(
        years=list(range(2016, 2026)), employment_type="regular"
    ):
        assert report.rate < 6


def test_the_district_has_its_centers_departments_windows_and_staff(demo):
    assert Center.objects.filter(kind=Center.Kind.MAIN).count() == 1
    assert Center.objects.filter(kind=Center.Kind.SUB).count() >= 6
    assert Department.objects.count() >= 12
    assert Window.objects.count() >= 60
    assert Window.objects.filter(categories__isnull=True).count() == 0

    in_post = selectors.in_post_on(dt.date(2018, 12, 31))
    assert 230 <= in_post.count() <= 270
    mix = dict(selectors.headcount_by(dt.date(2018, 12, 31), "employment_type"))
    total = sum(mix.values())
    assert 0.20 <= mix["在编"] / total <= 0.30
    assert 0.55 <= mix["临编"] / total <= 0.65
    assert 0.10 <= mix["派遣"] / total <= 0.20


def test_loading_twice_creates_nothing(demo):
    def counts():
        return [
            model.objects.count()
            for model in (Staff, Assignment, Separation, Window, get_user_model(), AuditEntry)
        ]

    before = counts()
    assert load_demo() is False
    assert counts() == before
    assert AuditEntry.objects.filter(action="demo.load").count() == 1


def test_identity_numbers_are_valid_and_unique(demo):
    numbers = list(Staff.objects.values_list("id_number", flat=True))
    for number in numbers:
        validate_id_number(number)
        assert number[:4] == "3301"
        assert 1965 <= int(number[6:10]) <= 1998
    assert len(set(numbers)) == len(numbers)
    for staff in Staff.objects.all():
        assert (int(staff.id_number[16]) % 2 == 1) == (staff.gender == Staff.Gender.MALE)
        assert len(staff.phone) == 11 and staff.phone[:2] in {"13", "15", "18"}


def test_postings_and_separations_agree_with_the_staff_records(demo):
    staff_list = Staff.objects.prefetch_related("assignments").select_related("separation")
    for staff in staff_list:
        postings = sorted(staff.assignments.all(), key=lambda a: a.start_date)
        assert postings[0].start_date == staff.hire_date
        open_postings = [a for a in postings if a.end_date is None]
        separation = getattr(staff, "separation", None)
        if separation is not None:
            assert staff.status == Staff.Status.LEFT
            assert staff.window is None
            assert not open_postings
            regular = [a for a in postings if a.kind == Assignment.Kind.REGULAR]
            assert regular[-1].end_date == separation.date
        else:
            assert staff.status == Staff.Status.ACTIVE
            assert [a.window_id for a in open_postings] == [staff.window_id]
            assert staff.window.department_id == staff.department_id
    exchanges = Assignment.objects.filter(kind=Assignment.Kind.EXCHANGE)
    assert 15 <= exchanges.count() <= 25
    for exchange in exchanges:
        assert exchange.center.kind == Center.Kind.SUB
        assert exchange.start_date.year == exchange.end_date.year == 2018
    assert Separation.objects.filter(date__year=2016).exists()


def test_every_demo_account_signs_in_with_the_demo_password(demo):
    for username, _roles, _description in ACCOUNTS:
        assert Client().login(username=username, password=DEMO_PASSWORD), username


def test_accounts_are_linked_to_staff_and_departments(demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    for username in ("clerk01", "clerk02"):
        staff = users[username].staff
        assert staff.employment_type == Staff.EmploymentType.TEMPORARY
        assert staff.status == Staff.Status.ACTIVE
        assert staff.center.kind == Center.Kind.MAIN
        assert staff.name == users[username].display_name
    assert users["lobby01"].staff.employment_type == Staff.EmploymentType.REGULAR
    assert Department.objects.get(code="BDC").heads.filter(username="depthead01").exists()
    assert not Staff.objects.filter(user=users["admin"]).exists()
    assert Staff.objects.filter(name=users["admin"].display_name).count() == 0


def test_the_demo_is_the_same_every_time(demo):
    names = list(
        Staff.objects.filter(hire_date__lt=dt.date(2019, 1, 1))
        .order_by("staff_no")
        .values_list("name", flat=True)
    )
    assert names[:10] == [
        "徐峰",
        "邱涛",
        "倪彩霞",
        "邵可欣",
        "程梅",
        "姚宇",
        "何静怡",
        "周静怡",
        "汪晓明",
        "朱飞",
    ]
    assert hashlib.sha256("\n".join(names).encode()).hexdigest()[:16] == "bc7731cf0f255473"


def test_print_accounts_lists_every_account_and_the_address(capsys):
    print_accounts()
    out = capsys.readouterr().out
    assert "账号" in out and "密码" in out and "角色" in out and "说明" in out
    for username, _roles, _description in ACCOUNTS:
        assert username in out
    assert DEMO_PASSWORD in out
    assert DEMO_URL in out
