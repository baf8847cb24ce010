"""In a real browser: the admin opens the check-in screen (a rotating QR that htmx refreshes),
a clerk opens the screen's link on a 390 px phone and is checked in. Screenshots of the main
pages at 1366 and 390 px go to test-artifacts/training/."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from chuangkou.training import services
from chuangkou.training.models import Attendance
from tests.browser.fixtures import screenshot, wait_for_js
from tests.conftest import build_org_small

from .conftest import plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _sign_in(context, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.fixture
def world():
    w = build_org_small()
    w.live = plan(w, starts_at=timezone.now() - dt.timedelta(minutes=3), title="服务礼仪与规范用语")
    past = plan(w, starts_at=timezone.now() - dt.timedelta(days=20), title="一窗受理业务操作")
    services.correct_attendance(
        actor=w.admin, event=past, staff=w.a1, status="present", reason="补登"
    )
    services.file_suggestion(
        actor=w.clerk_a1, aspect="support", title="增设母婴室", content="二楼带孩子的群众较多。"
    )
    entry = services.upload_courseware(
        actor=w.clerk_a1,
        title="商事登记典型案例",
        domain="商事登记",
        summary="摘要",
        key_points="材料一次告知",
        speaker="甲二",
        file=io.BytesIO(b"%PDF-1.4\n%%EOF"),
    )
    second = services.upload_courseware(
        actor=w.clerk_a1,
        title="社保业务一窗通办",
        domain="社会保障",
        summary="摘要",
        key_points="一窗通办",
        speaker="乙一",
        file=io.BytesIO(b"%PDF-1.4\n%%EOF"),
    )
    w.contest = services.create_pk(
        actor=w.admin,
        name="2018 年度业务讲堂大 PK",
        year=2018,
        entries=[entry, second],
        panel=[w.admin],
    )
    services.open_pk(actor=w.admin, contest=w.contest)
    points = {"内容实用性": 36, "案例典型性": 27, "讲解表达": 18, "课件制作": 8}
    services.score_entry(actor=w.admin, contest=w.contest, courseware=entry, points=points)
    services.vote_entry(actor=w.clerk_b1, contest=w.contest, courseware=second)
    return w


def test_clerk_checks_in_by_the_screens_link_on_a_phone(page, browser, live_server, world):
    _sign_in(page.context, world.admin, live_server)
    page.goto(f"/training/{world.live.pk}/screen/")
    page.locator("[data-testid=checkin-qr] svg").wait_for()
    link = page.locator("[data-testid=checkin-link]").get_attribute("href")
    assert "/training/c/" in link
    screenshot(page, "training/screen-desktop")

    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    _sign_in(phone, world.clerk_a1, live_server)
    tab = phone.new_page()
    tab.goto(link)
    result = tab.locator("[data-testid=checkin-result]")
    result.wait_for()
    assert "签到成功" in result.inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(tab, "training/checkin-phone")
    assert Attendance.objects.get(event=world.live, staff=world.a1).status == "present"

    # the screen's count follows by htmx polling, without a reload
    wait_for_js(
        page,
        "document.querySelector('[data-testid=attended]').textContent.trim() === '1'",
        timeout=20_000,
    )
    for path, name in (
        ("/", "home"),
        ("/training/mine/", "mine"),
        (f"/training/{world.live.pk}/", "detail"),
        ("/training/suggestions/", "suggestions"),
        ("/training/courseware/", "courseware"),
        (f"/training/pk/{world.contest.pk}/", "pk"),
    ):
        tab.goto(path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, path
        screenshot(tab, f"training/{name}-phone")
    phone.close()
    for path, name in (
        ("/training/", "events"),
        (f"/training/{world.live.pk}/", "detail"),
        ("/training/hours/", "hours"),
        ("/training/suggestions/", "suggestions"),
        ("/training/new/", "new"),
        ("/training/courseware/", "courseware"),
        (f"/training/pk/{world.contest.pk}/", "pk"),
    ):
        page.goto(path)
        screenshot(page, f"training/{name}-desktop")


def test_admin_closes_the_pk_and_the_clerk_reads_the_results(page, browser, live_server, world):
    """The close asks first (data-confirm); the results are published to the staff then."""
    _sign_in(page.context, world.admin, live_server)
    page.goto("/")
    screenshot(page, "training/home-admin-desktop")
    page.goto(f"/training/pk/{world.contest.pk}/")
    assert "评分投票中" in page.locator("[data-testid=pk-status]").inner_text()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("[data-testid=pk-close]").click()
    assert "评分投票中" in page.locator("[data-testid=pk-status]").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-testid=pk-close]").click()
    page.locator("text=大 PK 已结束，结果已公布。").wait_for(timeout=20_000)
    assert "已结束" in page.locator("[data-testid=pk-status]").inner_text()
    screenshot(page, "training/pk-closed-desktop")
    page.goto(f"/training/pk/{world.contest.pk}/results/")
    page.locator("[data-testid=pk-results-table]").wait_for()
    screenshot(page, "training/pk-results-desktop")
    page.locator("input[name=entries]").first.check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-testid=pk-select]").click()
    page.locator("text=已确定").wait_for(timeout=20_000)

    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    _sign_in(phone, world.clerk_a1, live_server)
    tab = phone.new_page()
    tab.goto(f"/training/pk/{world.contest.pk}/results/")
    rows = tab.locator("[data-testid=pk-results-table] tbody tr")
    assert rows.count() == 2 and "商事登记典型案例" in rows.first.inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(tab, "training/pk-results-phone")
    phone.close()
