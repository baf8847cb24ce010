from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

from .permissions import CASE_READERS, FIGURE_READERS

ITEMS = [
    NavItem("受理办件", "cases:list", "file-certificate", CASE_READERS, order=30),
    NavItem("受理登记", "cases:accept", "file-plus", (Role.CLERK,), order=31),
    NavItem("办件统计", "cases:figures", "chart-bar", FIGURE_READERS, order=32),
    NavItem("历史办件导入", "cases:import", "database-import", (Role.CENTER_ADMIN,), order=33),
]
