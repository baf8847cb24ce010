"""Case tables out to Excel (办件导出), with the applicant's ID and phone masked."""

from chuangkou.catalog.models import Matter
from chuangkou.core import exports, xlsx
from chuangkou.core.params import FilterItem, describe_filters, name_lookup, parse_filters
from chuangkou.org.models import Center, Department, Window

from . import permissions, selectors
from .filters import CaseFilter
from .imports import COLUMNS, template_rows
from .models import Case

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


# What `_row` reads: not the matters' guide texts or the rest of each related row
EXPORT_FIELDS = [
    "number", "channel", "applicant_kind", "applicant_name", "applicant_id", "applicant_phone",
    "status", "accepted_at", "due_date", "completed_at", "visits", "is_one_trip", "is_overdue",
    "matter__name", "department__name", "center__name", "window__number", "clerk__name",
]  # fmt: skip


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


def case_table(user, query: dict) -> exports.Table:
    """受理件 as the list shows them to `user` under the list's filter (`query`); ID and phone
    are always masked. Large ones are written by the task worker (core.exports)."""
    filters, _wrong = parse_filters(query, CaseFilter)
    cases = selectors.case_list(user=user, filters=filters)
    rows = cases.only(*EXPORT_FIELDS).iterator(chunk_size=exports.CHUNK)
    return exports.Table("受理件", EXPORT_HEADERS, (_row(r) for r in rows), total=cases.count())


def case_filter(query: dict) -> list[FilterItem]:
    """The list's filter (`query`) in Chinese, for the export's pages and audit entry."""
    filters, _wrong = parse_filters(query, CaseFilter)  # wrong: no filter applied, as the table
    return describe_filters(
        filters,
        labels={"q": "关键词"},
        names={
            "department": name_lookup(Department, "name"),
            "center": name_lookup(Center, "name"),
            "window": name_lookup(Window),
            "matter": name_lookup(Matter, "name"),
        },
    )


exports.register(
    "cases.case", build=case_table, roles=permissions.CASE_READERS, describe=case_filter
)


def import_template() -> bytes:
    return xlsx.write_table("历史办件导入模板", [c[0] for c in COLUMNS], template_rows())


def import_template_csv() -> bytes:
    lines = [",".join(c[0] for c in COLUMNS)]
    lines += [",".join(row) for row in template_rows()]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
