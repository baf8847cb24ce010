"""Who may do what in 人文关怀. Notes and appointments are checked against the person, not a role:
only the appointment's own counselor reads a note (not the center admin, sysadmin or auditor)."""

from chuangkou.core.roles import Role, has_role

STAFF_ROLES = (Role.CLERK, Role.LOBBY_MANAGER, Role.DEPT_HEAD)  # take leave, book counseling
STAFFING_ROLES = (Role.DEPT_HEAD,)  # who is away on which day, their departments only
FIGURES_ROLES = (Role.CENTER_ADMIN,)
COUNSELOR_ROLES = (Role.COUNSELOR,)
TALK_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)


def is_own_counselor(user, appointment) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and has_role(user, Role.COUNSELOR)
        and appointment.slot.counselor_id == user.pk
    )


def may_talk_with(user, staff) -> bool:
    """约谈: the center admin with anyone; a department head with the staff of their departments."""
    if has_role(user, Role.CENTER_ADMIN):
        return True
    return (
        has_role(user, Role.DEPT_HEAD)
        and user.headed_departments.filter(pk=staff.department_id).exists()
    )
