"""In a real browser: a clerk sits a short exam on a phone-sized screen (autosave, a dropped
connection, a reload, the timer, submission), the server ends a sitting when time is up, and
every page is looked at with the demo data."""

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from chuangkou.core.roles import Role
from chuangkou.core.services import create_account
from chuangkou.exams.models import Attempt, AttemptItem, QuestionKind
from chuangkou.org.models import Center, Department, Region, Staff
from tests.browser.fixtures import screenshot, wait_for_js

from .factories import KnowledgePointFactory, make_exam, make_paper, make_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Window@2018ok"
K = QuestionKind


@pytest.fixture
def short_exam():
    region = Region.objects.create(code="330103", name="下城区", city="杭州市")
    center = Center.objects.create(region=region, name="下城区行政服务中心", kind=Center.Kind.MAIN)
    dept = Department.objects.create(region=region, code="SJ", name="市场监管")
    user = create_account(
        actor=None, username="clerk01", password=PASSWORD, display_name="王婷婷", roles=[Role.CLERK]
    )
    staff = Staff.objects.create(
        staff_no="CK00001",
        name="王婷婷",
        gender="F",
        employment_type="temporary",
        department=dept,
        center=center,
        hire_date=dt.date(2017, 3, 1),
        user=user,
    )
    point = KnowledgePointFactory(name="容缺受理", parent=KnowledgePointFactory(name="制度"))
    kinds = [K.SINGLE, K.MULTIPLE, K.FILL, K.CORRECTION, K.OPEN, K.SCENARIO]
    paper = make_paper([make_question(k, points=[point]) for k in kinds])
    exam = make_exam(paper, [staff], minutes=30, title="窗口业务月度测试")
    return exam, Attempt.objects.get(exam=exam, staff=staff)


def login(page, username, password=PASSWORD):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/$"))


def saved(attempt, kind):
    return AttemptItem.objects.get(attempt=attempt, kind=kind).response


def test_a_clerk_sits_a_short_exam_on_a_phone(page, short_exam):
    exam, attempt = short_exam
    page.set_viewport_size({"width": 390, "height": 844})
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "clerk01")
    page.goto("/exams/")
    screenshot(page, "exams-my-exams-phone")
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_url("**/sit/")
    assert re.fullmatch(r"(29|30):\d\d", page.get_by_test_id("timer").inner_text())

    q = {n: page.get_by_test_id(f"question-{n}") for n in range(1, 7)}
    q[1].get_by_text("5", exact=False).first.check()
    q[2].get_by_text("一张笑脸").click()
    q[2].get_by_text("二次站立").click()
    q[3].get_by_label("第 1 空").fill("张三")
    q[3].get_by_label("第 2 空").fill("个人经营")
    q[4].get_by_label("第 1 处错误原文").fill("三个工作日")
    q[4].get_by_label("第 1 处改正").fill("五个工作日")
    q[5].get_by_label("作答").fill("先受理主要材料，签订容缺承诺书。")
    q[6].get_by_text("身份证").click()
    wait_for_js(
        page, "document.querySelector('[data-testid=save-state]').innerText.includes('已全部保存')"
    )
    assert saved(attempt, K.SINGLE) == "C"
    assert saved(attempt, K.MULTIPLE) == ["A", "B"]
    assert saved(attempt, K.FILL) == ["张三", "个人经营"]
    assert saved(attempt, K.CORRECTION) == [{"wrong": "三个工作日", "right": "五个工作日"}]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the sitting page is {width}px wide on a 390px phone"
    screenshot(page, "exams-sitting-phone")

    # the connection drops: the answer waits in localStorage and goes when it is back
    page.context.set_offline(True)
    q[6].get_by_text("购房合同").click()
    wait_for_js(
        page, "document.querySelector('[data-testid=save-state]').innerText.includes('网络中断')"
    )
    assert saved(attempt, K.SCENARIO) == ["A"]
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_js(
        page, "document.querySelector('[data-testid=save-state]').innerText.includes('已全部保存')"
    )
    assert saved(attempt, K.SCENARIO) == ["A", "B"]

    # a reload restores every answer from the server
    page.reload()
    assert page.get_by_test_id("question-1").locator("input:checked").get_attribute("value") == "C"
    assert page.get_by_test_id("question-3").get_by_label("第 1 空").input_value() == "张三"
    assert "容缺承诺书" in page.get_by_test_id("question-5").locator("textarea").input_value()

    page.get_by_test_id("submit").click()
    page.wait_for_url(f"**/exams/my/{attempt.pk}/")
    assert "已于" in page.get_by_test_id("submitted-note").inner_text()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and not attempt.auto_submitted
    screenshot(page, "exams-submitted-phone")


def test_the_time_runs_out_and_the_attempt_is_submitted(page, short_exam):
    exam, attempt = short_exam
    login(page, "clerk01")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/exams/")
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_url("**/sit/")
    screenshot(page, "exams-sitting-desktop")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + dt.timedelta(seconds=3))
    page.reload()
    page.get_by_test_id("question-1").locator("input").first.check()
    page.wait_for_url(f"**/exams/my/{attempt.pk}/", timeout=15_000)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.auto_submitted
    assert "到时自动交卷" in page.content()


PAGES = [
    ("admin", "/exams/questions/", "exams-question-list"),
    ("admin", "/exams/questions/?kind=scenario", "exams-question-list-scenario"),
    ("admin", "/exams/questions/new/?kind=fill", "exams-question-new-fill"),
    ("admin", "/exams/points/", "exams-points"),
    ("admin", "/exams/papers/", "exams-papers"),
    ("admin", "/exams/manage/", "exams-exam-list"),
    ("admin", "/exams/contests/", "exams-contest-list"),
    ("admin", "/exams/mastery/", "exams-mastery-admin"),
    ("depthead01", "/exams/mastery/", "exams-mastery-depthead"),
    ("clerk01", "/exams/", "exams-my-exams"),
    ("clerk01", "/exams/mastery/", "exams-mastery-clerk"),
    ("grader01", "/exams/grading/", "exams-grading-queue"),
]


@pytest.mark.skipif(
    os.environ.get("CHUANGKOU_SCREENSHOTS") != "1",
    reason="the screenshot tour (every page, desktop and phone) needs CHUANGKOU_SCREENSHOTS=1",
)
def test_look_at_every_page(page, exams_demo):
    from chuangkou.demo import DEMO_PASSWORD
    from chuangkou.exams.models import Contest, Exam, Question

    exam = Exam.objects.get(purpose=Exam.Purpose.COMPETITION)
    clerk_attempt = exam.attempts.get(staff__user__username="clerk01")
    contest = Contest.objects.get()
    question = Question.objects.filter(kind=K.CORRECTION).first()
    pages = [
        *PAGES,
        ("admin", f"/exams/questions/{question.pk}/", "exams-question-detail"),
        ("admin", f"/exams/papers/{exam.paper_id}/", "exams-paper-detail"),
        ("admin", f"/exams/manage/{exam.pk}/", "exams-exam-detail"),
        ("admin", f"/exams/manage/{exam.pk}/results/", "exams-results"),
        ("admin", f"/exams/manage/{exam.pk}/results/{clerk_attempt.pk}/", "exams-review"),
        ("admin", f"/exams/manage/{exam.pk}/analysis/", "exams-analysis"),
        ("admin", f"/exams/manage/{exam.pk}/regrade/", "exams-regrade"),
        ("admin", f"/exams/contests/{contest.pk}/", "exams-contest-detail"),
        ("clerk01", f"/exams/my/{clerk_attempt.pk}/", "exams-my-result"),
        (None, f"/exams/contest/{contest.pk}/board/", "exams-board"),
    ]
    current = None
    for username, url, name in pages:
        if username != current:
            page.context.clear_cookies()
            if username:
                login(page, username, DEMO_PASSWORD)
            current = username
        for width, suffix in ((1366, "desktop"), (390, "phone")):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(url)
            assert response.status == 200, url
            if "analysis" in url or "mastery" in url:
                page.wait_for_timeout(400)  # let ECharts draw
            screenshot(page, f"{name}-{suffix}")
