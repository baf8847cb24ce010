from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

ITEMS = [
    NavItem("材料预审", "prereview:desk", "file-check", (Role.CLERK, Role.CENTER_ADMIN), order=34),
    NavItem("预审统计", "prereview:figures", "chart-dots", (Role.CENTER_ADMIN,), order=35),
]
