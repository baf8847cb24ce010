"""In a real browser: the sysadmin's 后台任务 page at 1366 and 390 px, and retrying a failed job
(with the confirmation). Screenshots go to test-artifacts/."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chuangkou.core.roles import Role
from chuangkou.jobs import scheduler
from chuangkou.jobs.models import WorkerBeat
from tests.browser.fixtures import fits, login, screenshot
from tests.factories import UserFactory

from . import sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def test_the_sysadmin_sees_the_schedules_and_retries_a_failed_job(page, settings):
    settings.OTP_REQUIRED_ROLES = []
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    UserFactory(username="sys01", roles=[Role.SYSADMIN])
    scheduler.sync_schedules()
    WorkerBeat.objects.create(worker_id="w1", hostname="srv", pid=4242, seen_at=timezone.now())
    failed = DBTaskResult.objects.create(
        args_kwargs={"args": [1, 2], "kwargs": {}},
        task_path=sample.add.module_path,
        backend_name="default",
        run_after=timezone.now(),
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="builtins.ValueError",
        traceback="Traceback (most recent call last):\nValueError: 数据库连接中断，稍后重试\n",
    )
    login(page, "sys01")
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.goto("/jobs/")
        page.get_by_test_id("schedules").get_by_text("审计日志签名检查点").wait_for()
        fits(page, size["width"])
        screenshot(page, f"jobs-overview-{label}")
    page.set_viewport_size(DESKTOP)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("failed-tasks").get_by_role("button", name="重试").click()
    page.get_by_text("已重新排队。").wait_for(timeout=30_000)
    page.get_by_text("没有失败的任务").wait_for()
    screenshot(page, "jobs-retried-desktop")
    assert not DBTaskResult.objects.filter(pk=failed.pk).exists()
    assert DBTaskResult.objects.get().status == "READY"
