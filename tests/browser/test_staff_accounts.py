"""The system administrator opens accounts for staff in a real browser: tick all, confirm, the
passwords shown once, the sheet downloaded once; the new clerk signs in and must change it."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from chuangkou.core.roles import Role
from chuangkou.core.services import create_account
from chuangkou.org.models import Center, Department, Region, Staff

from .fixtures import screenshot, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Window@2018ok"


@pytest.fixture
def hall():
    region = Region.objects.create(code="330103", name="下城区", city="杭州市")
    center = Center.objects.create(region=region, name="下城区行政服务中心", kind=Center.Kind.MAIN)
    realty = Department.objects.create(region=region, code="D01", name="不动产登记")
    for i, name in enumerate(["王丽", "陈晓东", "李静"], start=1):
        Staff.objects.create(
            staff_no=f"CK{i:05d}",
            name=name,
            gender="F",
            employment_type="temporary",
            department=realty,
            center=center,
            hire_date=dt.date(2017, 3, i),
        )
    create_account(actor=None, username="sysadmin", password=PASSWORD, roles=[Role.SYSADMIN])


def _login(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_sysadmin_opens_accounts_for_all_staff_and_a_clerk_signs_in(page, hall):
    blocked = watch_csp(page.context)
    _login(page, "sysadmin", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/staff/accounts/")
    page.get_by_label("全选").check()
    boxes = page.locator('input[name="staff"]')
    assert boxes.count() == 3
    for i in range(3):
        assert boxes.nth(i).is_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="为所选人员开通账号").click()
    issued = page.get_by_test_id("issued-accounts")
    issued.wait_for()
    assert issued.locator("tbody tr").count() == 3
    first = issued.locator("tbody tr").first.locator("td")
    username, password = first.nth(3).inner_text(), first.nth(4).inner_text()
    assert username == "ck00001"
    screenshot(page, "staff-accounts-issued-desktop")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 Excel（仅一次）").click()
    sheet = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read())).active
    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "ck00001",
        "ck00002",
        "ck00003",
    ]
    assert blocked == []
    page.context.clear_cookies()
    _login(page, username, password)
    page.wait_for_url("**/password/**")
    assert "修改密码" in page.content()
