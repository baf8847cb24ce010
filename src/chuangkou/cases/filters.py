"""One filter definition for the case list, shared by the page, the API and the export."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate

from .models import Case


def overdue_q() -> Q:
    """超期: closed after the due date, or still open with the due date passed."""
    return Q(is_overdue=True) | Q(status__in=Case.OPEN_STATUSES, due_date__lt=timezone.localdate())


class CaseFilter(FilterSchema):
    q: str | None = Field(None, description="受理编号（开头部分）或申请人名称", max_length=50)
    status: Case.Status | None = Field(None, description="状态")
    channel: Case.Channel | None = Field(None, description="受理渠道")
    department: DbId | None = Field(None, description="部门编号")
    center: DbId | None = Field(None, description="中心编号")
    window: DbId | None = Field(None, description="窗口编号")
    matter: DbId | None = Field(None, description="事项编号")
    date_from: SaneDate | None = Field(None, description="受理日期起（含）")
    date_to: SaneDate | None = Field(None, description="受理日期止（含）")
    overdue: bool | None = Field(None, description="true：仅超期；false：仅未超期")

    def filter_q(self, value: str | None) -> Q:
        value = (value or "").strip()
        if not value:
            return Q()
        return Q(number__startswith=value) | Q(applicant_name__icontains=value)

    def filter_department(self, value: int | None) -> Q:
        return Q(department_id=value) if value else Q()

    def filter_center(self, value: int | None) -> Q:
        return Q(center_id=value) if value else Q()

    def filter_window(self, value: int | None) -> Q:
        return Q(window_id=value) if value else Q()

    def filter_matter(self, value: int | None) -> Q:
        return Q(matter_id=value) if value else Q()

    def filter_date_from(self, value: dt.date | None) -> Q:
        return Q(accepted_date__gte=value) if value else Q()

    def filter_date_to(self, value: dt.date | None) -> Q:
        return Q(accepted_date__lte=value) if value else Q()

    def filter_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        return overdue_q() if value else ~overdue_q()
