from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

ITEMS = [
    NavItem("首页", "home", "home", order=0),
    NavItem(
        "窗口人员",
        "org:staff_list",
        "users",
        (Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.SYSADMIN, Role.AUDITOR),
        order=10,
    ),
    NavItem("人员流失率", "org:turnover", "chart-line", (Role.CENTER_ADMIN, Role.DEPT_HEAD), 11),
    NavItem("我的档案", "org:my_profile", "id-badge", (Role.CLERK, Role.LOBBY_MANAGER), order=5),
]
