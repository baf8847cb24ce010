from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

ITEMS = [NavItem("后台任务", "jobs:overview", "clock-cog", (Role.SYSADMIN,), order=810)]
