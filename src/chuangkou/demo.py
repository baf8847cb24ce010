"""The demo data (演示数据) that `chuangkou demo` loads once into an empty database.

Each app keeps its own part in `<app>/demo.py` with a `load()` function; `APP_DEMOS` lists
them in dependency order (an app's demo may rely on the rows of the apps before it). An optional
`finish()` runs after every app's `load()` (e.g. a summary over rows other apps add). The data
is deterministic: every app draws from its own `random.Random` with a fixed seed.
"""

import importlib
import inspect
import unicodedata

from django.db import transaction

DEMO_PASSWORD = "Chuangkou@2018"  # noqa: S105 (published: printed by `chuangkou demo`)
DEMO_REGION_CODE = "330103"  # 杭州市下城区: its Region marks the demo as loaded
DEMO_URL = "http://127.0.0.1:8000/"

APP_DEMOS = [
    "chuangkou.core.demo",
    "chuangkou.org.demo",
    "chuangkou.catalog.demo",
    "chuangkou.hall.demo",
    "chuangkou.cases.demo",
    "chuangkou.feedback.demo",
    "chuangkou.notify.demo",
    "chuangkou.consult.demo",
    "chuangkou.prereview.demo",
    "chuangkou.exams.demo",
    "chuangkou.selection.demo",
    "chuangkou.supervision.demo",
    "chuangkou.honors.demo",
    "chuangkou.care.demo",
    "chuangkou.training.demo",
]


def is_loaded() -> bool:
    from chuangkou.org.models import Region

    return Region.objects.filter(code=DEMO_REGION_CODE).exists()


def load_demo(scale: str = "small") -> bool:
    """Load every app's demo data in one transaction, unless it is there already.

    `scale` reaches the apps whose `load()` takes it ("small" is quick; "full" is the briefing's
    real volume, 662,032 cases in 2018 H1). Returns True when it loaded the data.
    """
    if is_loaded():
        return False
    with transaction.atomic():
        if is_loaded():  # another process got there first
            return False
        for module in APP_DEMOS:
            load = importlib.import_module(module).load
            options = {"scale": scale} if "scale" in inspect.signature(load).parameters else {}
            load(**options)
        for module in APP_DEMOS:  # what an app builds over the others' data (summaries)
            finish = getattr(importlib.import_module(module), "finish", None)
            if finish is not None:
                finish()
    return True


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table that lines up with Chinese (double-width) characters."""
    widths = [max(_width(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def print_accounts(url: str = DEMO_URL) -> None:
    """Print every demo account with its password, and where to open the platform."""
    from chuangkou.core.demo import ACCOUNTS

    rows = [
        [username, DEMO_PASSWORD, "、".join(role.label for role in roles), description]
        for username, roles, description in ACCOUNTS
    ]
    print()
    print("演示账号：")
    print(format_table(["账号", "密码", "角色", "说明"], rows))
    print()
    print(
        "两步验证：演示账号免输验证码（仅在 chuangkou demo 中，由 OTP_EXEMPT_DEMO_ACCOUNTS 设定）；"
    )
    print("          其他账号和正式部署中，管理员与中心管理员登录须绑定手机验证器。")
    print(f"访问地址：{url}")
