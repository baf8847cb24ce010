"""Home cards: the clerk's upcoming exams, the grader's grading queue."""

from django.utils import timezone

from chuangkou.core.home import HomeCard
from chuangkou.core.roles import Role

from . import selectors
from .models import Attempt, Exam


def upcoming_exams(user) -> dict | None:
    """Exams the clerk is a candidate in that have not ended and not been sat yet."""
    attempts = (
        selectors.my_attempts(user)
        .filter(exam__status=Exam.Status.OPEN, exam__ends_at__gt=timezone.now())
        .exclude(status=Attempt.Status.SUBMITTED)
        .order_by("exam__starts_at")
    )
    return {"attempts": list(attempts[:5])}


def grading_queue(user) -> dict:
    tasks = selectors.grading_tasks(user)
    return {
        "waiting": tasks.count(),
        "exams": sorted({t.item.attempt.exam for t in tasks[:200]}, key=str),
    }


CARDS = [
    HomeCard("exams/_home_exams.html", (Role.CLERK,), upcoming_exams, order=30),
    HomeCard("exams/_home_grading.html", (Role.GRADER,), grading_queue, order=20),
]
