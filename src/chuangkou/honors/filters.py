"""One filter definition per list, shared by the page, the API and the export."""

from typing import Literal

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate

StatusValue = Literal["nominating", "voting", "reviewing", "ranked", "published"]
CommendationType = Literal["banner", "letter", "title"]


class CampaignFilter(FilterSchema):
    """评选 by status, name and year of the period."""

    q: str | None = Field(None, max_length=40, description="评选名称")
    status: StatusValue | None = Field(None, description="状态")
    year: int | None = Field(None, ge=2000, le=2100, description="评选周期所在年份")

    def filter_q(self, value):
        return Q(name__icontains=value.strip()) if value and value.strip() else Q()

    def filter_status(self, value):
        return Q(status=value) if value else Q()

    def filter_year(self, value):
        return Q(period_start__year__lte=value, period_end__year__gte=value) if value else Q()


class CommendationFilter(FilterSchema):
    """表彰 by type, date, department, window and person."""

    type: CommendationType | None = Field(
        None, description="类型：banner 锦旗 / letter 感谢信 / title 集体荣誉"
    )
    start: SaneDate | None = Field(None, description="日期自（含）")
    end: SaneDate | None = Field(None, description="日期至（含）")
    department: DbId | None = Field(None, description="部门编号")
    window: DbId | None = Field(None, description="窗口编号")
    staff: DbId | None = Field(None, description="人员编号")

    def filter_type(self, value):
        return Q(type=value) if value else Q()

    def filter_start(self, value):
        return Q(received_on__gte=value) if value else Q()

    def filter_end(self, value):
        return Q(received_on__lte=value) if value else Q()

    def filter_department(self, value):
        return Q(department_id=value) if value else Q()

    def filter_window(self, value):
        return Q(window_id=value) if value else Q()

    def filter_staff(self, value):
        return Q(staff_id=value) if value else Q()
