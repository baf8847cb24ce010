from chuangkou.core.navigation import NavItem

from . import permissions

ITEMS = [
    NavItem("咨询待办", "consult:inbox", "message-question", permissions.DESK_ROLES, 250),
    NavItem("1call 值班", "consult:roster", "calendar-time", permissions.ADMIN_ROLES, 255),
    NavItem("1call 运行情况", "consult:overview", "chart-dots", permissions.ADMIN_ROLES, 256),
]
