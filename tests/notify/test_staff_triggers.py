"""Staff notices through the log channel: an exam opened for a clerk, a grading task, a finding
for the department head to confirm; once each."""

import pytest

from chuangkou.exams.models import Exam
from chuangkou.exams.services import exams
from chuangkou.notify.models import Message
from tests.exams.conftest import build_sitting
from tests.supervision.conftest import build_sv
from tests.supervision.test_visits import file

pytestmark = pytest.mark.django_db


@pytest.fixture
def graders(role_user):
    from chuangkou.core.roles import Role

    return [role_user(Role.GRADER, username=f"g{n}", display_name=f"阅卷{n}") for n in (1, 2)]


def test_exam_opened_and_graders_told_once(org_small, graders, jobs):
    o = build_sitting(org_small, graders)
    Exam.objects.filter(pk=o.exam.pk).update(status=Exam.Status.DRAFT)
    o.exam.refresh_from_db()
    with jobs():
        exams.open_exam(actor=o.admin, exam=o.exam)
    told = Message.objects.filter(kind="staff_exam")
    assert sorted(told.values_list("user__username", flat=True)) == ["clerk01", "clerk02"]
    assert all("您有考试“测试考试”" in m.body for m in told)
    for _ in range(2):
        with jobs():
            exams.set_graders(actor=o.admin, exam=o.exam, graders=graders)
    grading = Message.objects.filter(kind="staff_grading").order_by("user__username")
    assert [m.body for m in grading] == [
        "阅卷1，您有阅卷任务“测试考试”待完成。",
        "阅卷2，您有阅卷任务“测试考试”待完成。",
    ]


def test_finding_to_the_department_head(org_small, jobs, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sv = build_sv(org_small)
    with jobs():
        visit = file(sv)
    findings = visit.findings.exclude(department=None)
    told = Message.objects.filter(kind="staff_finding")
    heads = {h.pk for f in findings for h in f.department.heads.all()}
    assert told.count() == sum(f.department.heads.count() for f in findings) > 0
    assert set(told.values_list("user_id", flat=True)) == heads
