"""Who may accept cases, act on a case, see the applicant in full, read figures, import."""

from chuangkou.core.roles import Role, has_role
from chuangkou.org.selectors import departments_headed_by, staff_of

CASE_READERS = (Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.CLERK)
FIGURE_READERS = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
ACCEPTORS = (Role.CLERK, Role.CENTER_ADMIN)


def can_accept_at_window(user) -> bool:
    """窗口受理: a clerk with a staff record (the case names its 受理人)."""
    return has_role(user, Role.CLERK) and staff_of(user) is not None


def can_accept_online(user) -> bool:
    """网上申请受理: clerks and the center admin (back-office acceptance)."""
    return has_role(user, *ACCEPTORS)


def heads_department(user, department_id: int) -> bool:
    return (
        has_role(user, Role.DEPT_HEAD)
        and departments_headed_by(user).filter(pk=department_id).exists()
    )


def can_handle(user, case) -> bool:
    """Status actions and visits: the center admin, the head of the case's department, or the
    clerk who accepted it."""
    if has_role(user, Role.CENTER_ADMIN):
        return True
    if heads_department(user, case.department_id):
        return True
    return has_role(user, Role.CLERK) and _accepted_by(user, case)


def _accepted_by(user, case) -> bool:
    return case.clerk_id is not None and case.clerk.user_id == user.pk


def can_see_full_applicant(user, case) -> bool:
    """The unmasked ID and phone: only the clerk handling the case (to contact the applicant)."""
    return _accepted_by(user, case)


def can_read_figures(user) -> bool:
    return has_role(user, *FIGURE_READERS)


def can_import(user) -> bool:
    return has_role(user, Role.CENTER_ADMIN)
