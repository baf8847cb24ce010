from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

ITEMS = [
    NavItem("通知记录", "notify:log", "bell", (Role.CENTER_ADMIN, Role.SYSADMIN), 90),
    NavItem("通知统计", "notify:figures", "chart-bar", (Role.CENTER_ADMIN, Role.SYSADMIN), 91),
    NavItem("通知模板", "notify:templates", "template", (Role.CENTER_ADMIN, Role.SYSADMIN), 92),
]
