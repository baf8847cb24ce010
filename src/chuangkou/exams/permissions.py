"""Who may do what in the question bank and the exams."""

from chuangkou.core.errors import PermissionDeniedError
from chuangkou.core.roles import Role, has_role

from .models import Attempt, Exam, Grade

MANAGERS = (Role.CENTER_ADMIN,)


def can_manage(user) -> bool:
    """题库、试卷、考试、比武 are built and published by the center admin."""
    return has_role(user, *MANAGERS)


def require_manager(user) -> None:
    if not can_manage(user):
        raise PermissionDeniedError("只有中心管理员可以管理题库和考试。")


def is_candidate(user, attempt: Attempt) -> bool:
    staff = attempt.staff
    return bool(staff.user_id) and staff.user_id == getattr(user, "pk", None)


def require_candidate(user, attempt: Attempt) -> None:
    if not is_candidate(user, attempt):
        raise PermissionDeniedError("这不是您的考试。")


def can_grade(user, exam: Exam) -> bool:
    return has_role(user, Role.GRADER) and exam.graders.filter(pk=user.pk).exists()


def require_grader_of(user, grade: Grade) -> None:
    if grade.grader_id != getattr(user, "pk", None) or not has_role(user, Role.GRADER):
        raise PermissionDeniedError("这份答卷没有分配给您评阅。")
