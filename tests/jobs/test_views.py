"""后台任务 page: the sysadmin sees schedules, workers and failed jobs, and retries them."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.jobs.models import Schedule, WorkerBeat
from chuangkou.jobs.scheduler import sync_schedules

from . import sample

pytestmark = pytest.mark.django_db


def _failed(task_path=sample.add.module_path, args=(1, 2)) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": list(args), "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        run_after=timezone.now(),
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="builtins.ValueError",
        traceback="Traceback (most recent call last):\n  ...\nValueError: 数据库连接中断\n",
    )


@pytest.fixture
def sysadmin(role_user):
    return role_user(Role.SYSADMIN, username="sys")


def test_the_page_shows_schedules_workers_and_failed_jobs(db_tasks, sysadmin, client_as):
    _failed()
    WorkerBeat.objects.create(worker_id="w", hostname="host", pid=1, seen_at=timezone.now())
    page = client_as(sysadmin).get("/jobs/").content.decode()
    assert "审计日志签名检查点" in page and "每 1 小时" in page
    assert "ValueError: 数据库连接中断" in page and 'data-confirm="重新运行该任务？"' in page
    assert 'data-testid="worker-count">1<' in page and "没有运行中的处理进程" not in page


def test_no_worker_is_said(db_tasks, sysadmin, client_as):
    page = client_as(sysadmin).get("/jobs/").content.decode()
    assert "没有运行中的处理进程" in page and "没有失败的任务" in page


def test_retry_queues_the_job_again_once(db_tasks, sysadmin, client_as):
    failed = _failed()
    client = client_as(sysadmin)
    response = client.post(f"/jobs/failed/{failed.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == "/jobs/"
    new = DBTaskResult.objects.get()
    assert new.status == "READY" and new.args_kwargs["args"] == [1, 2] and new.pk != failed.pk
    entry = AuditEntry.objects.get(action="jobs.retry")
    assert entry.object_id == str(failed.pk) and entry.after["new_task"] == str(new.pk)
    assert client.post(f"/jobs/failed/{failed.pk}/retry/").status_code == 404  # double submit


def test_imports_are_retried_on_their_own_page(db_tasks, sysadmin, client_as):
    failed = _failed("chuangkou.cases.imports.jobs.run_import_task", args=(1,))
    client = client_as(sysadmin)
    response = client.post(f"/jobs/failed/{failed.pk}/retry/", follow=True)
    assert "历史办件导入请由中心管理员在该导入的页面重试" in response.content.decode()
    assert DBTaskResult.objects.get().pk == failed.pk


def test_a_task_whose_code_is_gone_cannot_be_retried(db_tasks, sysadmin, client_as):
    failed = _failed("chuangkou.nowhere.gone")
    response = client_as(sysadmin).post(f"/jobs/failed/{failed.pk}/retry/", follow=True)
    assert "该任务的程序已不存在" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/jobs/failed/not-a-uuid/retry/",
        "/jobs/failed/00000000-0000-0000-0000-000000000000%00/retry/",
        "/jobs/failed/99999999999999999999/retry/",
    ],
)
def test_malformed_ids_are_not_found(sysadmin, client_as, path):
    assert client_as(sysadmin).post(path).status_code in (400, 404)  # never a 500


def test_others_may_not_retry(db_tasks, role_user, client_as):
    failed = _failed()
    for role in (Role.SECADMIN, Role.CENTER_ADMIN, Role.AUDITOR):
        client = client_as(role_user(role, username=f"u-{role}"))
        assert client.post(f"/jobs/failed/{failed.pk}/retry/").status_code == 403
        assert client.get("/jobs/").status_code == 403
    assert DBTaskResult.objects.get().status == "FAILED"


def test_the_page_does_not_take_get_for_retry(db_tasks, sysadmin, client_as):
    failed = _failed()
    assert client_as(sysadmin).get(f"/jobs/failed/{failed.pk}/retry/").status_code == 405


def test_the_sysadmin_home_says_how_the_background_work_runs(db_tasks, sysadmin, client_as):
    client = client_as(sysadmin)
    html = client.get("/").content.decode()
    assert 'data-testid="home-jobs-workers">0<' in html and "没有运行中的处理进程" in html
    assert html.count("尚未排定") == 1  # one line: no worker has scheduled the periodic jobs yet

    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w", hostname="host", pid=1, seen_at=now)
    sync_schedules(now)
    _failed()
    Schedule.objects.filter(name="audit_checkpoint").update(last_outcome="failed", last_run_at=now)
    Schedule.objects.filter(name="recover_abandoned").update(
        next_run_at=now - dt.timedelta(hours=2)
    )
    html = client.get("/").content.decode()
    assert 'data-testid="home-jobs-workers">1<' in html and "没有运行中的处理进程" not in html
    assert 'data-testid="home-jobs-failed">1<' in html
    assert "尚未排定" not in html
    assert html.count("上次运行失败") == 1 and html.count("已过运行时间未执行") == 1

    Schedule.objects.update(last_outcome="succeeded", next_run_at=now + dt.timedelta(hours=1))
    assert "定时任务均按时运行" in client.get("/").content.decode()


def test_other_roles_do_not_see_the_background_work(db_tasks, role_user, client_as):
    for role in (Role.SECADMIN, Role.AUDITOR, Role.CENTER_ADMIN, Role.CLERK):
        assert 'data-testid="home-jobs"' not in client_as(role_user(role)).get("/").content.decode()
