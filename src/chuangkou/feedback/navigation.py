from chuangkou.core.navigation import NavItem

from . import permissions

ITEMS = [
    NavItem("评价器", "feedback:pad_open", "device-tablet", permissions.PAD_ROLES, order=400),
    NavItem("评价录入", "feedback:entry", "message-star", permissions.ENTRY_ROLES, order=410),
    NavItem(
        "差评整改", "feedback:rectification_list", "alert-triangle", permissions.HANDLER_ROLES, 420
    ),
    NavItem("满意率", "feedback:satisfaction", "chart-pie", permissions.FIGURE_ROLES, order=430),
    NavItem("抽样调查", "feedback:survey_list", "report-analytics", permissions.SURVEY_ROLES, 440),
]
