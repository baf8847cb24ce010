from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

ITEMS = [
    NavItem("叫号工作台", "hall:desk", "speakerphone", (Role.CLERK,), order=20),
    NavItem("大堂取号", "hall:lobby", "ticket", (Role.LOBBY_MANAGER, Role.CENTER_ADMIN), order=21),
    NavItem(
        "排队记录",
        "hall:ticket_list",
        "list-numbers",
        (Role.CENTER_ADMIN, Role.LOBBY_MANAGER, Role.DEPT_HEAD),
        order=22,
    ),
    NavItem(
        "预约记录",
        "hall:appointment_list",
        "calendar-time",
        (Role.CENTER_ADMIN, Role.LOBBY_MANAGER),
        order=23,
    ),
    NavItem("排队统计", "hall:metrics", "chart-bar", (Role.CENTER_ADMIN, Role.DEPT_HEAD), order=24),
    NavItem("队列设置", "hall:queue_list", "adjustments", (Role.CENTER_ADMIN,), order=25),
    NavItem("预约时段", "hall:slot_list", "calendar-plus", (Role.CENTER_ADMIN,), order=26),
]
