"""One filter definition per list, shared by the page, the API and the export."""

from typing import Literal

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate

StatusValue = Literal["draft", "reviewing", "needs_fix", "passed"]


class PreReviewFilter(FilterSchema):
    """预审 by status, center, matter and start date."""

    status: StatusValue | None = Field(None, description="状态")
    center: DbId | None = Field(None, description="中心编号")
    matter: DbId | None = Field(None, description="事项编号")
    start: SaneDate | None = Field(None, description="发起日期自（含）")
    end: SaneDate | None = Field(None, description="发起日期至（含）")

    def filter_status(self, value):
        return Q(status=value) if value else Q()

    def filter_center(self, value):
        return Q(center_id=value) if value else Q()

    def filter_matter(self, value):
        return Q(matter_id=value) if value else Q()

    def filter_start(self, value):
        return Q(started_at__date__gte=value) if value else Q()

    def filter_end(self, value):
        return Q(started_at__date__lte=value) if value else Q()
