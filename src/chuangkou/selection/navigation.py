from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

ITEMS = [
    NavItem("竞聘上岗", "selection:competition_list", "trophy", (Role.CENTER_ADMIN,), order=60),
    NavItem("面试评分", "selection:judge_home", "gavel", (Role.GRADER,), order=61),
    NavItem("竞聘公示", "selection:notice_list", "speakerphone", order=62),
]
