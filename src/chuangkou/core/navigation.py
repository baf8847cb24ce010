"""The sidebar: each app lists its entries in `<app>/navigation.py` as `ITEMS`.

An entry shows to a user who holds any of its roles (an empty role list means every signed-in user).
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.urls import reverse

from .roles import Role, roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    roles: tuple[Role, ...] = field(default_factory=tuple)
    order: int = 100


def _all_items() -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("chuangkou."):
            continue
        try:
            module = import_module(f"{config.name}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "ITEMS", []))
    return sorted(items, key=lambda i: i.order)


def items_for(user) -> list[dict]:
    held = roles_of(user)
    return [
        {"label": i.label, "url": reverse(i.url_name), "icon": i.icon, "url_name": i.url_name}
        for i in _all_items()
        if not i.roles or held & set(i.roles)
    ]


# The roles that may export a table registered with core.exports (受理件, 排队记录, 在线咨询,
# 通知记录); a test keeps it equal to `exports.exporter_roles()`
EXPORTERS = (Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.CLERK, Role.LOBBY_MANAGER, Role.SYSADMIN)

ITEMS = [
    NavItem("账号与角色", "core:accounts", "user-cog", (Role.SYSADMIN, Role.SECADMIN), order=800),
    NavItem("审计日志", "core:audit_log", "shield-check", (Role.AUDITOR,), order=900),
    NavItem("我的导出", "core:export_list", "file-download", EXPORTERS, order=980),
    NavItem("我的账号", "core:my_account", "user-circle", (), order=990),
    NavItem("节假日设置", "core:official_days", "calendar-event", (Role.CENTER_ADMIN,), order=790),
]
