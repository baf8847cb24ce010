"""通知记录 out to Excel (recipients masked), exported in the background when large
(core.exports)."""

from django.utils import timezone

from chuangkou.core import exports
from chuangkou.core.params import FilterItem, describe_filters, parse_filters

from . import selectors, services
from .filters import MessageFilter
from .models import Message

HEADERS = ["生成时间", "类型", "渠道", "接收人", "内容", "状态", "尝试次数", "发送时间", "结果"]


def message_table(user, query: dict) -> exports.Table:
    """The messages of the log as `user` sees them under the log's filter (`query`)."""
    filters, _wrong = parse_filters(query, MessageFilter)
    rows = selectors.message_list(user=user, filters=filters)
    return exports.Table(
        "通知记录",
        HEADERS,
        (_row(r) for r in rows.iterator(chunk_size=exports.CHUNK)),
        total=rows.count(),
    )


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _row(m) -> list:
    return [
        _time(m.created_at),
        selectors.kind_label(m.kind),
        m.get_channel_display(),
        m.recipient_masked,
        m.body,
        m.get_status_display(),
        m.attempts,
        _time(m.sent_at),
        m.outcome,
    ]


def message_filter(query: dict) -> list[FilterItem]:
    """The log's filter (`query`) in Chinese, for the export's pages and audit entry."""
    filters, _wrong = parse_filters(query, MessageFilter)
    return describe_filters(
        filters,
        choices={"channel": Message.Channel, "status": Message.Status},
        names={"kind": selectors.kind_label},
    )


exports.register(
    "notify.message", build=message_table, roles=services.ADMINS, describe=message_filter
)
