"""Staff notices of exams (built here, sent by notify): a clerk is told of an exam opened for
them, a grader of a grading task. The hooks are one line and only queue a job."""

from django.utils import timezone
from django_tasks import task

from chuangkou.notify import jobs
from chuangkou.notify import services as notify

from .models import Exam


def exam_opened(exam: Exam) -> None:
    jobs.enqueue(after_open, exam.pk)


def graders_set(exam: Exam) -> None:
    jobs.enqueue(after_graders, exam.pk)


def _name(user) -> str:
    return user.display_name or user.get_username()


@task(queue_name="notify")
def after_open(exam_id: int) -> int:
    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None:
        return 0
    starts = timezone.localtime(exam.starts_at)
    when = f"{starts.month}月{starts.day}日 {starts:%H:%M}"
    sent = 0
    for attempt in exam.attempts.select_related("staff__user"):
        staff = attempt.staff
        if staff.user is None:
            continue
        sent += len(
            notify.notify_user(
                "staff_exam",
                user=staff.user,
                phone=staff.phone,
                fields={"name": staff.name, "title": exam.title, "when": when},
                key=str(exam.pk),
                center_id=staff.center_id,
            )
        )
    return sent


@task(queue_name="notify")
def after_graders(exam_id: int) -> int:
    """Each grader of the exam, once per exam (a grader added later is told then)."""
    from chuangkou.org.models import Staff

    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None:
        return 0
    sent = 0
    for grader in exam.graders.all():
        staff = Staff.objects.filter(user=grader).first()
        sent += len(
            notify.notify_user(
                "staff_grading",
                user=grader,
                phone=staff.phone if staff else "",
                fields={"name": _name(grader), "title": exam.title},
                key=str(exam.pk),
            )
        )
    return sent
