"""In a real browser: the board's clock is Beijing time in any zone and it says at once when
there is no Mandarin voice; the kiosk goes back to its start screen after printing."""

import datetime as dt
import zoneinfo

import pytest

from tests.browser.fixtures import wait_for_js
from tests.hall.test_browser import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_the_board_clock_is_beijing_time_and_a_missing_voice_is_told(browser, live_server, hall):
    context, board = new_page(browser, live_server, timezone_id="America/New_York")
    board.goto(f"/hall/board/{hall.main.pk}/")
    clock = board.get_by_test_id("board-clock")
    wait_for_js(board, "document.getElementById('board-clock').textContent.length > 0")
    shown = clock.inner_text()
    hours = {(dt.datetime.now(BEIJING) + dt.timedelta(seconds=s)).strftime("%H") for s in (-5, 5)}
    assert shown[:2] in hours, (shown, hours)
    wait_for_js(board, "document.body.dataset.voiceMissing !== undefined")
    has_mandarin = board.evaluate(
        "() => (window.speechSynthesis ? speechSynthesis.getVoices() : [])"
        ".some(v => /^(zh|cmn)/i.test(v.lang))"
    )
    assert board.get_by_test_id("voice-missing").is_visible() == (not has_mandarin)
    context.close()


def test_the_kiosk_returns_to_its_start_after_printing(browser, live_server, hall):
    context, page = new_page(browser, live_server)
    page.goto(f"/hall/kiosk/{hall.main.pk}/")
    page.get_by_test_id("kiosk-queue-A").click()
    page.wait_for_url("**/hall/slip/**")
    assert page.get_by_test_id("kiosk-return").is_visible()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_url(f"**/hall/kiosk/{hall.main.pk}/", timeout=30_000)
    context.close()
