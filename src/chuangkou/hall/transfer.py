"""Excel exports of the hall (排队记录、预约记录、排队统计), through core.xlsx."""

from django.db.models import QuerySet
from django.utils import timezone

from chuangkou.core import exports, xlsx
from chuangkou.core.masking import mask_phone
from chuangkou.core.params import FilterItem, describe_filters, name_lookup, parse_filters
from chuangkou.org.models import Center

from . import permissions, selectors
from .filters import TicketFilter
from .metrics import HallMetrics
from .models import Appointment, ServiceQueue, Ticket

TICKET_HEADERS = [
    "日期", "号码", "队列", "取号方式", "绿色通道", "状态", "窗口", "办理人员",
    "取号时间", "叫号时间", "开始办理", "结束时间",
    "等候（分钟）", "办理（分钟）", "重呼次数", "手机号",
]  # fmt: skip


def _local(value):
    return timezone.localtime(value) if value else None


def _minutes(seconds: float | None):
    return round(seconds / 60, 1) if seconds is not None else None


def ticket_table(user, query: dict) -> exports.Table:
    """排队记录 as the list shows them to `user` under the list's filter (`query`); phone numbers
    masked. Large ones are written by the task worker (core.exports)."""
    filters, _wrong = parse_filters(query, TicketFilter)
    tickets = selectors.ticket_list(user=user, filters=filters)
    rows = tickets.iterator(chunk_size=exports.CHUNK)
    return exports.Table(
        "排队记录", TICKET_HEADERS, (_ticket_row(r) for r in rows), total=tickets.count()
    )


def _ticket_row(t: Ticket) -> list:
    """One ticket's line of 排队记录."""
    wait = (t.called_at - t.issued_at).total_seconds() if t.called_at else None
    return [
        t.service_date,
        t.number,
        t.queue.name,
        t.get_channel_display(),
        t.get_priority_reason_display() if t.priority else "",
        t.get_status_display(),
        t.window.number if t.window_id else "",
        t.clerk.name if t.clerk_id else "",
        _local(t.issued_at),
        _local(t.called_at),
        _local(t.started_at),
        _local(t.finished_at),
        _minutes(wait),
        _minutes(t.service_seconds) if t.started_at else None,
        t.recall_count,
        mask_phone(t.phone),
    ]


def ticket_filter(query: dict) -> list[FilterItem]:
    """排队记录's filter (`query`) in Chinese, for the export's pages and audit entry."""
    filters, _wrong = parse_filters(query, TicketFilter)
    return describe_filters(
        filters,
        labels={"q": "号码"},
        choices={"status": Ticket.Status, "channel": Ticket.Channel},
        names={"center": name_lookup(Center, "name"), "queue": name_lookup(ServiceQueue)},
    )


exports.register(
    "hall.ticket", build=ticket_table, roles=permissions.LIST_READERS, describe=ticket_filter
)


def export_appointments(appointments: QuerySet[Appointment]) -> bytes:
    headers = ["日期", "时段", "中心", "队列", "手机号", "状态", "预约时间", "签到时间", "排队号"]
    rows = (
        [
            a.slot.date,
            f"{a.slot.start:%H:%M}-{a.slot.end:%H:%M}",
            a.slot.queue.center.name,
            a.slot.queue.name,
            mask_phone(a.phone),
            a.get_status_display(),
            _local(a.booked_at),
            _local(a.checked_in_at),
            a.ticket.number if a.ticket_id else "",
        ]
        for a in appointments
    )
    return xlsx.write_table("预约记录", headers, rows)


def _r(value: float | None):
    return round(value, 1) if value is not None else None


def export_queue_figures(report: HallMetrics) -> bytes:
    headers = [
        "队列", "取号数", "叫号数", "办结数", "过号数",
        "平均等候（分钟）", "等候中位数", "等候 P90",
        "平均办理（分钟）", "办理中位数", "办理 P90",
        "过号率（%）", f"等候超 {report.target_minutes} 分钟占比（%）",
    ]  # fmt: skip
    rows = (
        [
            f"{q.prefix} {q.name}",
            f.tickets,
            f.called,
            f.done,
            f.no_show,
            _r(f.wait_mean),
            _r(f.wait_median),
            _r(f.wait_p90),
            _r(f.service_mean),
            _r(f.service_median),
            _r(f.service_p90),
            f.no_show_rate,
            f.over_target_share,
        ]
        for q, f in report.by_queue
    )
    return xlsx.write_table("按队列", headers, rows)


def _utilisation(title: str, first: str, rows) -> bytes:
    headers = [first, "办理件数", "办理时长（小时）", "利用率（%）"]
    return xlsx.write_table(title, headers, ([u.label, u.tickets, u.hours, u.rate] for u in rows))


def export_window_utilisation(report: HallMetrics) -> bytes:
    return _utilisation("窗口利用率", "窗口", report.by_window)


def export_clerk_utilisation(report: HallMetrics) -> bytes:
    return _utilisation("人员利用率", "人员", report.by_clerk)


def export_daily_figures(report: HallMetrics) -> bytes:
    headers = [
        "日期",
        "取号数",
        "平均等候（分钟）",
        f"等候超 {report.target_minutes} 分钟占比（%）",
    ]
    rows = ([d.day, d.tickets, _r(d.wait_mean), d.over_target_share] for d in report.daily)
    return xlsx.write_table("每日", headers, rows)
