"""Who may do what in 竞聘上岗.

The center admin runs competitions (settings, registration, written scores, ranking, 公示,
objections). A judge is a user who holds the grader role *and* sits on the competition's panel;
a judge enters and sees only their own interview scores. Any signed-in user may raise an
objection during the notice period; the public notice page needs no login.
"""

from chuangkou.core.errors import PermissionDeniedError
from chuangkou.core.roles import Role, has_role

from .models import Competition, Judge

MANAGER_ROLES = (Role.CENTER_ADMIN,)


def can_manage(user) -> bool:
    return has_role(user, *MANAGER_ROLES)


def require_manager(user) -> None:
    if not can_manage(user):
        raise PermissionDeniedError("只有中心管理员可以管理竞聘上岗。")


def judge_seat(user, competition: Competition) -> Judge | None:
    """The user's seat on the competition's interview panel, if they are a judge there."""
    if not has_role(user, Role.GRADER):
        return None
    return Judge.objects.filter(competition=competition, user=user).first()


def require_judge(user, competition: Competition) -> Judge:
    judge = judge_seat(user, competition)
    if judge is None:
        raise PermissionDeniedError("只有本次竞聘的面试评委可以录入面试评分。")
    return judge
