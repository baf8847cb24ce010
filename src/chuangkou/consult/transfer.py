"""Excel export of 1call: the consultations of a period (phones masked) and the overview."""

from chuangkou.core import exports
from chuangkou.core.params import FilterItem, plain_value

from . import permissions, selectors, sla


def _minutes(start, end) -> int | str:
    return sla.working_seconds(start, end) // 60 if start and end else ""


HEADERS = [
    "查询码", "提问时间", "业务领域", "事项", "咨询内容", "手机号", "状态", "坐席",
    "首次答复（工作分钟）", "办结（工作分钟）", "首次答复超时", "办结超时", "评价",
]  # fmt: skip


def consultation_table(user, query: dict) -> exports.Table:
    """在线咨询 of the overview's period (`start`, `end` of `query`); phone numbers masked."""
    start, end = selectors.overview_period(query)
    rows = selectors.consultations_between(start, end)
    return exports.Table(
        "在线咨询",
        HEADERS,
        (_row(r) for r in rows.iterator(chunk_size=exports.CHUNK)),
        total=rows.count(),
        text_columns=["查询码", "手机号"],
        stem=f"在线咨询_{start:%Y%m%d}-{end:%Y%m%d}",
    )


def _row(c) -> list:
    return [
        c.code,
        c.created_at,
        c.domain_label,
        c.matter.name if c.matter_id else "",
        c.question,
        c.masked_phone,
        c.get_status_display(),
        c.agent.name if c.agent_id else "",
        _minutes(c.created_at, c.first_reply_at),
        _minutes(c.created_at, c.closed_at),
        "是" if c.first_reply_breached else "否",
        "是" if c.resolve_breached else "否",
        c.evaluation.get_level_display() if c.evaluation_id else "",
    ]


def consultation_filter(query: dict) -> list[FilterItem]:
    """The period of the export (always one: the last 30 days when none was chosen)."""
    start, end = selectors.overview_period(query)
    return [FilterItem("提问日期", f"{plain_value(start)} 至 {plain_value(end)}")]


exports.register(
    "consult.consultation",
    build=consultation_table,
    roles=permissions.ADMIN_ROLES,
    describe=consultation_filter,
)
