"""One filter definition per list, shared by the page, the API and the export."""

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId


class QuestionFilter(FilterSchema):
    q: str | None = Field(None, description="题号或题干文字", max_length=100)
    kind: str | None = Field(
        None, description="题型：single/multiple/fill/correction/open/scenario"
    )
    point: DbId | None = Field(None, description="知识点编号（领域则含其下各知识点）")
    difficulty: int | None = Field(None, ge=1, le=5, description="难度 1–5")
    source: str | None = Field(None, description="来源：window_problem/typical_case/regulation")
    active: bool | None = Field(None, description="是否在用")

    def filter_q(self, value: str | None) -> Q:
        if not value or not value.strip():
            return Q()
        value = value.strip()
        return Q(code__icontains=value) | Q(current_version__stem__icontains=value)

    def filter_point(self, value: int | None) -> Q:
        if not value:
            return Q()
        return Q(knowledge_points=value) | Q(knowledge_points__parent=value)

    def filter_active(self, value: bool | None) -> Q:
        return Q() if value is None else Q(is_active=value)


class ExamFilter(FilterSchema):
    q: str | None = Field(None, description="考试名称", max_length=100)
    status: str | None = Field(None, description="状态：draft/open/closed/published")
    purpose: str | None = Field(None, description="用途：competition/contest/practice")

    def filter_q(self, value: str | None) -> Q:
        return Q(title__icontains=value.strip()) if value and value.strip() else Q()


class ResultFilter(FilterSchema):
    q: str | None = Field(None, description="考生姓名、工号或密号", max_length=50)
    department: DbId | None = Field(None, description="部门编号")
    status: str | None = Field(None, description="作答状态：pending/in_progress/submitted")

    def filter_q(self, value: str | None) -> Q:
        if not value or not value.strip():
            return Q()
        value = value.strip()
        return (
            Q(staff__name__icontains=value)
            | Q(staff__staff_no__icontains=value)
            | Q(code__iexact=value)
        )

    def filter_department(self, value: int | None) -> Q:
        return Q(staff__department_id=value) if value else Q()
