"""In a real browser: a person asks a question about a matter from its guide page on a phone and
follows the thread with the tracking code and the last four digits in a new session; an agent
claims it, answers with a suggested guide passage (one click inserts it with its link), and the
person sees the answer. Screenshots go to test-artifacts/consult-*.png."""

import re

import pytest

from chuangkou.consult.models import Consultation
from tests.browser.fixtures import fits, login, screenshot, wait_for_js

from .conftest import PHONE, build_consult

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_SIZE = {"width": 390, "height": 844}


@pytest.fixture
def cw():
    return build_consult()


def test_person_asks_and_follows_on_a_phone_agent_answers_with_a_suggestion(page, cw):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size(PHONE_SIZE)
    page.goto("/guide/matter/T-SJ-001/")
    page.get_by_test_id("guide-ask").click()
    page.wait_for_url(re.compile(r"/consult/\?code=T-SJ-001"))
    assert "个体工商户设立登记" in page.get_by_test_id("ask-matter").inner_text()
    page.get_by_label("您的问题").fill("开个体户需要带哪些材料？可以网上办吗？")
    page.get_by_label("手机号").fill(PHONE)
    fits(page, PHONE_SIZE["width"])
    screenshot(page, "consult-ask-phone")
    page.get_by_test_id("ask-submit").click()
    page.wait_for_url(re.compile(r"/consult/t/\w+/"))
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert Consultation.objects.get().code == code
    assert "138****5678" in page.content()
    fits(page, PHONE_SIZE["width"])
    screenshot(page, "consult-thread-phone")

    # the agent, on a desktop
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "clerk01")
    page.goto("/consult/inbox/")
    page.get_by_role("link", name=code).click()
    page.get_by_test_id("claim").click()
    page.wait_for_selector("[data-testid=reply-body]")
    wait_for_js(page, "window.ckConsultReady === true")
    page.get_by_test_id("reply-body").fill("您好！")
    page.get_by_test_id("reply-body").press("End")
    page.get_by_test_id("reply-body").type("个体户")
    wait_for_js(page, "document.querySelectorAll('[data-testid=insert]').length > 0")
    page.get_by_test_id("insert").first.click()
    body = page.get_by_test_id("reply-body").input_value()
    assert body.startswith("您好！个体户") and "/guide/matter/" in body
    screenshot(page, "consult-desk-desktop")
    page.get_by_test_id("reply-submit").click()
    page.wait_for_selector("text=已答复。")
    assert "/guide/matter/" in page.get_by_test_id("thread").inner_text()

    # the person again, in a fresh session on the phone: code + last four digits
    page.context.clear_cookies()
    page.set_viewport_size(PHONE_SIZE)
    page.goto("/consult/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("手机号后四位").fill("0000")
    page.get_by_role("button", name="查询").click()
    page.get_by_text(re.compile("不正确")).first.wait_for()
    page.get_by_label("手机号后四位").fill("5678")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(rf"/consult/t/{code}/"))
    thread = page.get_by_test_id("thread").inner_text()
    assert "工作人员答复" in thread and "/guide/matter/" in thread
    fits(page, PHONE_SIZE["width"])
    screenshot(page, "consult-answered-phone")
    assert errors == []


def test_home_cards_of_the_agent_and_the_admin_on_desktop_and_phone(page, cw):
    from chuangkou.consult import services

    from .conftest import ask_about

    ask_about(cw, cw.catalog.shop)
    mine = ask_about(cw, cw.catalog.shop, phone="13900000002")
    services.claim(actor=cw.clerk_a1, consultation=mine)
    for username, testid in (("clerk01", "home-consult"), ("admin", "home-consult-admin")):
        login(page, username)
        for name, size in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE_SIZE)):
            page.set_viewport_size(size)
            page.goto("/")
            page.get_by_test_id(testid).wait_for()
            fits(page, size["width"])
            screenshot(page, f"consult-home-{username}-{name}")
    assert "138****5678" not in page.content()
