"""The file format of 历史办件导入 (one row per case) and its downloadable template."""

from chuangkou.catalog.models import Matter
from chuangkou.org.models import Center

# (header, required, what it holds): the documented file format, in column order.
COLUMNS: list[tuple[str, bool, str]] = [
    ("受理编号", True, "唯一，最多 32 个字符，如 330103-20170301-000001"),
    ("事项编码", True, "事项目录中的事项编码"),
    ("受理渠道", False, "窗口受理 或 网上申请；空白为窗口受理"),
    ("中心", True, "服务中心名称，与系统中一致"),
    ("窗口号", False, "该中心的窗口号，如 A01；网上申请留空"),
    ("受理人工号", False, "窗口人员工号，如 CK00012"),
    ("申请人类型", True, "个人 或 企业"),
    ("申请人", True, "姓名或企业名称"),
    ("证件号码", False, "个人填身份证号，企业填统一社会信用代码（均校验校验位）"),
    ("联系电话", False, "手机号或带区号的固定电话"),
    ("受理时间", True, "2018-03-05 09:30 或 2018-03-05（视为 9:00）"),
    ("状态", False, "已受理、补正中、已办结、不予受理、退件；空白时有办结时间为已办结，否则已受理"),
    ("办结时间", False, "办结、不予受理、退件的结束时间，不早于受理时间"),
    ("跑动次数", False, "0–20 的整数；空白时窗口受理为 1、网上申请为 0"),
    ("承诺办结日期", False, "空白时按事项承诺时限（法定工作日）计算"),
]
HEADERS = [c[0] for c in COLUMNS]
REQUIRED = {c[0] for c in COLUMNS if c[1]}


def template_rows() -> list[list[str]]:
    """Two example rows for the downloadable template, with a real matter code and center."""
    matter = Matter.objects.filter(is_active=True).order_by("code").first()
    code = matter.code if matter else "（事项编码）"
    center = Center.objects.order_by("kind", "name").first()
    center_name = center.name if center else "（中心名称）"
    return [
        [
            "330103-20170301-000001",
            code,
            "窗口受理",
            center_name,
            "A01",
            "",
            "个人",
            "张三",
            "",
            "13800000000",
            "2017-03-01 09:30",
            "已办结",
            "2017-03-03 15:00",
            "1",
            "",
        ],
        [
            "330103-20170301-000002",
            code,
            "网上申请",
            center_name,
            "",
            "",
            "企业",
            "杭州某某有限公司",
            "",
            "0571-87000000",
            "2017-03-01",
            "",
            "",
            "0",
            "",
        ],
    ]
