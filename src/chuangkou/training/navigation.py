from chuangkou.core.navigation import NavItem

from . import permissions

ITEMS = [
    NavItem("我的培训", "training:my_trainings", "school", permissions.STAFF_ROLES, 640),
    NavItem("培训活动", "training:event_list", "presentation", permissions.READER_ROLES, 641),
    NavItem("培训学时", "training:hours", "clock-hour-4", permissions.HOURS_ROLES, 642),
    NavItem("培训需求", "training:needs", "target-arrow", permissions.NEEDS_ROLES, 643),
    NavItem("课件与大PK", "training:courseware_list", "file-text", permissions.READER_ROLES, 645),
    NavItem(
        "员工建议", "training:suggestion_list", "bulb", permissions.SUGGESTION_READER_ROLES, 644
    ),
]
