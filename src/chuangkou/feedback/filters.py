"""One filter definition per list, shared by the page, the API and the export."""

from typing import Literal

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate

from .models import Rectification

ChannelValue = Literal["pad", "phone", "sms", "hotline", "web"]
StateValue = Literal[
    "pending", "appealing", "rectifying", "rectified", "unrectifiable", "overdue", "invalidated"
]


class EvaluationFilter(FilterSchema):
    """Ratings by rating date, department, center, window, clerk and channel."""

    start: SaneDate | None = Field(None, description="评价日期自（含）")
    end: SaneDate | None = Field(None, description="评价日期至（含）")
    department: DbId | None = Field(None, description="部门编号")
    center: DbId | None = Field(None, description="中心编号")
    window: DbId | None = Field(None, description="窗口编号")
    staff: DbId | None = Field(None, description="办理人员编号")
    channel: ChannelValue | None = Field(None, description="评价渠道")

    def filter_start(self, value):
        return Q(rated_on__gte=value) if value else Q()

    def filter_end(self, value):
        return Q(rated_on__lte=value) if value else Q()

    def filter_department(self, value):
        return Q(department_id=value) if value else Q()

    def filter_center(self, value):
        return Q(center_id=value) if value else Q()

    def filter_window(self, value):
        return Q(window_id=value) if value else Q()

    def filter_staff(self, value):
        return Q(staff_id=value) if value else Q()

    def filter_channel(self, value):
        return Q(channel=value) if value else Q()


class RectificationFilter(FilterSchema):
    """差评整改 by (current) state, department, overdue, date of the rating and subject number.

    The queryset must carry the `current_state` annotation (selectors.rectifications_visible_to).
    """

    q: str | None = Field(None, max_length=40, description="受理编号或排队号")
    state: StateValue | None = Field(None, description="状态（含按期限即时判定的超期）")
    department: DbId | None = Field(None, description="部门编号")
    overdue: bool | None = Field(None, description="true：只看超期；false：只看未超期")
    start: SaneDate | None = Field(None, description="评价日期自（含）")
    end: SaneDate | None = Field(None, description="评价日期至（含）")

    def filter_q(self, value):
        if not value or not value.strip():
            return Q()
        value = value.strip()
        return Q(evaluation__case__number__icontains=value) | Q(
            evaluation__ticket__number__iexact=value
        )

    def filter_state(self, value):
        return Q(current_state=value) if value else Q()

    def filter_department(self, value):
        return Q(evaluation__department_id=value) if value else Q()

    def filter_overdue(self, value):
        if value is None:
            return Q()
        overdue = Q(current_state=Rectification.State.OVERDUE)
        return overdue if value else ~overdue

    def filter_start(self, value):
        return Q(evaluation__rated_on__gte=value) if value else Q()

    def filter_end(self, value):
        return Q(evaluation__rated_on__lte=value) if value else Q()
