"""One filter definition per list, shared by the page, the API and the export."""

import datetime as dt

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate


class TicketFilter(FilterSchema):
    q: str | None = Field(None, description="号码，例如 A012", max_length=20)
    center: DbId | None = Field(None, description="中心编号")
    queue: DbId | None = Field(None, description="队列编号")
    status: str | None = Field(None, description="状态：waiting/called/serving/parked/done/…")
    channel: str | None = Field(None, description="取号方式：kiosk/lobby/appointment/phone")
    priority: bool | None = Field(None, description="true：只看绿色通道；false：只看普通号")
    date: SaneDate | None = Field(None, description="取号日期")

    def filter_q(self, value: str | None) -> Q:
        return Q(number__icontains=value.strip()) if value and value.strip() else Q()

    def filter_center(self, value: int | None) -> Q:
        return Q(queue__center_id=value) if value else Q()

    def filter_queue(self, value: int | None) -> Q:
        return Q(queue_id=value) if value else Q()

    def filter_priority(self, value: bool | None) -> Q:
        return Q() if value is None else Q(priority=value)

    def filter_date(self, value: dt.date | None) -> Q:
        return Q(service_date=value) if value else Q()


class AppointmentFilter(FilterSchema):
    q: str | None = Field(None, description="手机号后四位或签到码", max_length=11)
    center: DbId | None = Field(None, description="中心编号")
    queue: DbId | None = Field(None, description="队列编号")
    status: str | None = Field(None, description="状态：booked/checked_in/late/cancelled/no_show")
    date: SaneDate | None = Field(None, description="预约日期")

    def filter_q(self, value: str | None) -> Q:
        if not value or not value.strip():
            return Q()
        value = value.strip()
        return Q(phone__endswith=value) | Q(code=value)

    def filter_center(self, value: int | None) -> Q:
        return Q(slot__queue__center_id=value) if value else Q()

    def filter_queue(self, value: int | None) -> Q:
        return Q(slot__queue_id=value) if value else Q()

    def filter_date(self, value: dt.date | None) -> Q:
        return Q(slot__date=value) if value else Q()


class SlotFilter(FilterSchema):
    center: DbId | None = Field(None, description="中心编号")
    queue: DbId | None = Field(None, description="队列编号")
    date: SaneDate | None = Field(None, description="日期")

    def filter_center(self, value: int | None) -> Q:
        return Q(queue__center_id=value) if value else Q()

    def filter_queue(self, value: int | None) -> Q:
        return Q(queue_id=value) if value else Q()

    def filter_date(self, value: dt.date | None) -> Q:
        return Q(date=value) if value else Q()
