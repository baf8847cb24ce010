"""In a real browser: take a ticket at the kiosk, call it from the workstation, see it on the
display board with its voice call, follow it on the phone page; the lobby and admin pages."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chuangkou.hall import services
from chuangkou.hall.models import AppointmentSlot, Ticket
from tests.browser.fixtures import screenshot, wait_for_js
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def new_page(browser, live_server, **kwargs):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}, **kwargs
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


def test_kiosk_ticket_is_called_at_the_desk_and_announced_on_the_board(
    page, browser, live_server, hall
):
    # the display board is open first, as in the hall
    board_context, board = new_page(browser, live_server)
    board.goto(f"/hall/board/{hall.main.pk}/")
    assert board.get_by_test_id("board-current").inner_text().count("暂无叫号") == 1

    page.goto(f"/hall/kiosk/{hall.main.pk}/")
    screenshot(page, "hall-kiosk-desktop")
    page.get_by_test_id("kiosk-queue-A").click()
    page.wait_for_url("**/hall/slip/**")
    assert page.get_by_test_id("slip-number").inner_text() == "A001"
    assert page.locator(".slip-qr svg").count() in (0, 1)
    screenshot(page, "hall-slip-desktop")
    follow_url = page.get_by_role("link", name="查看进度").get_attribute("href")

    desk_context, desk = new_page(browser, live_server)
    login(desk, "clerk01")
    desk.goto("/hall/desk/")
    assert desk.get_by_test_id("desk-waiting-total").inner_text() == "1"
    desk.get_by_role("button", name="叫号").click()
    desk.get_by_test_id("desk-number").wait_for()
    assert desk.get_by_test_id("desk-number").inner_text() == "A001"
    assert desk.get_by_role("button", name="叫号").is_disabled()
    assert desk.get_by_role("button", name="办结").is_disabled()
    screenshot(desk, "hall-desk-called-desktop")

    wait_for_js(
        board, "document.body.dataset.lastSpoken === '请 A001 号到 A01 号窗口办理'", timeout=10_000
    )
    assert "A001" in board.get_by_test_id("board-latest").inner_text()
    assert "A01" in board.get_by_test_id("board-current").inner_text()
    screenshot(board, "hall-board-desktop")

    # a recall is announced again; the board does not repeat a call on every refresh
    board.evaluate(
        "document.body.dataset.lastSpoken = ''; window.boardSwaps = 0;"
        "document.body.addEventListener('htmx:afterSettle', () => window.boardSwaps++)"
    )
    wait_for_js(board, "window.boardSwaps >= 2", timeout=20_000)  # two refreshes, said nothing
    assert board.evaluate("document.body.dataset.lastSpoken") == ""
    desk.get_by_role("button", name="重呼").click()
    wait_for_js(
        board, "document.body.dataset.lastSpoken === '请 A001 号到 A01 号窗口办理'", timeout=10_000
    )

    page.goto(follow_url)
    assert "请到 A01 号窗口办理" in page.get_by_test_id("follow-status").inner_text()

    desk.get_by_role("button", name="开始办理").click()
    desk.get_by_test_id("desk-status").filter(has_text="办理中").wait_for()
    desk.get_by_role("button", name="办结").click()
    desk.get_by_test_id("desk-waiting-total").wait_for()
    assert Ticket.objects.get().status == Ticket.Status.DONE
    board_context.close()
    desk_context.close()


def test_public_pages_fit_a_phone(page, hall):
    page.set_viewport_size(PHONE)
    ticket = services.issue_ticket(actor=None, queue=hall.queue_a)
    services.issue_ticket(actor=None, queue=hall.queue_a)
    services.call_next_ticket(actor=hall.clerk_t, window=hall.w_t01)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    AppointmentSlot.objects.create(
        queue=hall.queue_a, date=tomorrow, start=dt.time(9), end=dt.time(9, 30), capacity=3
    )
    for url, name in (
        (f"/hall/kiosk/{hall.main.pk}/", "hall-kiosk-phone"),
        (f"/hall/slip/{ticket.public_token}/", "hall-slip-phone"),
        (f"/hall/t/{ticket.public_token}/", "hall-follow-phone"),
        (f"/hall/board/{hall.main.pk}/", "hall-board-phone"),
        (f"/hall/book/{hall.main.pk}/?queue={hall.queue_a.pk}", "hall-book-phone"),
        (f"/hall/kiosk/{hall.main.pk}/checkin/", "hall-checkin-phone"),
    ):
        page.goto(url)
        fits(page, PHONE["width"])
        screenshot(page, name)


def test_booking_in_the_browser(page, hall):
    page.set_viewport_size(PHONE)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    AppointmentSlot.objects.create(
        queue=hall.queue_a, date=tomorrow, start=dt.time(9), end=dt.time(9, 30), capacity=3
    )
    page.goto(f"/hall/book/{hall.main.pk}/")
    page.locator(".form-selectgroup-label").first.click()
    page.get_by_label("手机号").fill("13800138000")
    page.get_by_role("button", name="预约").click()
    page.wait_for_url("**/hall/appointment/**")
    assert len(page.get_by_test_id("appointment-code").inner_text()) == 6
    assert "138****8000" in page.get_by_test_id("appointment").inner_text()
    screenshot(page, "hall-appointment-phone")


def test_lobby_manager_issues_a_green_channel_ticket(page, hall):
    services.issue_ticket(actor=None, queue=hall.queue_b)
    login(page, "lobby01")
    page.get_by_role("link", name="大堂取号").click()
    page.get_by_label("队列").select_option(label="A 市场监管")
    page.get_by_label("取号类型").select_option(label="绿色通道：老年人")
    page.get_by_test_id("lobby-issue").click()
    expect(page.get_by_test_id("issued")).to_contain_text("A001")
    expect(page.get_by_test_id("waiting-table")).to_contain_text("老年人")
    screenshot(page, "hall-lobby-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, "hall-lobby-phone")
    assert Ticket.objects.get(number="A001").issued_by == hall.lobby


def test_admin_pages(page, hall):
    for _ in range(3):
        services.issue_ticket(actor=None, queue=hall.queue_a)
    ticket = services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    services.start_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    services.finish_ticket(actor=hall.clerk_a1, ticket=ticket, window=hall.w_a01)
    login(page, "admin")
    today = timezone.localdate()
    for url, name in (
        ("/hall/queues/", "hall-queues"),
        ("/hall/tickets/", "hall-tickets"),
        (f"/hall/tickets/{ticket.pk}/", "hall-ticket-detail"),
        ("/hall/appointments/", "hall-appointments"),
        ("/hall/slots/", "hall-slots"),
        (f"/hall/metrics/?center={hall.main.pk}&start={today}&end={today}", "hall-metrics"),
        (f"/hall/queues/{hall.queue_a.pk}/edit/", "hall-queue-edit"),
    ):
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(url)
        assert page.locator(".alert-danger").count() == 0, url
        screenshot(page, f"{name}-desktop")
        page.set_viewport_size(PHONE)
        page.goto(url)
        fits(page, PHONE["width"])
        screenshot(page, f"{name}-phone")
