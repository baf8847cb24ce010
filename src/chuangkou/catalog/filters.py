"""One filter definition per list, shared by the page, the API and the export."""

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId

from .text import without_controls


class GuideFilter(FilterSchema):
    """The public guide search (办事指南查询). `q` is ranked by `selectors.search_matters`."""

    q: str | None = Field(None, description="关键词：事项名称或材料中的任意词语")
    department: DbId | None = Field(None, description="实施部门编号")
    visits: int | None = Field(None, ge=0, le=5, description="最多跑动次数：0 零跑，1 跑一次")

    def filter_q(self, value: str | None) -> Q:
        return Q()

    def filter_department(self, value: int | None) -> Q:
        return Q(department_id=value) if value else Q()

    def filter_visits(self, value: int | None) -> Q:
        return Q(max_visits=value) if value is not None else Q()


class MatterFilter(FilterSchema):
    """The catalog management list (事项管理) and its export."""

    q: str | None = Field(None, description="事项编码或名称", max_length=100)
    department: DbId | None = Field(None, description="实施部门编号")
    kind: str | None = Field(None, description="事项类型：license/public_service/…")
    visits: int | None = Field(None, ge=0, le=5, description="最多跑动次数")
    online: bool | None = Field(None, description="可网上办理")
    active: bool | None = Field(None, description="在用（true）或已停用（false）")

    def filter_q(self, value: str | None) -> Q:
        value = without_controls(value).strip()
        return Q(code__icontains=value) | Q(name__icontains=value) if value else Q()

    def filter_department(self, value: int | None) -> Q:
        return Q(department_id=value) if value else Q()

    def filter_visits(self, value: int | None) -> Q:
        return Q(max_visits=value) if value is not None else Q()

    def filter_active(self, value: bool | None) -> Q:
        return Q(is_active=value) if value is not None else Q()


class BundleFilter(FilterSchema):
    """The "一件事" management list."""

    q: str | None = Field(None, description="编码或名称", max_length=100)
    active: bool | None = Field(None, description="在用（true）或已停用（false）")

    def filter_q(self, value: str | None) -> Q:
        value = without_controls(value).strip()
        return Q(code__icontains=value) | Q(name__icontains=value) if value else Q()

    def filter_active(self, value: bool | None) -> Q:
        return Q(is_active=value) if value is not None else Q()
