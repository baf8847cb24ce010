"""Who may do what in 能力提升: organise events, read attendance and hours, handle suggestions."""

from chuangkou.core.roles import Role, has_role

ORGANISER_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
STAFF_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.CLERK, Role.LOBBY_MANAGER)
READER_ROLES = (*STAFF_ROLES, Role.AUDITOR)
HOURS_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.AUDITOR)
NEEDS_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
SUGGESTION_ADMIN_ROLES = (Role.CENTER_ADMIN,)
SUGGESTION_READER_ROLES = (*STAFF_ROLES, Role.AUDITOR)
PK_ROLES = (*READER_ROLES, Role.GRADER)  # the panel is often made of graders
PK_EXPORT_ROLES = (Role.CENTER_ADMIN, Role.AUDITOR)


def can_manage(user, event) -> bool:
    """组织者: the center admin, or the head who organised the event."""
    if has_role(user, Role.CENTER_ADMIN):
        return True
    return has_role(user, Role.DEPT_HEAD) and event.organiser_id == user.pk


def can_handle_suggestions(user) -> bool:
    return has_role(user, *SUGGESTION_ADMIN_ROLES)
