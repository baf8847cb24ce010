"""One filter definition per list, shared by the page, the API and the export."""

from typing import Literal

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate

TopicValue = Literal["pressure", "service", "relations", "family", "health", "career", "other"]


class TalkFilter(FilterSchema):
    """约谈记录 by topic, date and person."""

    topic: TopicValue | None = Field(None, description="主题类别")
    start: SaneDate | None = Field(None, description="日期自（含）")
    end: SaneDate | None = Field(None, description="日期至（含）")
    staff: DbId | None = Field(None, description="谈话对象（人员编号）")

    def filter_topic(self, value):
        return Q(topic=value) if value else Q()

    def filter_start(self, value):
        return Q(date__gte=value) if value else Q()

    def filter_end(self, value):
        return Q(date__lte=value) if value else Q()

    def filter_staff(self, value):
        return Q(staff_id=value) if value else Q()
