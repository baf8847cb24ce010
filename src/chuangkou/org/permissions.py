"""Who may change which staff record, and which of its fields."""

from chuangkou.core.roles import Role, has_role

from .models import Staff

ALL_FIELDS = frozenset(
    {
        "name",
        "gender",
        "employment_type",
        "category",
        "department",
        "center",
        "window",
        "hire_date",
        "phone",
        "id_number",
    }
)
OWN_PROFILE_FIELDS = frozenset({"phone"})
TURNOVER_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)


def editable_fields(user, staff: Staff) -> frozenset[str]:
    """Fields of `staff` that `user` may change (empty: none)."""
    if has_role(user, Role.CENTER_ADMIN):
        return ALL_FIELDS
    if has_role(user, Role.DEPT_HEAD) and staff.department.heads.filter(pk=user.pk).exists():
        return ALL_FIELDS - {"department"}
    if staff.user_id == user.pk:
        return OWN_PROFILE_FIELDS
    return frozenset()


def can_create_staff(user, department=None) -> bool:
    if has_role(user, Role.CENTER_ADMIN):
        return True
    return bool(
        department is not None
        and has_role(user, Role.DEPT_HEAD)
        and department.heads.filter(pk=user.pk).exists()
    )


def can_manage_postings(user, staff: Staff) -> bool:
    """Separations and postings: center admin, or the head of the staff member's department."""
    return "hire_date" in editable_fields(user, staff)


def can_see_full_identity(user, staff: Staff) -> bool:
    """Unmasked ID and phone: the person themself and the center admin (who maintains them)."""
    return staff.user_id == user.pk or has_role(user, Role.CENTER_ADMIN)
