"""Who may review a pre-review and read the figures.

Reviewers (预审人员): clerks of the department that owns the matter, working at the pre-review's
center, and the center admin. A clerk of another center or another department is refused.
"""

from chuangkou.core.roles import Role, has_role
from chuangkou.org.selectors import staff_of

REVIEWER_ROLES = (Role.CLERK, Role.CENTER_ADMIN)
FIGURE_ROLES = (Role.CENTER_ADMIN,)


def is_center_admin(user) -> bool:
    return has_role(user, Role.CENTER_ADMIN)


def can_review(user, prereview) -> bool:
    if is_center_admin(user):
        return True
    if not has_role(user, Role.CLERK):
        return False
    staff = staff_of(user)
    return (
        staff is not None
        and staff.center_id == prereview.center_id
        and staff.department_id == prereview.matter.department_id
    )


def can_read_figures(user) -> bool:
    return has_role(user, *FIGURE_ROLES)


def can_review_any(user) -> bool:
    return has_role(user, *REVIEWER_ROLES)
