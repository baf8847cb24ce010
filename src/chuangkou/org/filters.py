"""One filter definition per list, shared by the page, the API and the export."""

from django.db.models import Q
from django.utils import timezone
from ninja import FilterSchema
from pydantic import Field

from chuangkou.core.schema_types import DbId

from .models import Staff, on_exchange


class StaffFilter(FilterSchema):
    q: str | None = Field(None, description="姓名、工号或手机号后四位", max_length=50)
    employment_type: str | None = Field(None, description="用工性质：regular/temporary/agency")
    department: DbId | None = Field(None, description="部门编号")
    center: DbId | None = Field(None, description="中心编号")
    category: DbId | None = Field(None, description="业务类别编号")
    status: str | None = Field(None, description="状态：active/exchange/left")

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        value = value.strip()
        return Q(name__icontains=value) | Q(staff_no__icontains=value) | Q(phone__endswith=value)

    def filter_status(self, value: str | None) -> Q:
        """交流中 is derived from today's postings; 在岗 excludes those on an exchange."""
        today = timezone.localdate()
        if value == Staff.Status.LEFT:
            return Q(status=Staff.Status.LEFT)
        if value == Staff.Status.EXCHANGE:
            return Q(on_exchange(today)) & ~Q(status=Staff.Status.LEFT)
        if value == Staff.Status.ACTIVE:
            return ~Q(on_exchange(today)) & ~Q(status=Staff.Status.LEFT)
        return Q(status=value) if value else Q()

    def filter_department(self, value: int | None) -> Q:
        return Q(department_id=value) if value else Q()

    def filter_center(self, value: int | None) -> Q:
        return Q(center_id=value) if value else Q()

    def filter_category(self, value: int | None) -> Q:
        return Q(category_id=value) if value else Q()
