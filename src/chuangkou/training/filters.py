"""One filter definition per list, shared by the page, the API and the export."""

from typing import Literal

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate

KindValue = Literal[
    "expert", "monthly", "benchmark", "discussion", "etiquette", "operation", "outdoor", "stress"
]
AspectValue = Literal["attitude", "skill", "publicity", "support"]
SuggestionStatus = Literal["submitted", "assigned", "answered", "adopted", "declined"]


class EventFilter(FilterSchema):
    """培训活动 by title, kind and date."""

    q: str | None = Field(None, max_length=40, description="主题或主讲人")
    kind: KindValue | None = Field(None, description="类型")
    start: SaneDate | None = Field(None, description="日期自（含）")
    end: SaneDate | None = Field(None, description="日期至（含）")

    def filter_q(self, value):
        value = (value or "").replace("\x00", "").strip()
        return Q(title__icontains=value) | Q(speaker__icontains=value) if value else Q()

    def filter_kind(self, value):
        return Q(kind=value) if value else Q()

    def filter_start(self, value):
        return Q(starts_at__date__gte=value) if value else Q()

    def filter_end(self, value):
        return Q(starts_at__date__lte=value) if value else Q()


class HoursFilter(FilterSchema):
    """培训学时 for a period (events starting in it) and a department."""

    start: SaneDate | None = Field(None, description="日期自（含）")
    end: SaneDate | None = Field(None, description="日期至（含）")
    department: DbId | None = Field(None, description="部门编号")


class SuggestionFilter(FilterSchema):
    """员工建议 by aspect, status and words."""

    q: str | None = Field(None, max_length=40, description="标题或内容")
    aspect: AspectValue | None = Field(None, description="方面")
    status: SuggestionStatus | None = Field(None, description="状态")

    def filter_q(self, value):
        value = (value or "").replace("\x00", "").strip()
        return Q(title__icontains=value) | Q(content__icontains=value) if value else Q()

    def filter_aspect(self, value):
        return Q(aspect=value) if value else Q()

    def filter_status(self, value):
        return Q(status=value) if value else Q()


class CoursewareFilter(FilterSchema):
    """课件 by words, domain and year."""

    q: str | None = Field(None, max_length=40, description="课件名称或主讲人")
    domain: str | None = Field(None, max_length=50, description="业务领域")
    year: int | None = Field(None, ge=2000, le=2100, description="年度")

    def filter_q(self, value):
        value = (value or "").replace("\x00", "").strip()
        return Q(title__icontains=value) | Q(speaker__icontains=value) if value else Q()

    def filter_domain(self, value):
        value = (value or "").replace("\x00", "").strip()
        return Q(domain=value) if value else Q()

    def filter_year(self, value):
        return Q(year=value) if value else Q()
