from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

ITEMS = [
    NavItem("办事指南", "catalog:guide", "book", order=20),
    NavItem("事项管理", "catalog:manage", "list-details", (Role.CENTER_ADMIN, Role.DEPT_HEAD), 21),
    NavItem("一件事管理", "catalog:bundles", "stack-2", (Role.CENTER_ADMIN,), order=22),
]
