"""Who may maintain the catalog (事项目录): the center admin everything, a department head the
matters of the departments they head; only the center admin the "一件事" bundles, which span
departments."""

from chuangkou.core.roles import Role, has_role
from chuangkou.org.selectors import departments_headed_by

CATALOG_EDITORS = (Role.CENTER_ADMIN, Role.DEPT_HEAD)


def can_edit_department(user, department) -> bool:
    """May `user` create or change matters of `department`?"""
    if has_role(user, Role.CENTER_ADMIN):
        return True
    return (
        department is not None
        and has_role(user, Role.DEPT_HEAD)
        and departments_headed_by(user).filter(pk=department.pk).exists()
    )


def can_edit_matter(user, matter) -> bool:
    return can_edit_department(user, matter.department)


def can_manage_bundles(user) -> bool:
    return has_role(user, Role.CENTER_ADMIN)
