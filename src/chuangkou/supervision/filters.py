"""One filter definition per list, shared by the page, the API and the export."""

from typing import Literal

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId, SaneDate

FindingState = Literal["pending", "confirmed", "disputed", "withdrawn"]
ProblemState = Literal["found", "on_spot", "consulted", "coordinating", "resolved", "closed"]
ProblemKind = Literal["pain", "block", "hard"]


class FindingFilter(FilterSchema):
    state: FindingState | None = Field(None, description="状态")
    department: DbId | None = Field(None, description="部门编号")
    start: SaneDate | None = Field(None, description="暗访日期自（含）")
    end: SaneDate | None = Field(None, description="暗访日期至（含）")

    def filter_state(self, value):
        return Q(state=value) if value else Q()

    def filter_department(self, value):
        return Q(department_id=value) if value else Q()

    def filter_start(self, value):
        return Q(visit__assignment__date__gte=value) if value else Q()

    def filter_end(self, value):
        return Q(visit__assignment__date__lte=value) if value else Q()


class ProblemFilter(FilterSchema):
    state: ProblemState | None = Field(None, description="状态")
    kind: ProblemKind | None = Field(None, description="类型（痛点/堵点/难点）")
    owner: DbId | None = Field(None, description="责任部门编号")
    overdue: bool | None = Field(None, description="true：只看已超期上报；false：只看未超期上报")
    start: SaneDate | None = Field(None, description="发现日期自（含）")
    end: SaneDate | None = Field(None, description="发现日期至（含）")

    def filter_state(self, value):
        return Q(state=value) if value else Q()

    def filter_kind(self, value):
        return Q(kind=value) if value else Q()

    def filter_owner(self, value):
        return Q(owner_id=value) if value else Q()

    def filter_overdue(self, value):
        if value is None:
            return Q()
        overdue = Q(escalated_at__isnull=False, state__in=["found", "coordinating"])
        return overdue if value else ~overdue

    def filter_start(self, value):
        return Q(found_on__gte=value) if value else Q()

    def filter_end(self, value):
        return Q(found_on__lte=value) if value else Q()
