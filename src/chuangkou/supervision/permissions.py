"""Who may do what in 督导 (the services check these; the selectors decide the rows)."""

from chuangkou.core.roles import Role, has_role

ADMIN_ROLES = (Role.CENTER_ADMIN,)
SUPERVISOR_ROLES = (Role.SUPERVISOR,)
VISIT_ROLES = (Role.CENTER_ADMIN, Role.SUPERVISOR)
FINDING_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.CLERK, Role.LOBBY_MANAGER)
SITTING_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
PROBLEM_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)


def is_admin(user) -> bool:
    return has_role(user, *ADMIN_ROLES)


def heads(user, department_id: int | None) -> bool:
    """The user is a head of this department."""
    return bool(
        department_id
        and has_role(user, Role.DEPT_HEAD)
        and user.headed_departments.filter(pk=department_id).exists()
    )


def can_answer_finding(user, finding) -> bool:
    """确认或申辩: the head of the department the finding concerns."""
    return heads(user, finding.department_id)


def can_handle_problem(user, problem) -> bool:
    """Move a problem: the center admin or the head of its owner department."""
    return is_admin(user) or heads(user, problem.owner_id)
