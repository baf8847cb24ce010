"""In a real browser: a citizen votes on a phone with a served ticket's QR link, and the live
counts on the campaign page follow; the honors pages on a desktop and a phone (screenshots in
test-artifacts/)."""

import pytest
from playwright.sync_api import expect

from chuangkou.honors import services
from chuangkou.honors.models import Nomination, Vote
from chuangkou.honors.services.voting import vote_token
from tests.browser.fixtures import screenshot
from tests.factories import DEFAULT_PASSWORD

from .conftest import build_honors, served

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1366, "height": 900}
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


@pytest.fixture
def voting_world(org_small):
    w = build_honors(org_small)
    services.open_voting(actor=w.admin, campaign=w.campaign)
    return w


def test_citizen_votes_with_a_served_tickets_qr_on_a_phone(page, voting_world):
    w = voting_world
    ticket = served(w)
    page.set_viewport_size(PHONE)
    page.goto(f"/honors/v/{vote_token(ticket)}/")
    assert page.get_by_test_id("ticket-number").inner_text() == ticket.number
    fits(page, PHONE["width"])
    page.get_by_test_id(f"choice-{w.n['A01'].pk}").check()
    page.get_by_test_id(f"choice-{w.n['a1'].pk}").check()
    screenshot(page, "honors-vote-phone")
    page.get_by_test_id("vote-submit").click()
    page.get_by_test_id("voted-window").wait_for()
    page.get_by_test_id("voted-staff").wait_for()
    assert "投票成功" in page.content()
    screenshot(page, "honors-voted-phone")
    assert Vote.objects.filter(ticket=ticket).count() == 2
    assert Nomination.objects.get(pk=w.n["A01"].pk).votes == 1

    # a forged code is refused with a clear message
    page.goto("/honors/v/not-a-real-code/")
    assert "二维码无效" in page.get_by_test_id("vote-invalid").inner_text()


def test_campaign_page_counts_live_and_pages_fit(page, voting_world):
    w = voting_world
    login(page, "admin")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/honors/campaigns/{w.campaign.pk}/")
    counter = page.get_by_test_id(f"votes-{w.n['B01'].pk}")
    assert counter.inner_text() == "0"
    services.cast_public_ballot(
        token=vote_token(served(w)), campaign=w.campaign, nominations=[w.n["B01"]]
    )
    expect(counter).to_have_text("1", timeout=30_000)  # the htmx poll, every 10 s
    screenshot(page, "honors-campaign-desktop")
    for url, name in (
        ("/honors/campaigns/", "honors-campaigns"),
        ("/honors/commendations/", "honors-commendations"),
        ("/honors/commendations/new/", "honors-commendation-form"),
        ("/honors/", "honors-public"),
        ("/reports/oversight/", "reports-oversight"),
    ):
        for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page.set_viewport_size(size)
            page.goto(url)
            fits(page, size["width"])
            screenshot(page, f"{name}-{label}")
    page.set_viewport_size(PHONE)
    page.goto(f"/honors/campaigns/{w.campaign.pk}/")
    fits(page, PHONE["width"])
    screenshot(page, "honors-campaign-phone")
