"""One filter definition per list, shared by the page, the API and the export."""

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId


class CompetitionFilter(FilterSchema):
    q: str | None = Field(None, description="竞聘名称", max_length=50)
    year: int | None = Field(None, description="年度", ge=2000, le=2100)
    status: str | None = Field(
        None, description="状态：draft/registration/scoring/ranked/published/final", max_length=12
    )

    def filter_q(self, value: str | None) -> Q:
        return Q(name__icontains=value.strip()) if value else Q()


class CandidateFilter(FilterSchema):
    q: str | None = Field(None, description="姓名或工号", max_length=50)
    status: str | None = Field(None, description="registered / withdrawn", max_length=12)
    outcome: str | None = Field(None, description="结果：placed/unplaced/below/tie", max_length=8)
    department: DbId | None = Field(None, description="部门编号")

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        value = value.strip()
        return Q(staff__name__icontains=value) | Q(staff__staff_no__icontains=value)

    def filter_department(self, value: int | None) -> Q:
        return Q(staff__department_id=value) if value else Q()


class ObjectionFilter(FilterSchema):
    status: str | None = Field(None, description="pending / upheld / rejected", max_length=10)
