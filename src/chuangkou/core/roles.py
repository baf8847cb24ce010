"""Roles are Django groups; this module is the one place that names them.

A user may hold several roles. Superusers hold every role.
"""

from enum import StrEnum


class Role(StrEnum):
    CENTER_ADMIN = "center_admin"
    DEPT_HEAD = "dept_head"
    CLERK = "clerk"
    LOBBY_MANAGER = "lobby_manager"
    GRADER = "grader"
    SUPERVISOR = "supervisor"
    COUNSELOR = "counselor"
    SYSADMIN = "sysadmin"
    SECADMIN = "secadmin"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CENTER_ADMIN: "中心管理员",
    Role.DEPT_HEAD: "部门负责人",
    Role.CLERK: "窗口人员",
    Role.LOBBY_MANAGER: "大堂经理",
    Role.GRADER: "阅卷/评委",
    Role.SUPERVISOR: "义务行风监督员",
    Role.COUNSELOR: "心理咨询师",
    Role.SYSADMIN: "系统管理员",
    Role.SECADMIN: "安全管理员",
    Role.AUDITOR: "审计员",
}


def roles_of(user) -> set[Role]:
    """The roles a user holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_chuangkou_roles", None)
    if cached is None:
        names = () if user.is_superuser else user.groups.values_list("name", flat=True)
        cached = remember_roles(user, names)
    return cached


def remember_roles(user, group_names) -> set[Role]:
    """Cache the roles of `user` from its group names, read together with the user elsewhere
    (the API token lookup), so `roles_of` needs no query of its own."""
    names = set(group_names)
    user._chuangkou_roles = (
        set(Role) if user.is_superuser else {r for r in Role if r.value in names}
    )
    return user._chuangkou_roles


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


# Django model permissions each role's group carries (for the data-maintenance admin);
# what a role may do in the application itself is checked by each app's permissions.
ROLE_MODEL_PERMISSIONS: dict[Role, list[str]] = {
    Role.CENTER_ADMIN: [
        "org.view_staff",
        "org.add_staff",
        "org.change_staff",
        "org.view_department",
        "org.view_window",
        "org.change_window",
        "org.view_center",
    ],
    Role.DEPT_HEAD: ["org.view_staff", "org.change_staff"],
    Role.SYSADMIN: ["core.view_user", "core.add_user", "core.change_user", "auth.view_group"],
    Role.SECADMIN: ["core.view_user", "core.change_user"],
    Role.AUDITOR: ["core.view_auditentry"],
}
