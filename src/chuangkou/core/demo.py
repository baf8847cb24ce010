"""The core part of the demo data: one account per role, named after the role (DESIGN.md)."""

from django.contrib.auth import get_user_model

from chuangkou.demo import DEMO_PASSWORD

from .roles import Role
from .services import create_account

# (username, roles, what the account is for) — in the order `chuangkou demo` prints them.
ACCOUNTS: list[tuple[str, tuple[Role, ...], str]] = [
    ("admin", (Role.CENTER_ADMIN,), "区审管办中心管理员：目录、窗口、人员、考核、考试、报表"),
    ("sysadmin01", (Role.SYSADMIN,), "系统管理员：开通账号、分配角色（三权分立）"),
    ("secadmin01", (Role.SECADMIN,), "安全管理员：解除登录锁定、安全设置"),
    ("auditor01", (Role.AUDITOR,), "审计员：查阅审计日志"),
    ("depthead01", (Role.DEPT_HEAD,), "不动产登记部门负责人：本部门窗口和人员、坐班体验"),
    ("clerk01", (Role.CLERK,), "主中心临编窗口人员：叫号受理、考试、自评、心理假"),
    ("clerk02", (Role.CLERK,), "主中心临编窗口人员（男）：同上"),
    ("lobby01", (Role.LOBBY_MANAGER,), "大堂经理（在编业务骨干）：帮办取号、材料检查、分流"),
    ("grader01", (Role.GRADER,), "阅卷/评委：批改开放题、面试打分"),
    ("supervisor01", (Role.SUPERVISOR,), "义务行风监督员：暗访记录"),
    ("counselor01", (Role.COUNSELOR,), "特约心理咨询师：心理咨询预约和咨询记录"),
]

# The person behind each account: (姓名, gender "M"/"F"). The org demo gives the staff records
# linked to clerk01, clerk02 and lobby01 these names, and no other staff member uses any of them.
PEOPLE: dict[str, tuple[str, str]] = {
    "admin": ("沈立群", "M"),
    "sysadmin01": ("陆晓东", "M"),
    "secadmin01": ("钱一鸣", "M"),
    "auditor01": ("吴秀兰", "F"),
    "depthead01": ("郑国平", "M"),
    "clerk01": ("王婷婷", "F"),
    "clerk02": ("陈浩然", "M"),
    "lobby01": ("叶晓燕", "F"),
    "grader01": ("胡志刚", "M"),
    "supervisor01": ("俞慧芳", "F"),
    "counselor01": ("林静怡", "F"),
}


def load() -> None:
    """Create the demo accounts (audited by the service); an existing username is left alone."""
    existing = set(
        get_user_model()
        .objects.filter(username__in=[a[0] for a in ACCOUNTS])
        .values_list("username", flat=True)
    )
    for username, roles, _description in ACCOUNTS:
        if username in existing:
            continue
        create_account(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            display_name=PEOPLE[username][0],
            roles=list(roles),
        )
