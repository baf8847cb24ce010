"""The message log's filter, shared by the page and its export."""

import datetime as dt

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import SaneDate


class MessageFilter(FilterSchema):
    kind: str | None = Field(None, description="消息类型", max_length=40)
    channel: str | None = Field(
        None, description="渠道：log/sms/wechat/browser/webpush", max_length=10
    )
    status: str | None = Field(None, description="状态：pending/held/sent/failed", max_length=10)
    start: SaneDate | None = Field(None, description="起始日期")
    end: SaneDate | None = Field(None, description="截止日期")

    def filter_start(self, value: dt.date | None) -> Q:
        return Q(created_at__date__gte=value) if value else Q()

    def filter_end(self, value: dt.date | None) -> Q:
        return Q(created_at__date__lte=value) if value else Q()
