"""In a real browser: a person on a phone pre-reviews two materials, the reviewer (clerk01, at a
desktop) asks to fix one, the person replaces only that one, it passes, and the person takes a
priority ticket. Screenshots at phone and desktop width go to test-artifacts/."""

import io

import pytest
from PIL import Image

from chuangkou.hall.models import Ticket
from chuangkou.prereview.models import PreReview
from tests.browser.fixtures import screenshot
from tests.factories import DEFAULT_PASSWORD

from .conftest import PHONE, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_SIZE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def world(settings):
    settings.OTP_REQUIRED_ROLES = []
    return build_world()


def _files(tmp_path):
    pdf = tmp_path / "营业执照.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF")
    photo = tmp_path / "管理制度.png"
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, format="PNG")
    photo.write_bytes(out.getvalue())
    return pdf, photo


def _upload(page, index: int, path) -> None:
    item = page.get_by_test_id(f"item-{index}")
    item.locator("input[type=file]").set_input_files(str(path))
    item.get_by_test_id("upload").click()
    page.get_by_text("已上传。").first.wait_for()


def _fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


def _reviewer(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(20_000)
    desk = context.new_page()
    desk.goto("/login/")
    desk.get_by_label("用户名").fill("clerk01")
    desk.get_by_label("密码").fill(DEFAULT_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.wait_for_url("**/")
    return context, desk


def test_person_prereviews_fixes_one_and_takes_a_ticket(
    page, browser, live_server, world, tmp_path
):
    pdf, photo = _files(tmp_path)
    page.context.set_default_timeout(20_000)
    page.set_viewport_size(PHONE_SIZE)
    page.goto("/prereview/?q=食品")
    page.get_by_text("食品经营许可证核发").click()
    page.get_by_label("办理中心").select_option(label="下城区行政服务中心")
    page.get_by_label("申请人（个人姓名或企业名称）").fill("王五")
    page.get_by_label("手机号").fill(PHONE)
    screenshot(page, "prereview-start-phone")
    page.get_by_test_id("start").click()
    page.get_by_test_id("items").wait_for()
    _upload(page, 1, pdf)
    _upload(page, 2, photo)
    page.get_by_test_id("submit").click()
    page.get_by_text("已提交预审").wait_for()
    _fits(page, PHONE_SIZE["width"])
    screenshot(page, "prereview-submitted-phone")
    link = page.url

    context, desk = _reviewer(browser, live_server)
    prereview = PreReview.objects.get()
    desk.goto("/prereview/desk/")
    desk.get_by_test_id("prereviews").get_by_role("link", name="预审", exact=True).click()
    first, second = desk.get_by_test_id("item-1"), desk.get_by_test_id("item-2")
    first.get_by_test_id("pass").click()
    desk.get_by_text("已审核").first.wait_for()
    second = desk.get_by_test_id("item-2")
    second.get_by_label("补正原因").select_option(label="缺页或内容不完整")
    second.get_by_label("补充说明").fill("制度文本缺第 2 页")
    screenshot(desk, "prereview-desk-desktop")
    second.get_by_test_id("fix").click()
    desk.get_by_test_id("status").get_by_text("需补正").wait_for()

    page.goto(link)
    page.get_by_test_id("fix-reason").get_by_text("缺页或内容不完整").wait_for()
    assert page.get_by_test_id("item-1").locator("input[type=file]").count() == 0  # passed
    screenshot(page, "prereview-needs-fix-phone")
    _upload(page, 2, pdf)
    page.get_by_test_id("submit").click()
    page.get_by_text("已提交预审").wait_for()

    desk.reload()
    desk.get_by_test_id("item-2").get_by_test_id("pass").click()
    desk.get_by_test_id("status").get_by_text("预审通过").wait_for()
    screenshot(desk, "prereview-passed-desktop")
    context.close()

    page.goto(link)
    page.get_by_test_id("take-ticket").wait_for()
    _fits(page, PHONE_SIZE["width"])
    screenshot(page, "prereview-passed-phone")
    page.get_by_test_id("take-ticket").click()
    page.wait_for_url("**/hall/t/**")
    prereview.refresh_from_db()
    assert prereview.status == PreReview.Status.PASSED and prereview.fix_rounds == 1
    ticket = Ticket.objects.get(pk=prereview.ticket_id)
    assert ticket.priority and ticket.number.startswith("P")
    page.get_by_text(ticket.number).first.wait_for()
    screenshot(page, "prereview-ticket-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(link)
    screenshot(page, "prereview-mine-desktop")
