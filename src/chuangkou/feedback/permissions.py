"""Who may do what in 好差评: enter ratings, handle bad ratings, decide appeals, run surveys."""

from chuangkou.core.roles import Role, has_role

ENTRY_ROLES = (Role.CENTER_ADMIN, Role.LOBBY_MANAGER)
HANDLER_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
FIGURE_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
SURVEY_ROLES = (Role.CENTER_ADMIN,)
PAD_ROLES = (Role.CLERK,)


def can_enter_ratings(user) -> bool:
    """短信/热线/网上评价录入: center admin and lobby manager."""
    return has_role(user, *ENTRY_ROLES)


def heads_department(user, department_id: int | None) -> bool:
    return bool(
        department_id
        and has_role(user, Role.DEPT_HEAD)
        and user.headed_departments.filter(pk=department_id).exists()
    )


def can_handle(user, rectification) -> bool:
    """回访、整改、申诉: the center admin or the head of the rated department."""
    if has_role(user, Role.CENTER_ADMIN):
        return True
    return heads_department(user, rectification.evaluation.department_id)


def can_decide_appeal(user) -> bool:
    return has_role(user, Role.CENTER_ADMIN)


def can_manage_surveys(user) -> bool:
    return has_role(user, *SURVEY_ROLES)
