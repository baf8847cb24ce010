"""The cases pages in a real browser (Debian's Chromium), on a desktop and on a phone, with the
tiny demo loaded: the figures page draws its charts and shows the briefing's 3.5 times."""

import datetime as dt

import pytest

from chuangkou.cases import demo
from chuangkou.cases.imports import HEADERS
from chuangkou.cases.models import Case
from chuangkou.demo import DEMO_PASSWORD
from tests.browser.fixtures import screenshot

from .test_demo import load_base_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def demo_cases():
    load_base_demo()
    demo.load(scale="tiny")


def login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a phone"


def _both_sizes(page, url: str, name: str) -> None:
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        response = page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        page.wait_for_load_state("networkidle")
        screenshot(page, f"cases/{name}-{label}")
        if size is PHONE:
            _fits_the_phone(page)


def test_the_figures_page_draws_the_briefing(page, demo_cases):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, "admin")
    page.goto("/cases/")
    page.get_by_role("link", name="办件统计").first.click()
    page.get_by_role("link", name="2018年上半年").click()
    page.wait_for_url("**start=2018-01-01**")
    assert page.get_by_test_id("year-on-year").inner_text() == "3.50 倍（+250.3%）"
    assert page.get_by_test_id("accepted").inner_text() == "662"
    for chart in ("daily-chart", "window-chart", "yoy-chart", "rate-chart"):
        assert page.locator(f"#{chart} canvas").count() == 1, chart
    first = page.get_by_test_id("window-table").locator("tbody tr").first.inner_text()
    assert "交通违法处理" in first or "不动产登记" in first
    screenshot(page, "cases/figures-2018h1-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_load_state("networkidle")
    screenshot(page, "cases/figures-2018h1-phone")
    _fits_the_phone(page)
    assert errors == []


def test_every_cases_page_on_desktop_and_phone(page, demo_cases):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, "clerk01")
    own = Case.objects.filter(clerk__user__username="clerk01").order_by("-accepted_at").first()
    _both_sizes(page, "/cases/", "list-clerk")
    _both_sizes(page, f"/cases/{own.pk}/", "detail-clerk")
    _both_sizes(page, "/cases/accept/", "accept")
    page.context.clear_cookies()
    login(page, "admin")
    _both_sizes(page, "/cases/?status=completed&date_from=2018-01-01", "list-admin")
    _both_sizes(page, "/cases/figures/", "figures-default")
    _both_sizes(page, "/cases/import/", "import")
    job = own.import_job_id or Case.objects.exclude(import_job=None).first().import_job_id
    _both_sizes(page, f"/cases/import/{job}/", "import-job")
    assert errors == []


def test_a_clerk_accepts_and_completes_a_case_in_the_browser(page, demo_cases):
    login(page, "clerk01")
    page.goto("/cases/accept/")
    page.get_by_label("受理渠道").select_option(label="窗口受理")
    page.locator("#id_matter").select_option(index=1)
    page.get_by_label("申请人（姓名或企业名称）").fill("张小花")
    page.get_by_label("身份证号 / 统一社会信用代码").fill("330103198501010010")
    page.get_by_role("button", name="受理").click()
    page.wait_for_url("**/cases/*/")
    assert "已受理，受理编号" in page.locator(".alert-success").inner_text()
    screenshot(page, "cases/detail-open-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "cases/detail-open-phone")
    _fits_the_phone(page)
    page.set_viewport_size(DESKTOP)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("action-complete").get_by_role("button").click()
    page.locator(".alert-success", has_text="已办结").wait_for()  # not the earlier 已受理
    screenshot(page, "cases/detail-completed-desktop")


def _history_csv(rows: int, *, broken: bool = False) -> bytes:
    """Cases of 2016 for the demo catalog; `broken` spoils a few cells."""
    lines = [",".join(HEADERS)]
    for i in range(rows):
        day = dt.date(2016, 3, 1) + dt.timedelta(days=i % 200)
        accepted = f"{day} 09:{i % 60:02d}"
        done = f"{day + dt.timedelta(days=2)} 15:00"
        matter = "NO-SUCH" if broken and i % 7 == 3 else "330103-BDC-001"
        if broken and i % 11 == 5:
            accepted = "2016-02-30"
        lines.append(
            f"H-{i:07d},{matter},窗口受理,下城区行政服务中心,A01,,个人,历史{i},,,"
            f"{accepted},已办结,{done},1,"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def test_the_import_page_shows_progress_and_errors(page, demo_cases, tmp_path):
    login(page, "admin")
    bad = tmp_path / "历史办件-有错.csv"
    bad.write_bytes(_history_csv(40, broken=True))
    page.goto("/cases/import/")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_selector("[data-testid=import-errors]", timeout=60_000)
    assert "未导入任何数据" in page.get_by_test_id("import-progress").inner_text()
    screenshot(page, "cases/import-errors-desktop")
    assert not Case.objects.filter(number__startswith="H-").exists()

    good = tmp_path / "历史办件.csv"
    good.write_bytes(_history_csv(30_000))
    page.goto("/cases/import/")
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url("**/cases/import/*/")
    screenshot(page, "cases/import-running-desktop")
    page.wait_for_selector("[data-testid=import-progress][data-status=done]", timeout=120_000)
    screenshot(page, "cases/import-done-desktop")
    assert Case.objects.filter(number__startswith="H-").count() == 30_000


def test_a_large_export_is_written_in_the_background_and_downloaded(
    page, demo_cases, monkeypatch, settings, tmp_path
):
    from openpyxl import load_workbook

    from chuangkou.core import exports

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(exports, "INLINE_ROWS", 100)  # the tiny demo's cases count as large
    total = Case.objects.filter(status="completed").count()
    login(page, "admin")
    page.goto("/cases/?status=completed")
    page.get_by_test_id("export-xlsx").click()
    page.wait_for_url("**/exports/*/")
    progress = page.locator("[data-testid=export-progress][data-status=done]")
    progress.wait_for(timeout=60_000)
    assert f"已导出 {total} 条" in progress.inner_text()
    assert "已转入后台导出" in page.content()
    screenshot(page, "core/export-job-desktop")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_test_id("export-download").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("受理件_")
    sheet = load_workbook(path).active
    assert sheet.max_row == total + 1
    page.get_by_role("link", name="我的导出").first.click()
    page.wait_for_url("**/exports/")
    assert path.name in page.get_by_test_id("export-list").inner_text()
    screenshot(page, "core/export-list-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, "core/export-list-phone")
    _fits_the_phone(page)
    page.get_by_role("link", name=path.name).click()
    page.wait_for_url("**/exports/*/")
    screenshot(page, "core/export-job-phone")
    _fits_the_phone(page)


def test_an_export_shows_its_filter_and_is_cancelled_from_its_page_and_the_list(
    page, demo_cases, monkeypatch, settings, tmp_path
):
    from chuangkou.core import exports
    from chuangkou.core.models import ExportJob
    from chuangkou.org.models import Department

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {  # no worker runs here: the jobs wait, so they can be cancelled
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    monkeypatch.setattr(exports, "INLINE_ROWS", 1)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation: 确定
    dept = Department.objects.get(pk=Case.objects.values_list("department", flat=True).first())
    desktop = {"width": 1280, "height": 900}
    page.set_viewport_size(desktop)
    login(page, "admin")
    page.goto(f"/cases/?status=completed&department={dept.pk}")
    page.get_by_test_id("export-xlsx").click()
    page.wait_for_url("**/exports/*/")
    page.locator("[data-testid=export-progress][data-status=pending]").wait_for()
    shown = page.locator("dl[data-testid=export-filter]").inner_text()
    assert f"状态：已办结；部门：{dept.name}" in shown and "department=" not in shown
    screenshot(page, "core/export-job-cancel-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "core/export-job-cancel-phone")
    _fits_the_phone(page)
    page.get_by_test_id("export-cancel").click()
    cancelled = page.locator("[data-testid=export-progress][data-status=cancelled]")
    cancelled.wait_for()
    assert "已取消" in cancelled.inner_text()
    assert page.get_by_test_id("export-retry").is_visible()
    screenshot(page, "core/export-job-cancelled-phone")

    page.set_viewport_size(desktop)
    page.goto("/cases/")
    page.get_by_test_id("export-xlsx").click()  # another export, all cases
    page.wait_for_url("**/exports/*/")
    page.goto("/exports/")
    rows = page.get_by_test_id("export-list").locator("tbody tr")
    assert "全部（未筛选）" in rows.nth(0).inner_text() and "已取消" in rows.nth(1).inner_text()
    screenshot(page, "core/export-list-cancel-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "core/export-list-cancel-phone")
    _fits_the_phone(page)
    rows.nth(0).get_by_test_id("export-cancel").click()
    page.wait_for_url("**/exports/")
    page.get_by_text("已取消该导出。").wait_for()
    assert rows.nth(0).get_by_test_id("export-cancel").count() == 0
    assert set(ExportJob.objects.values_list("status", flat=True)) == {"cancelled"}
    screenshot(page, "core/export-list-cancelled-phone")
    assert errors == []
