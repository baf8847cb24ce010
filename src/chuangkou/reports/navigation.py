from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

ITEMS = [
    NavItem("大厅总览", "reports:hall", "layout-dashboard", (Role.CENTER_ADMIN, Role.DEPT_HEAD), 1),
    NavItem("督导总览", "reports:oversight", "eye-check", (Role.CENTER_ADMIN,), 2),
]
