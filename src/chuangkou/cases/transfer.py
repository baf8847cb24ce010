"""Case tables out to Excel (办件导出), with the applicant's ID and phone masked."""

from django.db.models import QuerySet

from chuangkou.core import xlsx

from .imports import COLUMNS, template_rows
from .models import Case

EXPORT_LIMIT = 50_000
EXPORT_HEADERS = [
    "受理编号",
    "事项",
    "部门",
    "中心",
    "窗口",
    "受理人",
    "受理渠道",
    "申请人类型",
    "申请人",
    "证件号码",
    "联系电话",
    "状态",
    "受理时间",
    "承诺办结日期",
    "办结时间",
    "跑动次数",
    "最多跑一次",
    "超期",
]


def _row(c: Case) -> list:
    return [
        c.number,
        c.matter.name,
        c.department.name,
        c.center.name,
        c.window.number if c.window else "",
        c.clerk.name if c.clerk else "",
        c.get_channel_display(),
        c.get_applicant_kind_display(),
        c.applicant_name,
        c.masked_applicant_id,
        c.masked_applicant_phone,
        c.get_status_display(),
        c.accepted_at,
        c.due_date,
        c.completed_at,
        c.visits,
        "是" if c.is_one_trip else ("否" if c.status == Case.Status.COMPLETED else ""),
        "是" if c.overdue_now else "否",
    ]


def export_cases(cases: QuerySet[Case]) -> bytes:
    """The listed cases (at most EXPORT_LIMIT) as xlsx; ID and phone are always masked."""
    rows = (_row(c) for c in cases[:EXPORT_LIMIT])
    return xlsx.write_table("受理件", EXPORT_HEADERS, rows)


def import_template() -> bytes:
    return xlsx.write_table("历史办件导入模板", [c[0] for c in COLUMNS], template_rows())


def import_template_csv() -> bytes:
    lines = [",".join(c[0] for c in COLUMNS)]
    lines += [",".join(row) for row in template_rows()]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
