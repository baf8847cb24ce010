"""In a real browser: the person opts in on the ticket's phone page; when the clerk's call
makes them third in line, the open page shows a browser notification (permission granted in
the Playwright context) and the notice on the page."""

import pytest

from chuangkou.hall import services
from tests.browser.fixtures import screenshot, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}

# Records each Notification the page creates (the real one is shown as well).
RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  if (!Real) return;
  window.__shown = [];
  function Recorded(title, options) {
    window.__shown.push(title + "|" + ((options && options.body) || ""));
    return new Real(title, options);
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recorded;
})();
"""


def test_the_phone_page_notifies_when_third_in_line(page, browser, live_server, hall):
    tickets = [services.issue_ticket(actor=None, queue=hall.queue_a) for _ in range(5)]
    mine = tickets[4]  # A005: four ahead
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True
    )
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(RECORD_NOTIFICATIONS)
    context.set_default_timeout(20_000)
    phone = context.new_page()
    phone.goto(f"/hall/t/{mine.public_token}/")
    assert phone.get_by_test_id("follow-ahead").inner_text() == "4 人"
    phone.get_by_label("前面还有几人时提醒").select_option("3")
    phone.get_by_test_id("notify-submit").click()
    phone.get_by_test_id("notify-subscribed").wait_for()
    assert "前面还有 3 人时提醒您" in phone.get_by_test_id("notify-subscribed").inner_text()
    wait_for_js(phone, "Notification.permission === 'granted'")

    services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)  # A001 called: 3 ahead

    wait_for_js(phone, "window.__shown && window.__shown.length > 0", timeout=30_000)
    shown = phone.evaluate("window.__shown")
    assert shown == ["排队提醒|您的 A005 号前面还有 3 人，请回到市场监管等候区留意叫号。"]
    latest = phone.get_by_test_id("notify-latest")
    assert latest.inner_text() == "您的 A005 号前面还有 3 人，请回到市场监管等候区留意叫号。"
    # the figures above agree with the notice (it asks the page to refresh them at once)
    wait_for_js(
        phone,
        "document.querySelector('[data-testid=follow-ahead]').innerText.trim() === '3 人'",
        timeout=30_000,
    )
    screenshot(phone, "notify-phone-page-phone")
    phone.set_viewport_size({"width": 1366, "height": 900})
    screenshot(phone, "notify-phone-page-desktop")
    context.close()


def test_the_admin_log_page(page, live_server, hall):
    from chuangkou.core.roles import Role
    from tests.browser.fixtures import login
    from tests.factories import UserFactory

    UserFactory(username="notify_admin", roles=[Role.CENTER_ADMIN])
    ticket = services.issue_ticket(
        actor=hall.lobby, queue=hall.queue_a, channel="lobby", phone="13800001234"
    )
    services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    assert ticket.pk
    login(page, "notify_admin")
    page.goto("/notify/log/")
    assert (
        "请 A001 号到 A01 号窗口办理市场监管业务。"
        in page.get_by_test_id("message-table").inner_text()
    )
    screenshot(page, "notify-log-desktop")
    page.goto("/notify/figures/")
    screenshot(page, "notify-figures-desktop")
    page.goto("/notify/templates/")
    screenshot(page, "notify-templates-desktop")
    page.set_viewport_size(PHONE)
    page.goto("/notify/log/")
    screenshot(page, "notify-log-phone")
