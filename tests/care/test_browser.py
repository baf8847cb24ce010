"""In a real browser: a clerk takes a leave day on a phone-width page (390 px) and is refused a
second one; the clerk books counseling; the counselor writes a note; the head's staffing view,
the admin's figures and talks. Screenshots of each page at 1366 and 390 px go to
test-artifacts/."""

import pytest
from django.utils import timezone

from chuangkou.care import services
from chuangkou.care.models import Appointment, PsychLeave
from tests.browser.fixtures import screenshot
from tests.conftest import build_org_small
from tests.factories import DEFAULT_PASSWORD

from .conftest import build_care, next_month_start, working_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def world(settings):
    settings.OTP_REQUIRED_ROLES = []
    return build_care(build_org_small())


def _login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def _both_sizes(page, path: str, name: str) -> None:
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.goto(path)
        page.locator(".page-title, h2").first.wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{path} is {width} px wide at {label}"
        screenshot(page, f"care-{name}-{label}")


def test_clerk_takes_a_leave_day_on_a_phone(page, world):
    first, second = working_days(next_month_start(), 2)
    page.set_viewport_size(PHONE)
    _login(page, "clerk01")
    page.goto("/care/leave/")
    page.get_by_label("日期").fill(first.isoformat())
    page.get_by_test_id("take-leave").click()
    page.get_by_text(f"已申请 {first:%Y-%m-%d} 心理假").wait_for()
    assert page.get_by_test_id("leave-list").get_by_text(f"{first:%Y-%m-%d}").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "care-leave-taken-phone")
    page.get_by_label("日期").fill(second.isoformat())
    page.get_by_test_id("take-leave").click()
    page.get_by_text("每月只能休 1 天").wait_for()
    assert PsychLeave.objects.filter(staff=world.a1).count() == 1
    screenshot(page, "care-leave-refused-phone")


def test_pages_of_each_role_at_desktop_and_phone(page, world):
    w = world
    page.on("dialog", lambda dialog: dialog.accept())
    services.take_leave(actor=w.clerk_b1, date=working_days(next_month_start(), 1)[0])
    services.record_talk(
        actor=w.head_a, staff=w.a2, date=timezone.localdate(), topic="pressure", follow_up="回访"
    )
    _login(page, "clerk01")
    page.set_viewport_size(PHONE)
    page.goto("/care/counseling/")
    page.get_by_test_id(f"book-{w.slots[0].pk}").click()
    page.get_by_text("预约成功").wait_for()
    _both_sizes(page, "/care/leave/", "my-leave")
    _both_sizes(page, "/care/counseling/", "counseling")
    _login(page, "counselor01")
    appointment = Appointment.objects.get()
    page.goto(f"/care/counselor/appointments/{appointment.pk}/note/")
    page.get_by_label("咨询记录").fill("来访者工作压力大，约定两周后复诊。")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("咨询记录已加密保存").wait_for()
    _both_sizes(page, "/care/counselor/", "counselor")
    _both_sizes(page, f"/care/counselor/appointments/{appointment.pk}/note/", "note")
    _login(page, "depthead01")
    _both_sizes(page, f"/care/staffing/?start={next_month_start():%Y-%m-%d}", "staffing")
    _both_sizes(page, "/care/talks/", "talks")
    _login(page, "admin")
    _both_sizes(page, "/care/figures/", "figures")
