from chuangkou.core.navigation import NavItem

from . import permissions

ITEMS = [
    NavItem("我的心理假", "care:my_leave", "leaf", permissions.STAFF_ROLES, 700),
    NavItem("心理咨询", "care:counseling", "heart-handshake", permissions.STAFF_ROLES, 710),
    NavItem("咨询师工作台", "care:counselor", "notebook", permissions.COUNSELOR_ROLES, 705),
    NavItem("心理假在岗安排", "care:staffing", "calendar-user", permissions.STAFFING_ROLES, 720),
    NavItem("人文关怀统计", "care:figures", "chart-bar", permissions.FIGURES_ROLES, 720),
    NavItem("约谈记录", "care:talk_list", "messages", permissions.TALK_ROLES, 730),
]
