"""In a real browser: a judge enters interview scores; the admin ranks and publishes the 公示;
the public reads it without logging in. Screenshots of every page, desktop and phone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chuangkou.core.calendar import forget_entered_days, is_working_day
from chuangkou.core.holidays import OfficialDay
from chuangkou.core.roles import Role
from chuangkou.core.services import create_account
from chuangkou.org.models import Center, Department, Region, Staff
from chuangkou.selection import services
from chuangkou.selection.models import Competition, InterviewScore
from tests.browser.fixtures import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Window@2018ok"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
NAMES = ["王婷婷", "陈浩然", "李静", "赵敏", "孙浩", "周晓燕"]


@pytest.fixture
def hall():
    region = Region.objects.create(code="330103", name="下城区", city="杭州市")
    center = Center.objects.create(region=region, name="下城区行政服务中心", kind=Center.Kind.MAIN)
    departments = [
        Department.objects.create(region=region, code="D01", name="不动产登记"),
        Department.objects.create(region=region, code="D02", name="公安交警"),
    ]
    staff = [
        Staff.objects.create(
            staff_no=f"CK{i:05d}",
            name=name,
            gender="F",
            employment_type=Staff.EmploymentType.TEMPORARY,
            department=departments[i % 2],
            center=center,
            hire_date=dt.date(2016, 3, i),
            phone=f"1381234{i:04d}",
        )
        for i, name in enumerate(NAMES, start=1)
    ]
    admin = create_account(
        actor=None,
        username="admin",
        password=PASSWORD,
        display_name="周主任",
        roles=[Role.CENTER_ADMIN],
    )
    judges = [
        create_account(
            actor=None,
            username=f"grader0{n}",
            password=PASSWORD,
            display_name=name,
            roles=[Role.GRADER],
        )
        for n, name in enumerate(["胡志刚", "徐建明", "金晓红", "楼国强", "沈丽萍"], start=1)
    ]
    competition = services.create_competition(
        actor=admin,
        name="2018 年窗口临编人员竞聘上岗",
        year=2018,
        budget=60000,
        written_weight=Decimal(50),
        interview_weight=Decimal(50),
        pass_line=Decimal(60),
        allowed_employment_types=[Staff.EmploymentType.TEMPORARY],
        min_service_years=1,
        service_reference_date=dt.date(2018, 4, 30),
    )
    services.set_tiers(
        actor=admin,
        competition=competition,
        tiers=[
            {"name": "一档", "quota": 1, "annual_amount": 24000},
            {"name": "二档", "quota": 2, "annual_amount": 12000},
            {"name": "三档", "quota": 2, "annual_amount": 6000},
        ],
    )
    services.set_judges(actor=admin, competition=competition, users=judges)
    services.open_registration(actor=admin, competition=competition)
    candidates = [
        services.register_candidate(actor=admin, competition=competition, staff=s) for s in staff
    ]
    services.start_scoring(actor=admin, competition=competition)
    for c, mark in zip(candidates, [92, 88, 85, 79, 70, 55], strict=True):
        services.set_written_score(actor=admin, candidate=c, score=mark)
        for judge in judges[1:]:
            services.enter_interview_score(actor=judge, candidate=c, score=mark - 1)
    return competition


@pytest.fixture
def notice_opens_today():
    """公示 starts on a working day (the next one when today is not): make today one, as the
    center's calendar would for a 调休上班日, so the notice published today is open at once."""
    today = timezone.localdate()
    if is_working_day(today):
        yield today
        return
    OfficialDay.objects.create(date=today, is_working_day=True, name="调休")
    forget_entered_days()
    try:
        yield today
    finally:
        OfficialDay.objects.filter(date=today).delete()
        forget_entered_days()


def login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def both_sizes(page, name: str) -> None:
    """Screenshots at 1366 and 390 wide; on the phone the page itself must not scroll sideways."""
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"selection-{name}-desktop")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width}px wide on a 390px phone"
    screenshot(page, f"selection-{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_a_judge_enters_scores_blind(page, hall):
    login(page, "grader01")
    page.get_by_role("link", name="面试评分").first.click()
    both_sizes(page, "judge-home")
    page.get_by_role("link", name="进入评分").click()
    sheet = page.get_by_test_id("judge-sheet")
    assert "0/6" in page.get_by_test_id("progress").inner_text()
    assert "91" not in sheet.inner_text()  # the other judges' scores are not shown

    first = page.get_by_label("王婷婷 的面试评分")
    first.fill("101")
    first.press("Enter")
    error = page.get_by_test_id("score-error")
    error.wait_for()
    assert "0 到 100" in error.inner_text()
    both_sizes(page, "judge-sheet-error")

    for name, mark in zip(NAMES, ["93", "87.5", "84", "80", "69.5", "56"], strict=True):
        box = page.get_by_label(f"{name} 的面试评分")
        box.fill(mark)
        box.press("Enter")
        page.locator(f"#judge-row-{_candidate_id(hall, name)} .is-valid").wait_for()
    assert InterviewScore.objects.filter(judge__user__username="grader01").count() == 6
    page.reload()
    assert "6/6" in page.get_by_test_id("progress").inner_text()
    both_sizes(page, "judge-sheet")


def _candidate_id(competition, name: str) -> int:
    return competition.candidates.get(staff__name=name).pk


def test_the_admin_ranks_and_publishes_and_the_public_reads_it(
    page, hall, browser, live_server, notice_opens_today
):
    judge = hall.judges.get(seat=1).user
    for c in hall.candidates.all():
        services.enter_interview_score(actor=judge, candidate=c, score=c.written_score)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "admin")
    page.get_by_role("link", name="竞聘上岗").first.click()
    both_sizes(page, "competition-list")
    page.get_by_role("link", name=hall.name).click()
    both_sizes(page, "competition-detail-scoring")
    page.get_by_role("link", name="报名人员").click()
    both_sizes(page, "candidates")
    page.goto(f"/selection/{hall.pk}/written/import/")
    both_sizes(page, "written-import")

    page.goto(f"/selection/{hall.pk}/")
    page.get_by_role("button", name="计算排名与定档").click()
    page.wait_for_url(f"**/selection/{hall.pk}/ranking/")
    table = page.get_by_test_id("ranking-table")
    assert "一档" in table.inner_text() and "未达合格线" in table.inner_text()
    assert page.get_by_test_id("budget-total").inner_text() == "60,000"
    both_sizes(page, "ranking")

    page.get_by_test_id("publish-link").click()
    both_sizes(page, "publish")
    page.get_by_role("button", name="发布公示").click()
    page.wait_for_url(f"**/selection/{hall.pk}/")
    assert "已发布公示" in page.locator(".alert-success").inner_text()
    both_sizes(page, "competition-detail-published")
    assert Competition.objects.get(pk=hall.pk).status == Competition.Status.PUBLISHED

    page.get_by_role("button", name="确认定岗").click()
    page.locator(".alert-danger", has_text="期满后才能确认定岗").wait_for()
    page.get_by_role("link", name="异议").click()
    both_sizes(page, "objections")

    public = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    anonymous = public.new_page()
    anonymous.goto("/selection/notice/")
    both_sizes(anonymous, "notice-list")
    anonymous.get_by_role("link", name=hall.name).click()
    notice = anonymous.get_by_test_id("notice-table").inner_text()
    assert "王婷婷" in notice and "CK00001" not in notice and "13812340001" not in notice
    assert "周晓燕" not in notice  # below the pass line
    assert "登录后实名提出异议" in anonymous.content()
    both_sizes(anonymous, "notice-detail")
    public.close()


def test_admin_setup_pages_look_right(page):
    create_account(
        actor=None,
        username="admin",
        password=PASSWORD,
        display_name="周主任",
        roles=[Role.CENTER_ADMIN],
    )
    create_account(
        actor=None,
        username="grader01",
        password=PASSWORD,
        display_name="胡志刚",
        roles=[Role.GRADER],
    )
    login(page, "admin")
    page.goto("/selection/new/")
    both_sizes(page, "competition-create")
    page.get_by_label("竞聘名称").fill("2019 年竞聘上岗")
    page.get_by_label("年度预算（元）").fill("500000")
    page.get_by_label("笔试权重（%）").fill("60")
    page.get_by_role("button", name="保存").click()
    page.locator(".invalid-feedback", has_text="之和须为 100%").first.wait_for()
    both_sizes(page, "competition-create-error")
    page.get_by_label("笔试权重（%）").fill("50")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/selection/*/")
    competition = Competition.objects.get()
    page.goto(f"/selection/{competition.pk}/tiers/")
    both_sizes(page, "tiers")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/selection/{competition.pk}/")
    assert competition.tiers.count() == 3
    page.goto(f"/selection/{competition.pk}/judges/")
    both_sizes(page, "judges")
    page.get_by_label("胡志刚（grader01）").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/selection/{competition.pk}/")
    both_sizes(page, "competition-detail-draft")


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["工号", "姓名", "笔试成绩"])
    for row in rows:
        wb.active.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_imports_ties_and_objections(page, hall, browser, live_server, notice_opens_today):
    """Written scores from Excel (a bad sheet first), a tie at the 一档 boundary settled by the
    admin, then a clerk's objection on the public page and the admin's answer."""
    page.on("dialog", lambda dialog: dialog.accept())
    judges = [j.user for j in hall.judges.all()]
    for c in hall.candidates.all():  # one interview score for all: 王婷婷 and 陈浩然 tie for 1st
        for judge in judges:
            services.enter_interview_score(actor=judge, candidate=c, score=80)
    login(page, "admin")
    page.goto(f"/selection/{hall.pk}/written/import/")
    bad = _xlsx(
        [("CK00001", "王婷婷", 101), ("CK09999", "无此人", 80), ("CK00002", "陈浩然", "八十")]
    )
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(
        files=[{"name": "笔试成绩.xlsx", "mimeType": "application/octet-stream", "buffer": bad}]
    )
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_test_id("import-errors").locator("tbody tr")).to_have_count(3)
    both_sizes(page, "written-import-errors")
    good = _xlsx(
        (s.staff_no, s.name, mark)
        for s, mark in zip(
            Staff.objects.order_by("staff_no"), [88, 88, 85, 70, 65, 50], strict=True
        )
    )
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(
        files=[{"name": "笔试成绩.xlsx", "mimeType": "application/octet-stream", "buffer": good}]
    )
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url(f"**/selection/{hall.pk}/candidates/")
    assert "导入成功" in page.locator(".alert-success").inner_text()

    page.goto(f"/selection/{hall.pk}/")
    page.get_by_role("button", name="计算排名与定档").click()
    page.wait_for_url(f"**/selection/{hall.pk}/ranking/")
    tie = page.get_by_test_id("tie-group")
    assert "跨档待定" in tie.inner_text()
    both_sizes(page, "ranking-tie")
    page.get_by_label("王婷婷 的顺位").fill("2")
    page.get_by_label("陈浩然 的顺位").fill("1")
    page.get_by_label("依据").fill("2018-05-21 加试，陈浩然得分较高")
    page.get_by_role("button", name="按顺位定档").click()
    page.locator(".alert-success", has_text="并列已处理").wait_for()
    assert hall.candidates.get(staff__name="陈浩然").tier.name == "一档"
    assert hall.candidates.get(staff__name="王婷婷").tier.name == "二档"
    page.goto(f"/selection/{hall.pk}/publish/")
    page.get_by_role("button", name="发布公示").click()
    page.wait_for_url(f"**/selection/{hall.pk}/")

    create_account(
        actor=None, username="clerk01", password=PASSWORD, display_name="叶晓燕", roles=[Role.CLERK]
    )
    other = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    clerk = other.new_page()
    login(clerk, "clerk01")
    clerk.goto(f"/selection/notice/{hall.pk}/")
    form = clerk.get_by_test_id("objection-form")
    form.get_by_label("涉及人员").select_option(label="陈浩然")
    form.get_by_label("异议内容").fill("加试")
    form.get_by_role("button", name="提交异议").click()
    clerk.locator(".invalid-feedback", has_text="至少 5 个字").wait_for()
    both_sizes(clerk, "notice-objection-error")
    clerk.get_by_label("异议内容").fill("陈浩然与王婷婷并列，加试过程是否公开？请说明。")
    clerk.get_by_role("button", name="提交异议").click()
    clerk.locator(".alert-success", has_text="异议已提交").wait_for()
    other.close()

    page.goto(f"/selection/{hall.pk}/objections/")
    assert "加试过程是否公开" in page.get_by_test_id("objection-table").inner_text()
    page.get_by_role("link", name="处理").click()
    both_sizes(page, "objection-handle")
    page.get_by_label("处理意见").fill("加试由评委组现场命题并全程记录，结果已存档，异议不成立。")
    page.get_by_role("button", name="保存处理结果").click()
    page.wait_for_url(f"**/selection/{hall.pk}/objections/")
    both_sizes(page, "objections-handled")
