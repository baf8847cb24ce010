from chuangkou.core.navigation import NavItem

from . import permissions

ITEMS = [
    NavItem("评先评优", "honors:campaign_list", "award", permissions.CAMPAIGN_READER_ROLES, 600),
    NavItem(
        "锦旗与表彰", "honors:commendation_list", "flag", permissions.COMMENDATION_READER_ROLES, 610
    ),
]
