"""In a real browser: search the public guide, open a matter's guide, print it on A4; and the
staff's catalog pages. Screenshots go to test-artifacts/catalog-*.png for a person to look at."""

import re

import pytest

from chuangkou.catalog import demo
from chuangkou.core import demo as core_demo
from chuangkou.demo import DEMO_PASSWORD
from chuangkou.org import demo as org_demo
from tests.browser.fixtures import screenshot, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
A4_WIDTH_PX = 794  # 210 mm at 96 dpi


@pytest.fixture
def district():
    """Accounts, the district's departments and the catalog (not the other apps' demos)."""
    core_demo.load()
    org_demo.load()
    demo.load()


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"{page.url} is {scroll}px wide on a {width}px screen"


def search(page, words: str) -> None:
    page.get_by_label("搜索事项").fill(words)
    page.wait_for_url(re.compile(r"q="))
    wait_for_js(
        page, "document.querySelector('[data-testid=result-count]').innerText.includes('共')"
    )


def test_search_open_and_print_a_guide(page, district):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/guide/")
    assert page.locator(".navbar-vertical").count() == 0  # not signed in: no sidebar
    screenshot(page, "catalog-guide-desktop")

    search(page, "结婚")
    results = page.get_by_test_id("guide-results")
    wait_for_js(
        page,
        "document.querySelector('[data-testid=guide-results] a')?.innerText.includes('结婚登记')",
    )
    assert "结婚登记" in results.locator("a").first.inner_text()
    screenshot(page, "catalog-guide-search-desktop")

    results.get_by_role("link", name=re.compile("^结婚登记")).click()
    page.wait_for_url("**/guide/matter/**")
    assert page.locator("h2.page-title").inner_text() == "结婚登记"
    table = page.get_by_test_id("material-table")
    assert "户口簿" in table.inner_text() and "居民身份证" in table.inner_text()
    print_button = page.get_by_role("button", name="打印")
    assert print_button.is_visible()
    screenshot(page, "catalog-matter-guide-desktop")

    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    page.emulate_media(media="print")
    assert print_button.is_hidden()
    assert page.locator(".guide-print-header h1").is_visible()
    assert page.get_by_role("link", name="返回查询").is_hidden()
    fits(page, A4_WIDTH_PX)
    screenshot(page, "catalog-matter-guide-print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    media_boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert media_boxes and all(
        abs(float(w) - 595.92) < 2 and abs(float(h) - 842.88) < 2 for w, h in media_boxes
    ), media_boxes  # A4: 210 x 297 mm
    assert len(media_boxes) == 1  # the guide fits on one sheet
    page.emulate_media(media="screen")

    page.set_viewport_size(PHONE)
    page.goto("/guide/")
    search(page, "公积金")
    fits(page, PHONE["width"])
    screenshot(page, "catalog-guide-search-phone")
    page.get_by_test_id("guide-results").locator("a").first.click()
    page.wait_for_url("**/guide/matter/**")
    fits(page, PHONE["width"])
    screenshot(page, "catalog-matter-guide-phone")
    assert not errors, errors


def test_leaving_the_search_box_does_not_ask_again(page, district):
    """The search box's change event (it fires when the box loses focus) used to send the same
    search a second time; its answer pushed a history entry that cancelled the navigation of a
    result link clicked at that moment."""
    page.goto("/guide/")
    search(page, "结婚")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    department = page.get_by_label("实施部门")
    with page.expect_response(re.compile(r"department=\d")):
        department.focus()  # the search box loses focus
        department.select_option(index=1)
    assert len(asked) == 1 and "department=" in asked[0], asked


def test_bundle_guide_on_desktop_phone_and_paper(page, district):
    page.goto("/guide/")
    page.get_by_role("link", name="二手房交易登记一件事").click()
    page.wait_for_url("**/guide/bundle/**")
    assert "合计承诺时限" in page.get_by_test_id("guide-facts").inner_text()
    screenshot(page, "catalog-bundle-guide-desktop")
    page.set_viewport_size(PHONE)
    fits(page, PHONE["width"])
    screenshot(page, "catalog-bundle-guide-phone")
    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    page.emulate_media(media="print")
    screenshot(page, "catalog-bundle-guide-print")


def _login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_staff_pages(page, district, size):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if size == "phone":
        page.set_viewport_size(PHONE)
    _login(page, "admin")
    page.goto("/guide/manage/")
    page.get_by_label("部门").select_option(label="不动产登记")
    page.wait_for_url("**department=**")
    wait_for_js(
        page, "document.querySelectorAll('[data-testid=matter-table] tbody tr').length < 20"
    )
    screenshot(page, f"catalog-manage-{size}")
    page.get_by_test_id("matter-table").get_by_role("link").first.click()
    page.wait_for_url("**/edit/")
    rows = page.locator("#material-rows .material-row")
    before = rows.count()
    page.get_by_role("button", name="添加材料").click()
    assert rows.count() == before + 1
    screenshot(page, f"catalog-matter-form-{size}")
    page.goto("/guide/manage/import/")
    screenshot(page, f"catalog-import-{size}")
    page.goto("/guide/manage/bundles/")
    screenshot(page, f"catalog-bundles-{size}")
    page.get_by_test_id("bundle-table").get_by_role("link").first.click()
    page.wait_for_url("**/edit/")
    screenshot(page, f"catalog-bundle-form-{size}")
    if size == "phone":
        fits(page, PHONE["width"])
    assert not errors, errors
