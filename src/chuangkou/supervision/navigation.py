from chuangkou.core.navigation import NavItem

from . import permissions

ITEMS = [
    NavItem("暗访", "supervision:visit_list", "eye-check", permissions.VISIT_ROLES, order=600),
    NavItem("暗访问题", "supervision:finding_list", "alert-circle", permissions.FINDING_ROLES, 610),
    NavItem("坐班体验", "supervision:sitting_calendar", "armchair", permissions.SITTING_ROLES, 620),
    NavItem(
        "痛点堵点难点", "supervision:problem_board", "list-check", permissions.PROBLEM_ROLES, 630
    ),
]
