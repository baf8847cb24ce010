"""The center admin picks exam candidates by searching and ticking, in a real browser."""

import datetime as dt

import pytest

from chuangkou.core.roles import Role
from chuangkou.core.services import create_account
from chuangkou.exams.models import Attempt, QuestionKind
from chuangkou.org.models import Center, Department, Region, Staff
from tests.browser.fixtures import screenshot, watch_csp

from .factories import KnowledgePointFactory, make_exam, make_paper, make_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Window@2018ok"


@pytest.fixture
def exam_without_candidates():
    region = Region.objects.create(code="330103", name="下城区", city="杭州市")
    center = Center.objects.create(region=region, name="下城区行政服务中心", kind=Center.Kind.MAIN)
    dept = Department.objects.create(region=region, code="SJ", name="市场监管")
    for i, name in enumerate(["王婷婷", "王小明", "陈晓东"], start=1):
        Staff.objects.create(
            staff_no=f"CK{i:05d}",
            name=name,
            gender="F",
            employment_type="temporary",
            department=dept,
            center=center,
            hire_date=dt.date(2017, 3, i),
        )
    create_account(actor=None, username="admin", password=PASSWORD, roles=[Role.CENTER_ADMIN])
    point = KnowledgePointFactory(name="容缺受理", parent=KnowledgePointFactory(name="制度"))
    paper = make_paper([make_question(QuestionKind.SINGLE, points=[point])])
    return make_exam(paper, [], minutes=30, title="窗口业务月度测试")


def test_the_admin_searches_and_ticks_candidates(page, exam_without_candidates):
    exam = exam_without_candidates
    blocked = watch_csp(page.context)
    page.goto("/login/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    page.goto(f"/exams/manage/{exam.pk}/")
    page.get_by_label("查找人员").fill("王")
    results = page.get_by_test_id("candidate-search")
    results.get_by_text("王小明").wait_for()
    assert results.locator('input[name="staff"]').count() == 2
    results.get_by_label("王小明").check()
    screenshot(page, "exam-candidates-search-desktop")
    page.get_by_role("button", name="添加所选人员").click()
    page.get_by_text("已添加 1 名考生").wait_for()
    added = Attempt.objects.filter(exam=exam).values_list("staff__name", flat=True)
    assert list(added) == ["王小明"]
    assert blocked == []
