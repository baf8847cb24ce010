"""Log in, open the staff list, filter it, export it to Excel: in a real browser."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from chuangkou.core.roles import Role
from chuangkou.core.services import create_account
from chuangkou.org.models import Center, Department, Region, Staff

from .fixtures import screenshot, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Window@2018ok"


@pytest.fixture
def hall():
    region = Region.objects.create(code="330103", name="下城区", city="杭州市")
    center = Center.objects.create(region=region, name="下城区行政服务中心", kind=Center.Kind.MAIN)
    realty = Department.objects.create(region=region, code="D01", name="不动产登记")
    police = Department.objects.create(region=region, code="D02", name="公安交警")
    people = [
        ("王丽", "F", "temporary", realty),
        ("陈晓东", "M", "temporary", police),
        ("李静", "F", "regular", realty),
        ("赵敏", "F", "agency", police),
        ("孙浩", "M", "temporary", realty),
    ]
    for i, (name, gender, kind, dept) in enumerate(people, start=1):
        Staff.objects.create(
            staff_no=f"CK{i:05d}",
            name=name,
            gender=gender,
            employment_type=kind,
            department=dept,
            center=center,
            hire_date=dt.date(2017, 3, i),
            phone=f"1381234{i:04d}",
        )
    create_account(
        actor=None,
        username="admin",
        password=PASSWORD,
        display_name="周主任",
        roles=[Role.CENTER_ADMIN],
    )


def login(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_admin_filters_staff_and_exports_excel(page, hall):
    login(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    assert page.get_by_test_id("headcount").inner_text() == "5"

    screenshot(page, "home-desktop")
    page.get_by_role("link", name="窗口人员").click()
    table = page.get_by_test_id("staff-table")
    expect(table.locator("tbody tr")).to_have_count(5)
    assert "138****0001" in table.inner_text()  # phones are masked in lists

    page.get_by_label("用工性质").select_option(label="临编")
    page.wait_for_url("**employment_type=temporary**")
    page.get_by_label("部门").select_option(label="不动产登记")
    page.wait_for_url("**department=**")
    rows = table.locator("tbody tr")
    wait_for_js(
        page, "document.querySelectorAll('[data-testid=staff-table] tbody tr').length === 2"
    )
    assert sorted(rows.all_inner_texts())[0].count("临编") == 1
    screenshot(page, "staff-list-filtered-desktop")

    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    names = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["孙浩", "王丽"]


def test_wrong_password_shows_chinese_error(page, hall):
    login(page, "admin", "not-the-password")
    assert "用户名或密码不正确" in page.locator(".alert-danger").inner_text()


def test_staff_list_fits_a_phone(page, hall):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "admin", PASSWORD)
    page.goto("/staff/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    screenshot(page, "staff-list-phone")
