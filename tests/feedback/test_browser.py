"""In a real browser: a citizen rates on the window's pad and on the ticket's phone page; the
staff pages render on a desktop and a phone (screenshots in test-artifacts/ to look at)."""

import pytest

from chuangkou.feedback import demo
from chuangkou.feedback.models import Evaluation, Rectification, Survey
from chuangkou.feedback.pad import pad_token
from tests.browser.fixtures import screenshot
from tests.factories import DEFAULT_PASSWORD

from .factories import TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TABLET = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


def test_citizen_rates_on_the_pad(page, fb):
    page.set_viewport_size(TABLET)
    url = f"/feedback/pad/{fb.w_a01.pk}/?s={pad_token(window=fb.w_a01, staff=fb.a1)}"
    page.goto(url)
    assert page.get_by_test_id("pad-clerk").inner_text() == "甲一"
    assert page.get_by_test_id("pad-window").inner_text() == "A01"
    assert fb.ticket_a.number in page.get_by_test_id("pad-ticket").inner_text()
    screenshot(page, "feedback-pad-tablet")

    page.get_by_test_id("pad-level-4").click()
    page.get_by_test_id("pad-thanks").wait_for()
    assert "满意" in page.get_by_test_id("pad-thanks").inner_text()
    screenshot(page, "feedback-pad-thanks-tablet")
    evaluation = Evaluation.objects.get()
    assert (evaluation.level, evaluation.ticket_id) == (4, fb.ticket_a.pk)

    # the thank-you screen resets by itself to the waiting screen …
    page.get_by_test_id("pad-idle").wait_for(timeout=12_000)
    screenshot(page, "feedback-pad-idle-tablet")
    # … which shows the buttons again as soon as the clerk finishes the next ticket
    following = TicketFactory(queue=fb.queue, window=fb.w_a01, clerk=fb.a1)
    page.get_by_test_id("pad-level-1").wait_for(timeout=12_000)
    assert following.number in page.get_by_test_id("pad-ticket").inner_text()

    page.set_viewport_size(PHONE)
    fits(page, PHONE["width"])
    screenshot(page, "feedback-pad-phone")
    page.get_by_test_id("pad-level-1").click()
    page.get_by_test_id("pad-thanks").wait_for()
    assert Rectification.objects.count() == 1  # 非常不满意 opened a rectification


def test_a_forged_pad_link_shows_403(page, fb):
    response = page.goto(f"/feedback/pad/{fb.w_a01.pk}/?s=forged")
    assert response.status == 403


def test_citizen_rates_on_the_phone_page(page, fb):
    page.set_viewport_size(PHONE)
    page.goto(f"/feedback/t/{fb.ticket_b.public_token}/")
    assert page.get_by_test_id("ticket-number").inner_text() == fb.ticket_b.number
    fits(page, PHONE["width"])
    screenshot(page, "feedback-phone-rating")
    page.get_by_text("基本满意").click()
    page.get_by_label("意见或建议（选填）").fill("等候时间稍长")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价！").wait_for()
    assert "追评" in page.content()
    screenshot(page, "feedback-phone-follow-up")
    assert Evaluation.objects.get().comment == "等候时间稍长"


def test_staff_pages_on_desktop_and_phone(page, demo_world):
    demo.load()
    fb = demo_world
    login(page, "admin")
    rect = Rectification.objects.filter(state="appealing").first()
    survey = Survey.objects.get(period_start__year=2018)
    sample = survey.samples.first()
    pages = {
        "entry": "/feedback/entry/",
        "rectifications": "/feedback/rectifications/",
        "rectification-detail": f"/feedback/rectifications/{rect.pk}/",
        "satisfaction": "/feedback/satisfaction/",
        "surveys": "/feedback/surveys/",
        "survey-new": "/feedback/surveys/new/",
        "survey-detail": f"/feedback/surveys/{survey.pk}/",
        "survey-interview": f"/feedback/surveys/{survey.pk}/samples/{sample.pk}/",
        "survey-report": f"/feedback/surveys/{survey.pk}/report/",
    }
    for name, url in pages.items():
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(url)
        assert page.locator(".page-title").count() == 1
        if name == "satisfaction":
            page.locator("#levels-chart canvas").wait_for()
            page.locator("#trend-chart canvas").wait_for()
        screenshot(page, f"feedback-{name}-desktop")
        page.set_viewport_size(PHONE)
        page.goto(url)
        fits(page, PHONE["width"])
        screenshot(page, f"feedback-{name}-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(pages["survey-report"])
    assert "+20.2 个百分点" in page.get_by_test_id("realization-change").inner_text()
    assert "+11.8 个百分点" in page.get_by_test_id("satisfaction-change").inner_text()

    # the center admin rejects the appeal: a confirmation first
    page.goto(pages["rectification-detail"])
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("审核结果").select_option(label="申诉不成立")
    page.get_by_role("button", name="提交审核结果").click()
    page.get_by_text("已审核申诉。").wait_for()
    rect.refresh_from_db()
    assert rect.appeal_decision == "rejected"
    assert fb.admin.username == "admin"


def test_clerk_opens_the_pad(page, fb):
    login(page, "clerk01")
    page.get_by_role("link", name="评价器").click()
    screenshot(page, "feedback-pad-open-desktop")
    page.get_by_role("button", name="打开评价器").click()
    page.get_by_test_id("pad-clerk").wait_for()
    assert "/feedback/pad/" in page.url and "?s=" in page.url
